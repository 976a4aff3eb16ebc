package io.tidemark.bench.engine;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.tidemark.bench.BenchMain;
import io.tidemark.bench.server.ProcessCpu;
import io.tidemark.engine.checkpoint.CheckpointStats;

/**
 * Runs throughput workloads without JMH, in a child JVM of its own with the heap the engine
 * figures are measured with ({@link ThroughputWorkload#HEAP}, as one sizes a Flink
 * TaskManager), and prints each run's figure and the child's peak RSS: for profiling (JFR
 * records the whole process) and for a peak RSS that belongs to one workload alone. Several
 * workloads, comma-separated, alternate run by run in the same child: {@code W1,W4} sets the
 * checkpointed W4 beside W1 and prints W4's median as a share of W1's. A checkpointed
 * workload also prints what each checkpoint cost (duration, size, alignment, synchronous
 * part) and a summary over all runs. Each run also reports the process's CPU time per event
 * (every thread: tasks, checkpoint writer, JIT and GC), which swings far less than wall time
 * with the load of a shared machine, and what the heap did: bytes allocated per event, the
 * number of collections and their time ({@link HeapActivity}).
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.tidemark.bench.engine.ThroughputRun [--heap 768m|default] W1[,W4...] [events [runs]]
 * </pre>
 *
 * {@code --heap default} leaves the heap to the JVM (a quarter of the machine's memory).
 * Flags such as {@code -XX:StartFlightRecording} go to the child through the
 * {@code TIDEMARK_CHILD_FLAGS} environment variable, split at spaces.
 */
public final class ThroughputRun
{
    private static final String CHILD = "--child";
    private static final String DEFAULT_HEAP = "default";

    private ThroughputRun()
    {
    }

    /**
     * @param args optionally {@code --heap SIZE} (a {@code -Xmx} size, or {@code default}),
     *             then the workloads (W1, W2, W3, W4 or W3C, several comma-separated), then
     *             optionally N (default 20,000,000) and the number of runs of each (default 5).
     * @throws IOException          if the child JVM cannot start.
     * @throws InterruptedException if interrupted while waiting for it.
     */
    public static void main(final String[] args) throws IOException, InterruptedException
    {
        if (args.length > 0 && args[0].equals(CHILD))
        {
            runHere(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        String heap = ThroughputWorkload.HEAP;
        int first = 0;
        if (args.length > 1 && args[0].equals("--heap"))
        {
            heap = args[1];
            first = 2;
        }
        if (args.length - first < 1 || args.length - first > 3)
        {
            System.err.println("usage: ThroughputRun [--heap SIZE|default] W1|W2|W3|W4|W3C[,...] [events [runs]]");
            System.exit(2);
        }
        final List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(List.of(BenchMain.forkFlags()));
        if (!heap.equals(DEFAULT_HEAP))
        {
            command.add("-Xmx" + heap);
        }
        final String extra = System.getenv("TIDEMARK_CHILD_FLAGS");
        if (extra != null && !extra.isBlank())
        {
            command.addAll(List.of(extra.trim().split(" +")));
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), ThroughputRun.class.getName(), CHILD));
        command.addAll(Arrays.asList(args).subList(first, args.length));
        final int exit = new ProcessBuilder(command).inheritIO().start().waitFor();
        if (exit != 0)
        {
            System.exit(exit);
        }
    }

    private static void runHere(final String[] args)
    {
        final List<ThroughputWorkload> workloads = new ArrayList<>();
        for (final String name : args[0].split(","))
        {
            workloads.add(ThroughputWorkload.valueOf(name.trim().toUpperCase(Locale.ROOT)));
        }
        final long events = args.length > 1 ? Long.parseLong(args[1]) : 20_000_000L;
        final int runs = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        final Map<ThroughputWorkload, double[]> figures = new LinkedHashMap<>();
        final Map<ThroughputWorkload, double[]> cpu = new LinkedHashMap<>();
        final Map<ThroughputWorkload, double[]> allocation = new LinkedHashMap<>();
        final Map<ThroughputWorkload, List<CheckpointStats>> checkpoints = new LinkedHashMap<>();
        for (final ThroughputWorkload workload : workloads)
        {
            figures.put(workload, new double[runs]);
            cpu.put(workload, new double[runs]);
            allocation.put(workload, new double[runs]);
            checkpoints.put(workload, new ArrayList<>());
        }
        // Several workloads alternate run by run, so that a change in the machine's load
        // falls on all of them alike.
        for (int i = 0; i < runs; i++)
        {
            for (final ThroughputWorkload workload : workloads)
            {
                final long cpuBefore = ProcessCpu.clientNanos();
                final ThroughputWorkload.Result result = workload.run(events);
                figures.get(workload)[i] = result.eventsPerSecond();
                cpu.get(workload)[i] = (double)(ProcessCpu.clientNanos() - cpuBefore) / events;
                final HeapActivity.Figures heap = result.heap();
                allocation.get(workload)[i] = heap.bytesPerEvent(events);
                System.out.printf(Locale.ROOT, "%s run %d: %,.0f events/s (%d ms), CPU %.0f ns/event, %.1f B/event allocated, GC %d (%d ms), %,d windows, checksum %d ok%s%n",
                    workload, i + 1, result.eventsPerSecond(), result.nanos() / 1_000_000, cpu.get(workload)[i], allocation.get(workload)[i], heap.collections(),
                    heap.gcMillis(), result.windows(), result.checksum(),
                    workload.uncheckpointed() == null ? "" : ", " + result.checkpoints().size() + " checkpoints");
                for (final CheckpointStats stats : result.checkpoints())
                {
                    System.out.println("    " + CheckpointFigures.describe(stats));
                }
                checkpoints.get(workload).addAll(result.checkpoints());
            }
        }
        for (final ThroughputWorkload workload : workloads)
        {
            System.out.printf(Locale.ROOT, "%s median of %d runs: %,.0f events/s%s; CPU %.0f ns/event%s; %.1f B/event allocated%n", workload, runs,
                median(figures.get(workload)), relative(workload, figures), median(cpu.get(workload)), relative(workload, cpu), median(allocation.get(workload)));
            if (workload.uncheckpointed() != null)
            {
                System.out.println("    " + CheckpointFigures.summarize(checkpoints.get(workload)));
            }
        }
        System.out.printf(Locale.ROOT, "peak RSS %s, max heap %d MiB%n", PeakRss.describe(), Runtime.getRuntime().maxMemory() >> 20);
    }

    /**
     * @return for a checkpointed workload run beside the one it checkpoints, its median
     * against that one's; otherwise nothing.
     */
    private static String relative(final ThroughputWorkload workload, final Map<ThroughputWorkload, double[]> figures)
    {
        final double[] base = figures.get(workload.uncheckpointed());
        if (base == null)
        {
            return "";
        }
        return String.format(Locale.ROOT, " (%.1f%% of %s's)", 100 * median(figures.get(workload)) / median(base), workload.uncheckpointed());
    }

    private static double median(final double[] figures)
    {
        final double[] sorted = figures.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
