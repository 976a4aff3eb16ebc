package io.tidemark.bench.engine;

import java.util.Locale;

/**
 * One throughput workload in this JVM, the way {@code benchmarks/engine-vs-flink.sh} runs it
 * beside the same workload on Apache Flink ({@code EngineFlink} in {@code benchmarks/flink-anchor}):
 * the warm-up runs asked for, each printed as a {@code WARMUP} line and left out, then one run
 * measured and printed as a {@code RESULT} line with its events/s (from the first event made to
 * the end of the job), the garbage collections during it and this JVM's peak RSS. The script
 * starts a cold JVM with the same {@code -Xmx} per run on both sides.
 *
 * <pre>
 * java -Xmx768m --add-exports=java.base/jdk.internal.misc=ALL-UNNAMED -cp benchmarks/target/benchmarks.jar \
 *     io.tidemark.bench.engine.SideBySideRun W1|W2|W3 EVENTS WARMUPS
 * </pre>
 */
public final class SideBySideRun
{
    private SideBySideRun()
    {
    }

    /**
     * @param args the workload, the number of events, the number of warm-up runs before the
     *             one measured.
     */
    public static void main(final String[] args)
    {
        if (args.length != 3)
        {
            System.err.println("usage: SideBySideRun W1|W2|W3 EVENTS WARMUPS");
            System.exit(2);
        }
        final ThroughputWorkload workload = ThroughputWorkload.valueOf(args[0].toUpperCase(Locale.ROOT));
        final long events = Long.parseLong(args[1]);
        final int warmups = Integer.parseInt(args[2]);
        for (int run = 0; run <= warmups; run++)
        {
            final long gcCount = RunFigures.gcCount();
            final long gcMillis = RunFigures.gcMillis();
            final ThroughputWorkload.Result result = workload.run(events);
            System.out.println(RunFigures.throughput(run < warmups ? RunFigures.WARMUP : RunFigures.MEASURED, "tidemark", workload.name(), events,
                result.nanos(), result.checksum(), RunFigures.gcCount() - gcCount, RunFigures.gcMillis() - gcMillis));
        }
    }
}
