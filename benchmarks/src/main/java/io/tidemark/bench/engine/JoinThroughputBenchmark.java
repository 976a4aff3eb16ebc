package io.tidemark.bench.engine;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.tidemark.engine.api.DataStream;
import io.tidemark.engine.api.StreamExecutionEnvironment;
import io.tidemark.engine.functions.Collector;
import io.tidemark.engine.functions.ProcessJoinFunction;
import io.tidemark.engine.sink.Sink;
import io.tidemark.engine.sink.SinkWriter;
import io.tidemark.engine.source.GeneratorSource;
import io.tidemark.engine.time.WatermarkStrategy;
import io.tidemark.engine.window.TumblingEventTimeWindows;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The two joins as whole jobs at parallelism 2: two generator sources of {@code events} events
 * each (event {@code i} of either side has key {@code i % 1,000} and time {@code T0 + i} ms,
 * monotonous per split), keyed by that key, joined, and the pairs counted by a sink. With
 * 1,000 keys, event {@code i} of one side meets only event {@code i} of the other within
 * the interval (-5 ms, +5 ms) and within a tumbling second, so either join makes exactly
 * {@code events} pairs, which every run checks. The secondary figure {@code run:records} is
 * input records (both sides) per second.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar JoinThroughput
 * java -jar benchmarks/target/benchmarks.jar JoinThroughput -p events=200000 -f 1   # quick
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgs = "-Xmx" + ThroughputWorkload.HEAP)
// An iteration of 1 ms is one run, as in EngineThroughputBenchmark: a single shot, timed by JMH.
@Warmup(iterations = 2, time = 1, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.MILLISECONDS)
public class JoinThroughputBenchmark
{
    private static final long KEYS = 1_000;

    /** Which join: INTERVAL or WINDOW. */
    @Param({"INTERVAL", "WINDOW"})
    public String join;

    /** Events per side. */
    @Param({"2000000"})
    public long events;

    /** The input records of one run, which JMH divides by its time. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Figure
    {
        /** Records of both sides processed. */
        public long records;
    }

    /** Counts pairs per subtask, into one total at each flush. */
    static final class PairCount implements Sink<Long>
    {
        private final AtomicLong pairs = new AtomicLong();

        @Override
        public SinkWriter<Long> createWriter(final int subtaskIndex, final int parallelism)
        {
            return new SinkWriter<>()
            {
                private long count;

                @Override
                public void write(final Long value, final long timestamp)
                {
                    count++;
                }

                @Override
                public void flush()
                {
                    pairs.addAndGet(count);
                    count = 0;
                }
            };
        }
    }

    /** Emits the key of each pair. */
    static final class KeyOfPair extends ProcessJoinFunction<Event, Event, Long>
    {
        private static final long serialVersionUID = 1L;

        @Override
        public void processElement(final Event left, final Event right, final Context ctx, final Collector<Long> out)
        {
            out.collect(left.userId());
        }
    }

    /**
     * @param figure receives the run's records.
     * @return the number of pairs, already checked.
     */
    @Benchmark
    public long run(final Figure figure)
    {
        final StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(2);
        final DataStream<Event> left = side(env, "left");
        final DataStream<Event> right = side(env, "right");
        final PairCount sink = new PairCount();
        if (join.equals("INTERVAL"))
        {
            left.keyBy(Event::userId).intervalJoin(right.keyBy(Event::userId)).between(Duration.ofMillis(-5), Duration.ofMillis(5)).process(new KeyOfPair()).sinkTo(sink);
        }
        else
        {
            left.join(right).where(Event::userId).equalTo(Event::userId).window(TumblingEventTimeWindows.of(Duration.ofSeconds(1))).apply((a, b) -> a.userId()).sinkTo(sink);
        }
        env.execute("join " + join);
        if (sink.pairs.get() != events)
        {
            throw new IllegalStateException(join + " join made " + sink.pairs.get() + " pairs of " + events + " events a side, not " + events);
        }
        figure.records = 2 * events;
        return sink.pairs.get();
    }

    private DataStream<Event> side(final StreamExecutionEnvironment env, final String name)
    {
        return env.fromSource(GeneratorSource.of(events, i -> new Event(i % KEYS, Event.T0 + i, i)),
            WatermarkStrategy.<Event>forMonotonousTimestamps().withTimestampAssigner((e, ts) -> e.eventTimeMs()), name);
    }
}
