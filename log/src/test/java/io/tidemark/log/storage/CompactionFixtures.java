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
import io.tidemark.log.record.Record;
import io.tidemark.log.record.RecordBatchBuilder;
import io.tidemark.log.record.RecordBatchCursor;

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
        int capacity = 128;
        for (final Write write : writes)
        {
            capacity += 32 + write.key().length() + (write.value() == null ? 0 : write.value().length());
        }
        final ByteBuffer buffer = ByteBuffer.allocate(capacity);
        final RecordBatchBuilder builder = new RecordBatchBuilder().begin(buffer, 0, capacity);
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
            final LogSlice slice = log.read(next, 1 << 16);
            if (slice.sizeInBytes() == 0)
            {
                break;
            }
            final ByteBuffer bytes = ByteBuffer.allocate(slice.sizeInBytes());
            try
            {
                slice.readInto(bytes);
            }
            catch (final IOException e)
            {
                throw new UncheckedIOException(e);
            }
            cursor.wrap(bytes.flip(), true);
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

    private static String text(final byte[] bytes)
    {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }
}
