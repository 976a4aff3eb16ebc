package io.tidemark.bench.flink;

import java.time.Duration;

import io.tidemark.bench.engine.Event;
import io.tidemark.bench.engine.RunFigures;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.streaming.api.windowing.assigners.EventTimeSessionWindows;
import org.apache.flink.streaming.api.windowing.assigners.SlidingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.table.api.Schema;
import org.apache.flink.table.api.Table;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;

/**
 * The in-memory throughput workloads W1, W2 and W3 of {@code docs/WORKLOADS.md} on Apache Flink,
 * over the same events as Tidemark's ({@link GeneratedEvents}): parallelism 2, bounded
 * out-of-orderness of 2 s, key by user, the workload's window, Flink's defaults otherwise (heap
 * state, no object reuse), a local MiniCluster in this JVM. W2 runs twice over: {@code W2} with
 * the DataStream sliding window, which keeps each event in each of its 10 windows, and
 * {@code W2SQL} as Flink SQL's {@code HOP} window table function, which slices the stream into
 * 30 s pieces as Tidemark's slicing operator does. Every run checks its checksum (the counts add
 * up to N; W2's sums to 10 times the sum of the values) and is timed from the first event made
 * to the end of the job, so the cluster's start is in no figure.
 *
 * <pre>
 * java -Xmx768m -cp target/classes:$(cat target/classpath.txt) io.tidemark.bench.flink.EngineFlink W1|W2|W2SQL|W3 EVENTS WARMUPS
 * </pre>
 *
 * Each of the warm-up runs asked for prints a {@code WARMUP} line, the run measured after them
 * a {@code RESULT} line, the very lines Tidemark's {@code SideBySideRun} prints.
 */
public final class EngineFlink
{
    private static final int PARALLELISM = 2;
    private static final Duration OUT_OF_ORDERNESS = Duration.ofSeconds(2);
    /** The accumulator that {@link SumResults} adds every result into. */
    static final String CHECKSUM = "checksum";

    private EngineFlink()
    {
    }

    /**
     * @param args the workload, the number of events, the number of warm-up runs before the
     *             one measured.
     * @throws Exception if a job fails or its checksum is wrong.
     */
    public static void main(final String[] args) throws Exception
    {
        if (args.length != 3)
        {
            System.err.println("usage: EngineFlink W1|W2|W2SQL|W3 EVENTS WARMUPS");
            System.exit(2);
        }
        final String workload = args[0];
        final long events = Long.parseLong(args[1]);
        final int warmups = Integer.parseInt(args[2]);
        for (int run = 0; run <= warmups; run++)
        {
            final long gcCount = RunFigures.gcCount();
            final long gcMillis = RunFigures.gcMillis();
            GeneratedEvents.FIRST_EVENT_NANOS.set(0);
            final JobExecutionResult result = job(workload, events).execute(workload);
            final long end = System.nanoTime();
            final Long checksum = result.getAccumulatorResult(CHECKSUM);
            final long expected = workload.startsWith("W2") ? 10 * Event.valueSum(events) : events;
            if (checksum == null || checksum != expected)
            {
                throw new IllegalStateException(workload + " over " + events + " events: checksum " + checksum + ", expected " + expected);
            }
            System.out.println(RunFigures.throughput(run < warmups ? RunFigures.WARMUP : RunFigures.MEASURED, "flink", workload, events,
                end - GeneratedEvents.FIRST_EVENT_NANOS.get(), checksum, RunFigures.gcCount() - gcCount, RunFigures.gcMillis() - gcMillis));
        }
    }

    /** @return a fresh local environment holding the workload's job; each run has its own MiniCluster. */
    private static StreamExecutionEnvironment job(final String workload, final long events)
    {
        final StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(PARALLELISM, new Configuration());
        final long users = workload.equals("W3") ? 1_000_000 : 10_000;
        final DataStream<UserEvent> generated = env.fromSource(
            new DataGeneratorSource<>(new GeneratedEvents(events, users, PARALLELISM), events, TypeInformation.of(UserEvent.class)),
            WatermarkStrategy.<UserEvent>forBoundedOutOfOrderness(OUT_OF_ORDERNESS).withTimestampAssigner((event, timestamp) -> event.eventTimeMs),
            "events");
        final KeyedStream<UserEvent, Long> byUser = generated.keyBy(event -> event.userId, Types.LONG);
        final DataStream<Long> results = switch (workload)
        {
            case "W1" -> byUser.window(TumblingEventTimeWindows.of(Duration.ofSeconds(60))).aggregate(new NexmarkFlink.Count<>());
            case "W2" -> byUser.window(SlidingEventTimeWindows.of(Duration.ofSeconds(300), Duration.ofSeconds(30))).aggregate(new SumOfValues());
            case "W2SQL" -> hop(env, generated);
            case "W3" -> byUser.window(EventTimeSessionWindows.withGap(Duration.ofSeconds(30))).aggregate(new NexmarkFlink.Count<>());
            default -> throw new IllegalArgumentException("no workload '" + workload + "' on the Flink side: W1, W2, W2SQL or W3");
        };
        results.map(new SumResults()).sinkTo(new DiscardingSink<>());
        return env;
    }

    /**
     * W2 as Flink SQL: the events as a table whose row time and watermarks are the stream's,
     * then {@code HOP} of 300 s sliding by 30 s and {@code SUM(value)} per user and window.
     */
    private static DataStream<Long> hop(final StreamExecutionEnvironment env, final DataStream<UserEvent> generated)
    {
        final StreamTableEnvironment tables = StreamTableEnvironment.create(env);
        tables.createTemporaryView("events", generated, Schema.newBuilder()
            .columnByMetadata("rowtime", "TIMESTAMP_LTZ(3)")
            .watermark("rowtime", "SOURCE_WATERMARK()")
            .build());
        final Table sums = tables.sqlQuery("SELECT userId, window_start, window_end, SUM(`value`) AS total "
            + "FROM TABLE(HOP(TABLE events, DESCRIPTOR(rowtime), INTERVAL '30' SECOND, INTERVAL '5' MINUTE)) "
            + "GROUP BY userId, window_start, window_end");
        return tables.toDataStream(sums).map(row -> row.<Long>getFieldAs("total")).returns(Types.LONG);
    }

    /** Sums the values of a window's events. */
    private static final class SumOfValues extends LongSum<UserEvent>
    {
        private static final long serialVersionUID = 1L;

        @Override
        long of(final UserEvent value)
        {
            return value.value;
        }
    }

    /** Adds every window's result into an accumulator that the job's result carries back. */
    static final class SumResults extends ResultTally<Long>
    {
        private static final long serialVersionUID = 1L;

        SumResults()
        {
            super(CHECKSUM);
        }

        @Override
        long of(final Long result)
        {
            return result;
        }
    }
}
