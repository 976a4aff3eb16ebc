package io.tidemark.bench.engine;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.tidemark.bench.BenchMain;
import io.tidemark.engine.api.StreamExecutionEnvironment;
import io.tidemark.engine.sink.Sink;
import io.tidemark.engine.sink.SinkWriter;
import io.tidemark.engine.source.ReadStatus;
import io.tidemark.engine.source.Source;
import io.tidemark.engine.source.SourceOutput;
import io.tidemark.engine.source.SourceSplit;
import io.tidemark.engine.source.SplitReader;
import io.tidemark.engine.task.ExecutionConfig;
import io.tidemark.engine.time.WatermarkStrategy;
import org.HdrHistogram.Histogram;

/**
 * W5 of {@code WORKLOADS.md}: a source paced at 200,000 events/s for 30 s, each event stamped
 * with {@code System.nanoTime()} when created, {@code keyBy(userId) -> map(identity) -> sink},
 * parallelism 2; the sink records {@code nanoTime() - created} of every event in an
 * HdrHistogram. Runs the job twice, each in a JVM of its own (so that each has its own peak
 * RSS and neither warms the other): with the default channel flush timeout, and with the
 * lowest, zero.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.tidemark.bench.engine.LatencyRun           # 2 x 30 s
 * java -cp benchmarks/target/benchmarks.jar io.tidemark.bench.engine.LatencyRun --quick   # 2 x 5 s
 * </pre>
 */
public final class LatencyRun
{
    /** Events per second over both source subtasks. */
    public static final int RATE = 200_000;
    /** The workload's duration. */
    public static final int SECONDS = 30;
    /** The duration of a smoke run. */
    public static final int QUICK_SECONDS = 5;

    private static final String DEFAULT = "default";

    private LatencyRun()
    {
    }

    /**
     * @param args {@code --quick} for 5 s runs; {@code --child <default|nanos> <seconds>} is
     *             what the parent passes to the JVMs it starts.
     * @throws Exception if a run fails.
     */
    public static void main(final String[] args) throws Exception
    {
        if (args.length == 3 && args[0].equals("--child"))
        {
            runHere(args[1], Integer.parseInt(args[2]));
            return;
        }
        final int seconds = args.length == 1 && args[0].equals("--quick") ? QUICK_SECONDS : SECONDS;
        for (final String timeout : List.of(DEFAULT, "0"))
        {
            fork(timeout, seconds);
        }
    }

    private static void fork(final String timeout, final int seconds) throws IOException, InterruptedException
    {
        final List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(List.of(BenchMain.forkFlags()));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), LatencyRun.class.getName(), "--child", timeout, Integer.toString(seconds)));
        final Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8)))
        {
            String line;
            while ((line = out.readLine()) != null)
            {
                System.out.println(line);
            }
        }
        if (child.waitFor() != 0)
        {
            throw new IllegalStateException("the W5 run with flush timeout " + timeout + " failed: exit code " + child.exitValue());
        }
    }

    private static void runHere(final String timeout, final int seconds)
    {
        final StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(ThroughputWorkload.PARALLELISM);
        if (!timeout.equals(DEFAULT))
        {
            env.setBufferTimeout(Duration.ofNanos(Long.parseLong(timeout)));
        }
        final ExecutionConfig config = env.getConfig();
        final HistogramSink sink = new HistogramSink();
        env.fromSource(new PacedSource((long)RATE * seconds), WatermarkStrategy.noWatermarks(), "paced")
            .keyBy(Stamped::userId)
            .map(event -> event)
            .sinkTo(sink);
        env.execute("W5");
        final Histogram h = sink.total;
        System.out.printf(Locale.ROOT, "W5 flush timeout %s (%d us): %,d events over %d s; latency p50 %.1f us, p99 %.1f us, p99.9 %.1f us, max %.1f us; peak RSS %s%n",
            timeout, config.bufferTimeoutNanos() / 1_000, h.getTotalCount(), seconds,
            h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(99) / 1e3, h.getValueAtPercentile(99.9) / 1e3, h.getMaxValue() / 1e3, PeakRss.describe());
        if (h.getTotalCount() != (long)RATE * seconds)
        {
            throw new IllegalStateException("the sink saw " + h.getTotalCount() + " events, not " + (long)RATE * seconds);
        }
    }

    /**
     * A W5 event.
     *
     * @param userId       the user, as in G(N, 10,000).
     * @param createdNanos {@code System.nanoTime()} when the source made it.
     */
    record Stamped(long userId, long createdNanos)
    {
    }

    /** A split per subtask; split {@code k} of {@code n} makes the events {@code i % n == k}. */
    record Split(int first, int stride) implements SourceSplit
    {
        @Override
        public String splitId()
        {
            return "paced-" + first + "/" + stride;
        }
    }

    /**
     * Makes event {@code i} no earlier than {@code i / RATE} seconds after the split's first
     * read, and stamps it when it makes it.
     */
    static final class PacedSource implements Source<Stamped, Split>
    {
        private final long count;

        PacedSource(final long count)
        {
            this.count = count;
        }

        @Override
        public List<Split> createSplits(final int parallelism)
        {
            final List<Split> splits = new ArrayList<>();
            for (int k = 0; k < parallelism; k++)
            {
                splits.add(new Split(k, parallelism));
            }
            return splits;
        }

        @Override
        public SplitReader<Stamped> createReader(final Split split)
        {
            return new SplitReader<>()
            {
                private long next = split.first();
                private long startNanos;

                @Override
                public ReadStatus read(final SourceOutput<Stamped> output)
                {
                    final long now = System.nanoTime();
                    if (startNanos == 0)
                    {
                        startNanos = now;
                    }
                    final long due = (now - startNanos) * RATE / 1_000_000_000L;
                    int made = 0;
                    while (next <= due && next < count)
                    {
                        output.collect(new Stamped(Event.userOf(next, 10_000), System.nanoTime()));
                        next += split.stride();
                        made++;
                    }
                    if (next >= count)
                    {
                        return ReadStatus.END_OF_SPLIT;
                    }
                    return made > 0 ? ReadStatus.MORE_AVAILABLE : ReadStatus.NOTHING_AVAILABLE;
                }
            };
        }

        @Override
        public boolean isBounded()
        {
            return true;
        }
    }

    /** Records each event's latency in its writer's histogram; the writers add theirs to {@code total} at the end. */
    static final class HistogramSink implements Sink<Stamped>
    {
        final Histogram total = new Histogram(3_600_000_000_000L, 3);

        @Override
        public SinkWriter<Stamped> createWriter(final int subtaskIndex, final int parallelism)
        {
            final Histogram mine = new Histogram(3_600_000_000_000L, 3);
            return new SinkWriter<>()
            {
                @Override
                public void write(final Stamped value, final long timestamp)
                {
                    mine.recordValue(System.nanoTime() - value.createdNanos());
                }

                @Override
                public void flush()
                {
                    synchronized (total)
                    {
                        total.add(mine);
                    }
                }
            };
        }
    }
}
