package io.tidemark.bench.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import io.tidemark.bench.Scratch;
import io.tidemark.log.LogConfig;
import io.tidemark.log.TimestampOffset;
import io.tidemark.log.TopicPartition;
import io.tidemark.log.record.RecordBatch;
import io.tidemark.log.storage.SegmentedLog;
import org.agrona.concurrent.SystemEpochClock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Latency of finding a position in a log of 2 million records in batches of 10 across 16 MiB
 * segments: by offset (a consumer's seek: segment by base offset, sparse index, then batch
 * headers) and by timestamp ({@code offsetsForTimes}: time index, then headers, then records).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class LogLookupBenchmark
{
    private static final int RECORDS = 2_000_000;
    private static final long T0 = 1_700_000_000_000L;

    private Path dir;
    private SegmentedLog log;
    private final SplittableRandom random = new SplittableRandom(42);

    /** Fills the log once; record n has timestamp T0 + n. */
    @Setup(Level.Trial)
    public void fill() throws IOException
    {
        dir = Scratch.directory("lookup");
        log = SegmentedLog.open(new TopicPartition("bench", 0), dir,
            LogConfig.DEFAULTS.withOverrides(Map.of(LogConfig.SEGMENT_BYTES, Integer.toString(16 << 20))), SystemEpochClock.INSTANCE);
        final ByteBuffer batch = Workload.batch(10, T0);
        final RecordBatch view = new RecordBatch();
        for (int i = 0; i < RECORDS / 10; i++)
        {
            // Shift the batch's timestamps so that record n is stamped T0 + n.
            view.wrap(batch, 0);
            batch.putLong(io.tidemark.log.record.RecordBatchLayout.BASE_TIMESTAMP_OFFSET, T0 + i * 10L);
            batch.putLong(io.tidemark.log.record.RecordBatchLayout.MAX_TIMESTAMP_OFFSET, T0 + i * 10L + 9);
            batch.putInt(io.tidemark.log.record.RecordBatchLayout.CRC_OFFSET, (int)view.computeCrc());
            log.append(batch.position(0));
        }
    }

    /** Deletes the log. */
    @TearDown(Level.Trial)
    public void delete() throws IOException
    {
        log.close();
        Scratch.delete(dir);
    }

    /**
     * @return the position found for a random offset.
     */
    @Benchmark
    public int offsetLookup()
    {
        return log.read(random.nextLong(RECORDS), 1).sizeInBytes();
    }

    /**
     * @return the first record at or after a random timestamp.
     */
    @Benchmark
    public TimestampOffset timestampLookup()
    {
        return log.offsetForTimestamp(T0 + random.nextLong(RECORDS));
    }
}
