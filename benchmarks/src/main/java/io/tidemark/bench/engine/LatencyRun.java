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
import io.tidemark.engine.functions.ReusableRecord;
import io.tidemark.engine.sink.Sink;
import io.tidemark.engine.sink.SinkWriter;
import io.tidemark.engine.source.ReadStatus;
import io.tidemark.engine.source.Source;
import io.tidemark.engine.source.SourceOutput;
import io.tidemark.engine.source.SourceSplit;
import io.tidemark.engine.source.SplitReader;
import io.tidemark.engine.time.WatermarkStrategy;
import org.HdrHistogram.Histogram;

/**
 * W5 of {@code docs/WORKLOADS.md}: a source paced at 200,000 events/s for 30 s, each event stamped
 * with {@code System.nanoTime()} when created, {@code keyBy(userId) -> map(identity) -> sink},
 * parallelism 2 unless asked otherwise (source and map at that parallelism: twice as many task
 * threads); the sink records {@code nanoTime() - created} of every event in an HdrHistogram.
 * The 30 s measured come after a warm-up of {@value #WARMUP_SECONDS} s at the same pace (a fifth
 * of a shorter run), as a JMH benchmark warms up before it measures: JIT compilation takes most
 * of a core in the first seconds. The figures with the warm-up included are printed too. Runs the job twice, each in a JVM of its own (so that each has its
 * own peak RSS and neither warms the other): with the default channel flush timeout, and with
 * the lowest, zero.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.tidemark.bench.engine.LatencyRun                    # 2 x (5 s warm-up + 30 s)
 * java -cp benchmarks/target/benchmarks.jar io.tidemark.bench.engine.LatencyRun --quick            # 2 x (1 s warm-up + 5 s)
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
    /** The paced run before the measured one, not recorded in the headline figures. */
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
        final int warmup = Math.min(WARMUP_SECONDS, seconds / 5);
        final HistogramSink sink = new HistogramSink();
        final long events = (long)RATE * (warmup + seconds);
        final HeapActivity.Figures heap = run(timeout, seconds, warmup, parallelism, sink);
        final Histogram measured = sink.measured.histogram();
        final Histogram all = sink.all.histogram();
        System.out.printf(Locale.ROOT, "W5 parallelism %d, flush timeout %s: %,d events over %d s after a %d s warm-up; latency p50 %.1f us, "
                + "p99 %.1f us, p99.9 %.1f us, max %.1f us; with the warm-up: p50 %.1f us, p99 %.1f us, p99.9 %.1f us, max %.1f us; "
                + "%d GC pauses, %d ms; %.1f bytes allocated per event; peak RSS %s%n",
            parallelism, timeout, measured.getTotalCount(), seconds, warmup,
            measured.getValueAtPercentile(50) / 1e3, measured.getValueAtPercentile(99) / 1e3, measured.getValueAtPercentile(99.9) / 1e3,
            measured.getMaxValue() / 1e3,
            all.getValueAtPercentile(50) / 1e3, all.getValueAtPercentile(99) / 1e3, all.getValueAtPercentile(99.9) / 1e3, all.getMaxValue() / 1e3,
            heap.collections(), heap.gcMillis(), heap.bytesPerEvent(events), PeakRss.describe());
        if (measured.getTotalCount() != (long)RATE * seconds || all.getTotalCount() != events)
        {
            throw new IllegalStateException("the sink saw " + measured.getTotalCount() + " measured events of " + all.getTotalCount() +
                ", not " + (long)RATE * seconds + " of " + events);
        }
        System.out.println(sink.measured.resultLine("tidemark", timeout, heap.collections(), heap.gcMillis()));
    }

    /**
     * Runs W5 once in this JVM.
     *
     * @param timeout     the channel flush timeout in nanoseconds, or {@code default}.
     * @param seconds     the measured seconds.
     * @param warmup      the seconds before them.
     * @param parallelism the parallelism of source and map.
     * @param sink        records the latencies.
     * @return what the heap did during the whole job.
     */
    static HeapActivity.Figures run(final String timeout, final int seconds, final int warmup, final int parallelism, final HistogramSink sink)
    {
        final StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(parallelism);
        if (!timeout.equals(DEFAULT))
        {
            env.setBufferTimeout(Duration.ofNanos(Long.parseLong(timeout)));
        }
        // A sparse stream's records should not wait for a sleeping consumer's thread.
        env.getConfig().handOff(true);
        // The identity map keeps nothing, so its records may come from the channels' recycled ones.
        env.getConfig().objectReuse(true);
        env.fromSource(new PacedSource((long)RATE * (warmup + seconds), (long)RATE * warmup), WatermarkStrategy.noWatermarks(), "paced")
            .keyByLong(Stamped::userId)
            .map(event -> event)
            .sinkTo(sink);
        try (HeapActivity heap = new HeapActivity())
        {
            env.execute("W5");
            return heap.figures();
        }
    }

    /**
     * A W5 event: the user, as in G(N, 10,000), {@code System.nanoTime()} when the source made
     * it, and whether it is measured or warms up. Mutable: each source split fills one anew for
     * every event, which the channels copy into records they recycle (the engine's object
     * reuse, {@link ReusableRecord}), so that W5 makes no object per event.
     */
    static final class Stamped implements ReusableRecord<Stamped>
    {
        private long userId;
        private long createdNanos;
        private boolean measured;

        Stamped fill(final long user, final long created, final boolean isMeasured)
        {
            userId = user;
            createdNanos = created;
            measured = isMeasured;
            return this;
        }

        long userId()
        {
            return userId;
        }

        long createdNanos()
        {
            return createdNanos;
        }

        boolean measured()
        {
            return measured;
        }

        @Override
        public Stamped copy()
        {
            return new Stamped().fill(userId, createdNanos, measured);
        }

        @Override
        public void copyFrom(final Stamped other)
        {
            fill(other.userId, other.createdNanos, other.measured);
        }
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
     * read, and stamps it when it makes it; events from {@code measuredFrom} on are measured,
     * the earlier ones warm up.
     */
    static final class PacedSource implements Source<Stamped, Split>
    {
        private final long count;
        private final long measuredFrom;

        PacedSource(final long count, final long measuredFrom)
        {
            this.count = count;
            this.measuredFrom = measuredFrom;
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
                private final Stamped event = new Stamped();
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
                        output.collect(event.fill(Event.userOf(next, 10_000), System.nanoTime(), next >= measuredFrom));
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

        @Override
        public boolean reusesRecords()
        {
            return true;
        }
    }

    /**
     * Records each event's latency in its writer's {@link Latencies} (all events, and the
     * measured ones); the writers add theirs to {@code all} and {@code measured} at the end.
     */
    static final class HistogramSink implements Sink<Stamped>
    {
        final Latencies all = new Latencies();
        final Latencies measured = new Latencies();

        @Override
        public SinkWriter<Stamped> createWriter(final int subtaskIndex, final int parallelism)
        {
            final Latencies mine = new Latencies();
            final Latencies mineMeasured = new Latencies();
            return new SinkWriter<>()
            {
                @Override
                public void write(final Stamped value, final long timestamp)
                {
                    final long latency = System.nanoTime() - value.createdNanos();
                    mine.record(value.createdNanos(), latency);
                    if (value.measured())
                    {
                        mineMeasured.record(value.createdNanos(), latency);
                    }
                }

                @Override
                public void flush()
                {
                    mine.addTo(all);
                    mineMeasured.addTo(measured);
                }
            };
        }

        /** A writer reads two fields of each event in {@code write} and keeps nothing of it. */
        @Override
        public boolean keepsRecords()
        {
            return false;
        }
    }
}
