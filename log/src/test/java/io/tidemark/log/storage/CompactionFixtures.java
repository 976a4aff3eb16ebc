package io.tidemark.log.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.tidemark.log.LogConfig;
import io.tidemark.log.LogSlice;
import io.tidemark.log.PartitionLog;
import io.tidemark.log.record.CompressionCodec;
import io.tidemark.log.record.Record;
import io.tidemark.log.record.RecordBatchBuilder;
import io.tidemark.log.record.RecordBatchCursor;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;

/** Keyed batches and a reader that walks the gaps a cleaned log has, for the compaction tests. */
final class CompactionFixtures
{
    /** A keyed write: a null value is a tombstone. */
    record Write(String key, String value)
    {
    }

    private CompactionFixtures()
    {
    }

    /** A compacted topic with small segments, cleaned whenever any segment is dirty, tombstones kept an hour. */
    static LogConfig compacted(final int segmentBytes)
    {
        return LogConfig.DEFAULTS.withOverrides(Map.of(
            LogConfig.CLEANUP_POLICY, "compact",
            LogConfig.SEGMENT_BYTES, Integer.toString(segmentBytes),
            LogConfig.MIN_CLEANABLE_DIRTY_RATIO, "0.01",
            LogConfig.DELETE_RETENTION_MS, "3600000",
            LogConfig.INDEX_INTERVAL_BYTES, "256"));
    }

    /** One batch holding {@code writes}, all at {@code timestamp}. */
    static ByteBuffer batch(final long timestamp, final List<Write> writes)
    {
        return batch(timestamp, writes, CompressionCodec.NONE);
    }

    /** One batch holding {@code writes}, all at {@code timestamp}, its records compressed with {@code codec}. */
    static ByteBuffer batch(final long timestamp, final List<Write> writes, final CompressionCodec codec)
    {
        int capacity = 128;
        for (final Write write : writes)
        {
            capacity += 32 + write.key().length() + (write.value() == null ? 0 : write.value().length());
        }
        final ByteBuffer buffer = ByteBuffer.allocate(capacity);
        final RecordBatchBuilder builder = new RecordBatchBuilder().begin(buffer, 0, capacity).compression(codec);
        for (final Write write : writes)
        {
            builder.append(timestamp, bytes(write.key()), bytes(write.value()));
        }
        return buffer.limit(builder.finish());
    }

    private static byte[] bytes(final String text)
    {
        return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Every record from the log start, stepping over the gaps cleaning left (a read at an
     * offset whose records went returns the next batch), and stopping where nothing is left to
     * read below the log end: the records past a cleaned segment's last batch may all be gone.
     */
    static List<LogFixtures.Stored> readFromStart(final PartitionLog log)
    {
        final List<LogFixtures.Stored> records = new ArrayList<>();
        final RecordBatchCursor cursor = new RecordBatchCursor();
        long next = log.logStartOffset();
        while (next < log.logEndOffset())
        {
            final ByteBuffer bytes = bytesFrom(log, next);
            if (!bytes.hasRemaining())
            {
                break;
            }
            cursor.wrap(bytes, true);
            while (cursor.next())
            {
                final Record record = cursor.batch().records();
                while (record.next())
                {
                    if (record.offset() >= next)
                    {
                        records.add(new LogFixtures.Stored(record.offset(), record.timestamp(), text(record.key()), text(record.value())));
                    }
                }
                next = cursor.batch().lastOffset() + 1;
            }
        }
        return records;
    }

    /**
     * The same records as {@link #readFromStart}, read from the log's bytes by kafka-clients'
     * {@code MemoryRecords}, each batch's CRC and records checked as a Kafka consumer checks them.
     */
    static List<LogFixtures.Stored> readFromStartAsKafka(final PartitionLog log)
    {
        final List<LogFixtures.Stored> records = new ArrayList<>();
        long next = log.logStartOffset();
        while (next < log.logEndOffset())
        {
            final ByteBuffer bytes = bytesFrom(log, next);
            if (!bytes.hasRemaining())
            {
                break;
            }
            for (final MutableRecordBatch batch : MemoryRecords.readableRecords(bytes).batches())
            {
                batch.ensureValid();
                for (final org.apache.kafka.common.record.internal.Record record : batch)
                {
                    record.ensureValid();
                    if (record.offset() >= next)
                    {
                        records.add(new LogFixtures.Stored(record.offset(), record.timestamp(), text(record.key()), text(record.value())));
                    }
                }
                next = batch.lastOffset() + 1;
            }
        }
        return records;
    }

    /** The bytes a read of up to 64 KiB at {@code offset} returns: whole batches, none past the end. */
    static ByteBuffer bytesFrom(final PartitionLog log, final long offset)
    {
        final LogSlice slice = log.read(offset, 1 << 16);
        final ByteBuffer bytes = ByteBuffer.allocate(slice.sizeInBytes());
        try
        {
            slice.readInto(bytes);
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
        return bytes.flip();
    }

    private static String text(final ByteBuffer bytes)
    {
        return bytes == null ? null : StandardCharsets.UTF_8.decode(bytes).toString();
    }

    private static String text(final byte[] bytes)
    {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }
}
