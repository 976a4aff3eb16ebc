package io.tidemark.log.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;

import io.tidemark.log.AbortedTransaction;
import io.tidemark.log.LogSlice;
import io.tidemark.log.PartitionLog;
import io.tidemark.log.record.ControlRecord;
import io.tidemark.log.record.Record;
import io.tidemark.log.record.RecordBatch;
import io.tidemark.log.record.RecordBatchCursor;

/**
 * A read-committed reader as Kafka's consumer is one: it fetches up to the last stable offset
 * with {@link PartitionLog#read(long, int, long)}, asks for the aborted transactions of what it
 * fetched, and within each fetch skips the batches of a producer from the first offset of its
 * aborted transaction until that producer's abort marker. Control batches are never returned.
 */
final class ReadCommittedReader
{
    private ReadCommittedReader()
    {
    }

    /**
     * @param log the log.
     * @param from the first offset to read.
     * @param maxBytes the size of each fetch (small, to make many).
     * @return the values of the records a read-committed consumer gets, in offset order.
     */
    static List<String> read(final PartitionLog log, final long from, final int maxBytes)
    {
        final List<String> values = new ArrayList<>();
        final long stable = log.lastStableOffset();
        long next = from;
        try
        {
            while (next < stable)
            {
                final LogSlice slice = log.read(next, maxBytes, stable);
                if (slice.sizeInBytes() == 0)
                {
                    throw new AssertionError("an empty fetch at " + next + " below the last stable offset " + stable);
                }
                final ByteBuffer bytes = ByteBuffer.allocate(slice.sizeInBytes());
                slice.readInto(bytes);
                next = consume(bytes.flip(), next, stable, log, values);
            }
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
        return values;
    }

    private static long consume(final ByteBuffer bytes, final long fetchOffset, final long stable, final PartitionLog log,
        final List<String> values)
    {
        final RecordBatchCursor cursor = new RecordBatchCursor().wrap(bytes, true);
        long end = fetchOffset;
        final List<Integer> starts = new ArrayList<>();
        while (cursor.next())
        {
            final RecordBatch batch = cursor.batch();
            if (batch.baseOffset() >= stable)
            {
                throw new AssertionError("a read-committed fetch returned batch " + batch + " at or above the last stable offset " + stable);
            }
            starts.add(batch.offset());
            end = batch.lastOffset() + 1;
        }
        final PriorityQueue<AbortedTransaction> aborted = new PriorityQueue<>(Comparator.comparingLong(AbortedTransaction::firstOffset));
        aborted.addAll(log.abortedTransactions(fetchOffset, end));
        final Set<Long> abortedProducers = new HashSet<>();
        final RecordBatch batch = new RecordBatch();
        for (final int start : starts)
        {
            batch.wrap(bytes, start);
            if (batch.producerId() >= 0)
            {
                while (!aborted.isEmpty() && aborted.peek().firstOffset() <= batch.lastOffset())
                {
                    abortedProducers.add(aborted.poll().producerId());
                }
                if (batch.isControl() && ControlRecord.type(batch) == ControlRecord.ABORT)
                {
                    abortedProducers.remove(batch.producerId());
                    continue;
                }
                if (batch.isTransactional() && abortedProducers.contains(batch.producerId()))
                {
                    continue;
                }
            }
            if (batch.isControl())
            {
                continue;
            }
            final Record record = batch.records();
            while (record.next())
            {
                if (record.offset() >= fetchOffset)
                {
                    values.add(new String(record.value(), StandardCharsets.UTF_8));
                }
            }
        }
        return end;
    }
}
