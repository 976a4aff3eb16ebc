package io.tidemark.bench.storage;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

import io.tidemark.bench.Scratch;
import io.tidemark.log.LogConfig;
import io.tidemark.log.TopicPartition;
import io.tidemark.log.storage.SegmentedLog;
import org.HdrHistogram.Histogram;
import org.agrona.concurrent.SystemEpochClock;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Single-record appends through several segment rolls, each append timed: what an embedded
 * writer meets at a roll, which the JMH benchmarks (a fresh log per iteration, never rolling)
 * do not show. A plain loop in one JVM, the way such a writer runs; prints the distribution of
 * append times, the worst append and where it fell, and the rate over the whole run.
 *
 * <pre>
 * java --add-exports=java.base/jdk.internal.misc=ALL-UNNAMED -cp benchmarks/target/benchmarks.jar \
 *     io.tidemark.bench.storage.RollStallRun --segment-bytes 1073741824 --records 20000000
 * </pre>
 */
@Command(name = "roll-stall", mixinStandardHelpOptions = true,
    description = "Times each single-record append across segment rolls: percentiles, the worst append, and the rate.")
public final class RollStallRun implements Callable<Integer>
{
    private static final long MS = 1_000_000L;

    @Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--segment-bytes", defaultValue = "1073741824", description = "The log's segment.bytes (default: ${DEFAULT-VALUE}).")
    private int segmentBytes;

    @Option(names = "--records", defaultValue = "20000000", description = "Records to append (default: ${DEFAULT-VALUE}).")
    private long records;

    @Option(names = "--value-bytes", defaultValue = "100", description = "Each record's value, no key (default: ${DEFAULT-VALUE}).")
    private int valueBytes;

    private RollStallRun()
    {
    }

    /**
     * Runs one measurement and exits with its code.
     *
     * @param args the options; {@code --help} lists them.
     */
    public static void main(final String[] args)
    {
        System.exit(new CommandLine(new RollStallRun()).execute(args));
    }

    @Override
    public Integer call() throws Exception
    {
        if (segmentBytes <= 0 || records <= 0 || valueBytes < 0)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "sizes and counts must be positive");
        }
        final byte[] value = new byte[valueBytes];
        final Histogram nanos = new Histogram(3);
        long worst = 0;
        long worstAt = -1;
        long overOneMs = 0;
        final Path dir = Scratch.directory("roll-stall");
        final LogConfig config = LogConfig.DEFAULTS.withOverrides(Map.of(LogConfig.SEGMENT_BYTES, Integer.toString(segmentBytes)));
        final long start = System.nanoTime();
        final int segments;
        try (SegmentedLog log = SegmentedLog.open(new TopicPartition("roll-stall", 0), dir, config, SystemEpochClock.INSTANCE))
        {
            for (long i = 0; i < records; i++)
            {
                final long before = System.nanoTime();
                log.appendRecord(null, value);
                final long took = System.nanoTime() - before;
                nanos.recordValue(took);
                if (took > worst)
                {
                    worst = took;
                    worstAt = i;
                }
                if (took > MS)
                {
                    overOneMs++;
                }
            }
            segments = log.segmentCount();
        }
        finally
        {
            Scratch.delete(dir);
        }
        final double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("records %d, segments %d, %.2f s, %.2f M records/s%n", records, segments, seconds, records / seconds / 1e6);
        System.out.printf("append us: p50 %.2f, p99 %.2f, p99.9 %.2f, p99.99 %.1f, max %.1f (record %d); over 1 ms: %d%n",
            nanos.getValueAtPercentile(50) / 1e3, nanos.getValueAtPercentile(99) / 1e3, nanos.getValueAtPercentile(99.9) / 1e3,
            nanos.getValueAtPercentile(99.99) / 1e3, worst / 1e3, worstAt, overOneMs);
        return 0;
    }
}
