package io.tidemark.bench.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

import io.tidemark.log.LogConfig;
import io.tidemark.log.TopicPartition;
import io.tidemark.log.record.RecordBatchBuilder;
import io.tidemark.log.storage.SegmentedLog;
import org.agrona.concurrent.SystemEpochClock;

/** The storage workload: records with a 100-byte value and no key, and scratch directories. */
final class Workload
{
    /** The value size of every record. */
    static final int VALUE_SIZE = 100;

    private Workload()
    {
    }

    /**
     * @return a direct buffer holding one batch of {@code records} records.
     */
    static ByteBuffer batch(final int records, final long timestamp)
    {
        final ByteBuffer buffer = ByteBuffer.allocateDirect(128 + records * (VALUE_SIZE + 16));
        final RecordBatchBuilder builder = new RecordBatchBuilder().begin(buffer, 0, buffer.capacity());
        final byte[] value = new byte[VALUE_SIZE];
        for (int i = 0; i < records; i++)
        {
            value[0] = (byte)i;
            builder.append(timestamp + i, null, value);
        }
        return buffer.limit(builder.finish());
    }

    /**
     * @return a log in {@code dir}, default configuration, holding {@code records} records in
     *         batches of 100.
     */
    static SegmentedLog filledLog(final Path dir, final int records)
    {
        final SegmentedLog log = SegmentedLog.open(new TopicPartition("bench", 0), dir, LogConfig.DEFAULTS, SystemEpochClock.INSTANCE);
        final ByteBuffer batch = batch(100, System.currentTimeMillis());
        for (int i = 0; i < records / 100; i++)
        {
            log.append(batch.position(0));
        }
        return log;
    }
}
