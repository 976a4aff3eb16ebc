package io.tidemark.bench.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import io.tidemark.bench.Scratch;
import io.tidemark.log.LogConfig;
import io.tidemark.log.TopicPartition;
import io.tidemark.log.record.RecordBatchBuilder;
import io.tidemark.log.storage.SegmentedLog;
import org.agrona.concurrent.SystemEpochClock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One cleaning round over a compacted log of {@code megabytes} MiB in 8 MiB sealed segments:
 * keyed records with 100-byte values in batches of 10, their keys drawn from a tenth as many
 * keys as records (so about 10% of the records are live after cleaning). Each iteration builds
 * the log afresh and times one round; MB/s is the log's size over that time.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class LogCleanerBenchmark
{
    private static final int BATCH_RECORDS = 10;

    @Param({"64"})
    public int megabytes;

    private Path dir;
    private SegmentedLog log;

    /** Writes the log and seals its last segment. */
    @Setup(Level.Iteration)
    public void fill() throws IOException
    {
        dir = Scratch.directory("cleaner");
        log = SegmentedLog.open(new TopicPartition("bench", 0), dir, LogConfig.DEFAULTS.withOverrides(Map.of(
            LogConfig.CLEANUP_POLICY, "compact",
            LogConfig.SEGMENT_BYTES, Integer.toString(8 << 20),
            LogConfig.MIN_CLEANABLE_DIRTY_RATIO, "0")), SystemEpochClock.INSTANCE);
        final SplittableRandom random = new SplittableRandom(42);
        final byte[] value = new byte[Workload.VALUE_SIZE];
        Arrays.fill(value, (byte)'v');
        final ByteBuffer batch = ByteBuffer.allocate(BATCH_RECORDS * (Workload.VALUE_SIZE + 64) + 128);
        final RecordBatchBuilder builder = new RecordBatchBuilder();
        final long target = (long)megabytes << 20;
        final int keys = (int)(target / (Workload.VALUE_SIZE + 30) / 10);
        while (log.sizeInBytes() < target)
        {
            builder.begin(batch.clear(), 0, batch.capacity());
            for (int i = 0; i < BATCH_RECORDS; i++)
            {
                builder.append(System.currentTimeMillis(), String.format("key-%08d", random.nextInt(keys)).getBytes(StandardCharsets.UTF_8), value);
            }
            log.append(batch.limit(builder.finish()));
        }
        log.roll();
    }

    /** Deletes the log. */
    @TearDown(Level.Iteration)
    public void delete() throws IOException
    {
        log.close();
        Scratch.delete(dir);
    }

    /**
     * @return the bytes the round reclaimed.
     */
    @Benchmark
    public long clean()
    {
        return log.clean(System.currentTimeMillis());
    }
}
