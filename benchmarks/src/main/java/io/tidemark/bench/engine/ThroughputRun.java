package io.tidemark.bench.engine;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import io.tidemark.bench.BenchMain;

/**
 * Runs one throughput workload without JMH, in a child JVM of its own with the heap the
 * engine figures are measured with ({@link ThroughputWorkload#HEAP}, as one sizes a Flink
 * TaskManager), and prints each run's figure and the child's peak RSS: for profiling (JFR
 * records the whole process) and for a peak RSS that belongs to one workload alone.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.tidemark.bench.engine.ThroughputRun [--heap 768m|default] W1 [events [runs]]
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
     *             then the workload (W1, W2 or W3), then optionally N (default 20,000,000)
     *             and the number of runs (default 5).
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
            System.err.println("usage: ThroughputRun [--heap SIZE|default] W1|W2|W3 [events [runs]]");
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
        final ThroughputWorkload workload = ThroughputWorkload.valueOf(args[0].toUpperCase(Locale.ROOT));
        final long events = args.length > 1 ? Long.parseLong(args[1]) : 20_000_000L;
        final int runs = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        final double[] figures = new double[runs];
        for (int i = 0; i < runs; i++)
        {
            final ThroughputWorkload.Result result = workload.run(events);
            figures[i] = result.eventsPerSecond();
            System.out.printf(Locale.ROOT, "%s run %d: %,.0f events/s (%d ms), %,d windows, checksum %d ok%n", workload, i + 1, figures[i],
                result.nanos() / 1_000_000, result.windows(), result.checksum());
        }
        Arrays.sort(figures);
        System.out.printf(Locale.ROOT, "%s median of %d runs: %,.0f events/s; peak RSS %s, max heap %d MiB%n", workload, runs, figures[runs / 2],
            PeakRss.describe(), Runtime.getRuntime().maxMemory() >> 20);
    }
}
