package io.tidemark.log.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.tidemark.log.LogSlice;
import io.tidemark.log.PartitionLog;
import io.tidemark.log.record.Record;
import io.tidemark.log.record.RecordBatchBuilder;
import io.tidemark.log.record.RecordBatchCursor;

/** Builds batches and reads logs back for the storage tests. */
final class LogFixtures
{
    /** A record as read back. */
    record Stored(long offset, long timestamp, String key, String value)
    {
    }

    private LogFixtures()
    {
    }

    /**
     * A batch of records whose values are {@code prefix + i}, keys {@code "k" + i}, and
     * timestamps {@code timestamps[i]}.
     */
    static ByteBuffer batch(final String prefix, final long... timestamps)
    {
        final ByteBuffer buffer = ByteBuffer.allocate(64 + timestamps.length * (64 + prefix.length()));
        final RecordBatchBuilder builder = new RecordBatchBuilder().begin(buffer, 0, buffer.capacity());
        for (int i = 0; i < timestamps.length; i++)
        {
            builder.append(timestamps[i], ("k" + i).getBytes(StandardCharsets.UTF_8), (prefix + i).getBytes(StandardCharsets.UTF_8));
        }
        return buffer.limit(builder.finish());
    }

    /** A batch of {@code count} records with values {@code prefix + i}, all at {@code timestamp}. */
    static ByteBuffer batchOf(final String prefix, final int count, final long timestamp)
    {
        final long[] timestamps = new long[count];
        java.util.Arrays.fill(timestamps, timestamp);
        return batch(prefix, timestamps);
    }

    /**
     * {@code batches} batches of {@code count} records each in one buffer, as one call appends
     * them; batch {@code b} holds values {@code prefix + b + "-" + i}, all at {@code timestamp}.
     */
    static ByteBuffer batchesOf(final String prefix, final int batches, final int count, final long timestamp)
    {
        final List<ByteBuffer> each = new ArrayList<>();
        int bytes = 0;
        for (int b = 0; b < batches; b++)
        {
            final ByteBuffer batch = batchOf(prefix + b + "-", count, timestamp);
            bytes += batch.remaining();
            each.add(batch);
        }
        final ByteBuffer all = ByteBuffer.allocate(bytes);
        each.forEach(all::put);
        return all.flip();
    }

    private static String text(final byte[] bytes)
    {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    /** Every record from {@code from} to the log end, checking each batch's CRC. */
    static List<Stored> readAll(final PartitionLog log, final long from)
    {
        final List<Stored> records = new ArrayList<>();
        long next = from;
        while (next < log.logEndOffset())
        {
            next = readOnce(log, next, 4096, records);
        }
        return records;
    }

    /**
     * One read of up to {@code maxBytes} from {@code from}, checking each batch's CRC.
     *
     * @param into where the records at {@code from} or after go.
     * @return the offset after the last batch read: {@code from} if the read returned nothing.
     */
    static long readOnce(final PartitionLog log, final long from, final int maxBytes, final List<Stored> into)
    {
        final RecordBatchCursor cursor = new RecordBatchCursor();
        long next = from;
        try
        {
            final LogSlice slice = log.read(from, maxBytes);
            final ByteBuffer bytes = ByteBuffer.allocate(slice.sizeInBytes());
            slice.readInto(bytes);
            cursor.wrap(bytes.flip(), true);
            while (cursor.next())
            {
                final Record record = cursor.batch().records();
                while (record.next())
                {
                    if (record.offset() >= from)
                    {
                        into.add(new Stored(record.offset(), record.timestamp(), text(record.key()), text(record.value())));
                    }
                }
                next = cursor.batch().lastOffset() + 1;
            }
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
        return next;
    }
}
