package io.tidemark.bench.flink;

import java.util.concurrent.locks.LockSupport;

import io.tidemark.bench.engine.Event;
import io.tidemark.bench.engine.Latencies;
import io.tidemark.bench.engine.RunFigures;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * W5 of {@code docs/WORKLOADS.md} on Apache Flink, as Tidemark's {@code LatencyRun} runs it: a
 * source paced at 200,000 events/s over both subtasks, each event stamped with
 * {@code System.nanoTime()} when made, key by user, an identity map, a sink that records
 * {@code nanoTime() - created} per event in an HdrHistogram; parallelism 2, a local MiniCluster
 * in this JVM. The events of a warm-up at the same pace come first and are left out of the
 * figures. The pace is Tidemark's: event {@code i} (split {@code k} makes {@code i % p == k}) is
 * made no earlier than {@code i / rate} seconds after its split's first event; a split that is
 * ahead parks until then. Flink's own rate limiter is not used: the Flink W5 job of the earlier
 * figures, paced by it, reached only about 100,000 events/s.
 * The rate achieved (the events measured over the span of their creation times) is printed, so
 * that a run that fell behind shows.
 *
 * <pre>
 * java -Xmx768m -cp target/classes:$(cat target/classpath.txt) io.tidemark.bench.flink.LatencyFlink TIMEOUT SECONDS WARMUP_SECONDS
 * </pre>
 *
 * {@code TIMEOUT} is the network buffer timeout in milliseconds, or {@code default} (Flink's
 * 100 ms). It prints the {@code RESULT ... W5} line that Tidemark's {@code LatencyRun} prints.
 */
public final class LatencyFlink
{
    private static final int PARALLELISM = 2;
    private static final long RATE = 200_000;
    private static final long USERS = 10_000;
    private static final Latencies MEASURED = new Latencies();

    private LatencyFlink()
    {
    }

    /**
     * @param args the buffer timeout ({@code default} or milliseconds), the seconds measured,
     *             the seconds of warm-up before them.
     * @throws Exception if the job fails or the sink saw the wrong number of events.
     */
    public static void main(final String[] args) throws Exception
    {
        if (args.length != 3)
        {
            System.err.println("usage: LatencyFlink default|TIMEOUT_MS SECONDS WARMUP_SECONDS");
            System.exit(2);
        }
        final String timeout = args[0];
        final long seconds = Long.parseLong(args[1]);
        final long warmup = Long.parseLong(args[2]);
        final long events = RATE * (warmup + seconds);
        final StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(PARALLELISM, new Configuration());
        if (!timeout.equals("default"))
        {
            env.setBufferTimeout(Long.parseLong(timeout));
        }
        env.fromSource(new DataGeneratorSource<>(new Paced(events, RATE * warmup), events, TypeInformation.of(Stamped.class)),
                WatermarkStrategy.noWatermarks(), "paced")
            .keyBy(event -> event.userId, Types.LONG)
            .map(event -> event)
            .returns(Stamped.class)
            .sinkTo(new HistogramSink());
        final long gcCount = RunFigures.gcCount();
        final long gcMillis = RunFigures.gcMillis();
        env.execute("W5");
        final long measured = MEASURED.histogram().getTotalCount();
        if (measured != RATE * seconds)
        {
            throw new IllegalStateException("the sink measured " + measured + " events, not " + RATE * seconds);
        }
        System.out.println(MEASURED.resultLine("flink", timeout, RunFigures.gcCount() - gcCount, RunFigures.gcMillis() - gcMillis));
    }

    /** A W5 event: a POJO, so that Flink serializes it with its POJO serializer. */
    public static class Stamped
    {
        /** The user, as in G(N, 10,000). */
        public long userId;
        /** {@code System.nanoTime()} when the source made it. */
        public long createdNanos;
        /** Whether it comes after the warm-up. */
        public boolean measured;

        /** For Flink's POJO serializer. */
        public Stamped()
        {
        }

        Stamped(final long userId, final long createdNanos, final boolean measured)
        {
            this.userId = userId;
            this.createdNanos = createdNanos;
            this.measured = measured;
        }
    }

    /**
     * Makes event {@code i} of a split no earlier than {@code i / RATE} seconds after the split's
     * first event, parking while it is ahead, and stamps it when it makes it. Index {@code j} of
     * split {@code k}'s range is event {@code (j - k * N / p) * p + k}, as in {@link GeneratedEvents}.
     */
    private static final class Paced implements GeneratorFunction<Long, Stamped>
    {
        private static final long serialVersionUID = 1L;

        private final long perSplit;
        private final long measuredFrom;
        private transient long startNanos;

        Paced(final long events, final long measuredFrom)
        {
            this.perSplit = events / PARALLELISM;
            this.measuredFrom = measuredFrom;
        }

        @Override
        public Stamped map(final Long index)
        {
            final long i = index % perSplit * PARALLELISM + index / perSplit;
            long now = System.nanoTime();
            if (startNanos == 0)
            {
                startNanos = now;
            }
            final long due = startNanos + i * 1_000_000_000L / RATE;
            while (now < due)
            {
                LockSupport.parkNanos(due - now);
                now = System.nanoTime();
            }
            return new Stamped(Event.userOf(i, USERS), now, i >= measuredFrom);
        }
    }

    /** Records each measured event's latency in its writer's {@link Latencies}, added to {@link #MEASURED} at the end. */
    private static final class HistogramSink implements Sink<Stamped>
    {
        private static final long serialVersionUID = 1L;

        @Override
        public SinkWriter<Stamped> createWriter(final WriterInitContext context)
        {
            final Latencies mine = new Latencies();
            return new SinkWriter<>()
            {
                @Override
                public void write(final Stamped value, final Context context)
                {
                    final long latency = System.nanoTime() - value.createdNanos;
                    if (value.measured)
                    {
                        mine.record(value.createdNanos, latency);
                    }
                }

                @Override
                public void flush(final boolean endOfInput)
                {
                }

                @Override
                public void close()
                {
                    mine.addTo(MEASURED);
                }
            };
        }
    }
}
