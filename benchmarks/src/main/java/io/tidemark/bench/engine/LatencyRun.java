package io.tidemark.bench.engine;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
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
 * parallelism 2 unless asked otherwise (source and map at that parallelism: twice as many task
 * threads); the sink records {@code nanoTime() - created} of every event in an HdrHistogram,
 * and separately those made after the first {@value #WARMUP_SECONDS} s (a fifth of a shorter run),
 * since JIT compilation runs in the first seconds. Runs the job twice, each in a JVM of its own (so that each has its
 * own peak RSS and neither warms the other): with the default channel flush timeout, and with
 * the lowest, zero.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.tidemark.bench.engine.LatencyRun                    # 2 x 30 s
 * java -cp benchmarks/target/benchmarks.jar io.tidemark.bench.engine.LatencyRun --quick            # 2 x 5 s
 * java -cp benchmarks/target/benchmarks.jar io.tidemark.bench.engine.LatencyRun --parallelism 1    # 2 task threads
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
    /** Events made this long after the start are also recorded apart, as the steady state. */
    public static final int WARMUP_SECONDS = 5;

    private static final String DEFAULT = "default";

    private LatencyRun()
    {
    }

    /**
     * @param args {@code --quick} for 5 s runs, {@code --parallelism N} (default 2);
     *             {@code --child <default|nanos> <seconds> <parallelism>} is what the parent
     *             passes to the JVMs it starts.
     * @throws Exception if a run fails.
     */
    public static void main(final String[] args) throws Exception
    {
        if (args.length == 4 && args[0].equals("--child"))
        {
            runHere(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            return;
        }
        int seconds = SECONDS;
        int parallelism = ThroughputWorkload.PARALLELISM;
        for (int i = 0; i < args.length; i++)
        {
            if (args[i].equals("--quick"))
            {
                seconds = QUICK_SECONDS;
            }
            else if (args[i].equals("--parallelism") && i + 1 < args.length)
            {
                parallelism = Integer.parseInt(args[++i]);
            }
            else
            {
                throw new IllegalArgumentException("usage: LatencyRun [--quick] [--parallelism N]; unknown argument: " + args[i]);
            }
        }
        for (final String timeout : List.of(DEFAULT, "0"))
        {
            fork(timeout, seconds, parallelism);
        }
    }

    private static void fork(final String timeout, final int seconds, final int parallelism) throws IOException, InterruptedException
    {
        final List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(List.of(BenchMain.forkFlags()));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), LatencyRun.class.getName(), "--child", timeout, Integer.toString(seconds),
            Integer.toString(parallelism)));
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

    private static void runHere(final String timeout, final int seconds, final int parallelism)
    {
        final StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(parallelism);
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
        final long gcCountBefore = gcCount();
        final long gcMillisBefore = gcMillis();
        final int warmup = Math.min(WARMUP_SECONDS, seconds / 5);
        sink.steadyFromNanos = System.nanoTime() + Duration.ofSeconds(warmup).toNanos();
        env.execute("W5");
        final Histogram h = sink.total;
        final Histogram steady = sink.steady;
        System.out.printf(Locale.ROOT, "W5 parallelism %d, flush timeout %s (%d us): %,d events over %d s; latency p50 %.1f us, p99 %.1f us, p99.9 %.1f us, max %.1f us; "
                + "after the first %d s: p50 %.1f us, p99 %.1f us, p99.9 %.1f us, max %.1f us; %d GC pauses, %d ms; peak RSS %s%n",
            parallelism, timeout, config.bufferTimeoutNanos() / 1_000, h.getTotalCount(), seconds,
            h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(99) / 1e3, h.getValueAtPercentile(99.9) / 1e3, h.getMaxValue() / 1e3,
            warmup, steady.getValueAtPercentile(50) / 1e3, steady.getValueAtPercentile(99) / 1e3, steady.getValueAtPercentile(99.9) / 1e3, steady.getMaxValue() / 1e3,
            gcCount() - gcCountBefore, gcMillis() - gcMillisBefore, PeakRss.describe());
        if (h.getTotalCount() != (long)RATE * seconds)
        {
            throw new IllegalStateException("the sink saw " + h.getTotalCount() + " events, not " + (long)RATE * seconds);
        }
    }

    private static long gcCount()
    {
        long count = 0;
        for (final GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans())
        {
            count += Math.max(0, gc.getCollectionCount());
        }
        return count;
    }

    private static long gcMillis()
    {
        long millis = 0;
        for (final GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans())
        {
            millis += Math.max(0, gc.getCollectionTime());
        }
        return millis;
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

    /**
     * Records each event's latency in its writer's histograms (all events, and those made from
     * {@code steadyFromNanos} on); the writers add theirs to {@code total} and {@code steady} at
     * the end.
     */
    static final class HistogramSink implements Sink<Stamped>
    {
        final Histogram total = new Histogram(3_600_000_000_000L, 3);
        final Histogram steady = new Histogram(3_600_000_000_000L, 3);
        volatile long steadyFromNanos = Long.MAX_VALUE;

        @Override
        public SinkWriter<Stamped> createWriter(final int subtaskIndex, final int parallelism)
        {
            final Histogram mine = new Histogram(3_600_000_000_000L, 3);
            final Histogram mineSteady = new Histogram(3_600_000_000_000L, 3);
            final long steadyFrom = steadyFromNanos;
            return new SinkWriter<>()
            {
                @Override
                public void write(final Stamped value, final long timestamp)
                {
                    final long latency = System.nanoTime() - value.createdNanos();
                    mine.recordValue(latency);
                    if (value.createdNanos() - steadyFrom >= 0)
                    {
                        mineSteady.recordValue(latency);
                    }
                }

                @Override
                public void flush()
                {
                    synchronized (total)
                    {
                        total.add(mine);
                        steady.add(mineSteady);
                    }
                }
            };
        }
    }
}
