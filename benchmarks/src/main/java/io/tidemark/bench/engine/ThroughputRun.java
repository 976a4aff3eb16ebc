package io.tidemark.bench.engine;

import java.util.Arrays;
import java.util.Locale;

/**
 * Runs one throughput workload in this JVM, without JMH, and prints each run's figure and
 * the process's peak RSS: for profiling (JFR records the whole process) and for a peak RSS
 * that belongs to one workload alone.
 *
 * <pre>
 * java --add-exports=java.base/jdk.internal.misc=ALL-UNNAMED -cp benchmarks/target/benchmarks.jar \
 *     io.tidemark.bench.engine.ThroughputRun W1 [events [runs]]
 * </pre>
 */
public final class ThroughputRun
{
    private ThroughputRun()
    {
    }

    /**
     * @param args the workload (W1, W2 or W3), then optionally N (default 20,000,000) and
     *             the number of runs (default 5).
     */
    public static void main(final String[] args)
    {
        if (args.length < 1 || args.length > 3)
        {
            System.err.println("usage: ThroughputRun W1|W2|W3 [events [runs]]");
            System.exit(2);
        }
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
        System.out.printf(Locale.ROOT, "%s median of %d runs: %,.0f events/s; peak RSS %s%n", workload, runs, figures[runs / 2], PeakRss.describe());
    }
}
