package io.tidemark.connector.log;

import io.tidemark.engine.source.MalformedRecordException;
import io.tidemark.engine.source.ReadStatus;
import io.tidemark.engine.source.SourceOutput;
import io.tidemark.engine.source.SplitReader;
import io.tidemark.log.IsolationLevel;
import io.tidemark.log.PartitionLog;
import io.tidemark.log.TopicPartition;
import io.tidemark.log.consumer.AbortedTransactionFilter;
import io.tidemark.log.errors.LogStorageException;
import io.tidemark.log.errors.OffsetOutOfRangeException;
import io.tidemark.log.record.CorruptRecordException;
import io.tidemark.log.record.Record;
import io.tidemark.log.record.RecordBatch;
import io.tidemark.log.record.RecordBatchCursor;
import io.tidemark.log.record.UnsupportedCompressionException;
import io.tidemark.log.topic.LogManager;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one partition in place: a read of the partition log ({@link PartitionLog#read}, up to
 * {@value #FETCH_BYTES} bytes of whole batches, through the slice's mapped view), then its
 * batches and records where they lie, each record handed to
 * {@link LogDeserializer#deserialize(ByteBuffer, int, int, int, int)} as indexes into the
 * segment's bytes. Nothing is copied, and nothing is allocated per record or per batch; a
 * fetch costs the slice and its view. A compressed batch is decompressed once, when the reader
 * reaches it, into a buffer the reader keeps for the next, and its records are handed over as
 * indexes into that buffer. A read emits at most a batch of records and keeps its
 * place in the fetched bytes, mid-batch if need be, for the next read. It never waits: when
 * the partition has nothing new a read reports {@link ReadStatus#NOTHING_AVAILABLE} and the
 * source task backs off. Each record is emitted with its log timestamp.
 *
 * <p>It reads what the embedded consumer reads: every batch's CRC is checked, control
 * batches (transaction markers) are stepped over, and read_committed reads only below the
 * last stable offset and skips aborted transactions as Kafka's consumer does
 * ({@link AbortedTransactionFilter}). A position that retention has removed resumes at the
 * earliest record kept (the consumer's {@code auto.offset.reset=earliest}), with a warning that
 * says what was lost; so does a position past the log end. A batch whose records do not
 * decompress, or that names no known codec, fails the read naming the partition and offset,
 * after every record before it; reading again fails again.
 *
 * <p>The reader's position is the offset after the last record it emitted (or skipped), so
 * that {@link #currentSplit()} is exactly what a checkpoint taken between two reads must
 * store, even mid-batch.
 *
 * @param <T> the record type.
 */
public final class LogSplitReader<T> implements SplitReader<T>
{
    /** The bytes one fetch reads at most, as the consumer's {@code max.partition.fetch.bytes}. */
    static final int FETCH_BYTES = 1 << 20;

    private static final Logger LOG = LoggerFactory.getLogger(LogSplitReader.class);

    private final LogSplit split;
    private final TopicPartition partition;
    private final PartitionLog log;
    private final LogDeserializer<T> deserializer;
    private final int batch;
    private final boolean readCommitted;
    private final RecordBatchCursor cursor = new RecordBatchCursor();
    private final AbortedTransactionFilter abortedFilter = new AbortedTransactionFilter();
    /** The record cursor of the batch being emitted, or null between batches. */
    private Record records;
    /** Whether {@link #cursor} holds a fetch not yet walked to its end. */
    private boolean fetched;
    private long position;

    LogSplitReader(final LogManager logs, final LogSplit split, final LogDeserializer<T> deserializer, final int batch,
        final IsolationLevel isolation)
    {
        this.split = split;
        this.partition = split.partition();
        this.log = logs.partition(partition);
        this.deserializer = deserializer;
        this.batch = batch;
        this.readCommitted = isolation == IsolationLevel.READ_COMMITTED;
        this.position = split.startingOffset();
    }

    @Override
    public ReadStatus read(final SourceOutput<T> output)
    {
        final long stop = split.stoppingOffset();
        if (position >= stop)
        {
            return ReadStatus.END_OF_SPLIT;
        }
        if (!fetched && !fetch(stop))
        {
            return position >= stop ? ReadStatus.END_OF_SPLIT : ReadStatus.NOTHING_AVAILABLE;
        }
        final long before = position;
        int emitted = 0;
        while (emitted < batch)
        {
            if (records == null && !nextBatch())
            {
                fetched = false;
                break;
            }
            if (!records.next())
            {
                position = Math.max(position, cursor.batch().lastOffset() + 1);
                records = null;
                continue;
            }
            final long offset = records.offset();
            if (offset >= stop)
            {
                position = stop;
                return ReadStatus.END_OF_SPLIT;
            }
            if (offset >= position)
            {
                final T value = deserialize(records);
                if (value != null)
                {
                    output.collect(value, records.timestamp());
                }
                position = offset + 1;
                emitted++;
            }
        }
        position = Math.min(position, stop);
        if (position >= stop)
        {
            return ReadStatus.END_OF_SPLIT;
        }
        return position > before ? ReadStatus.MORE_AVAILABLE : ReadStatus.NOTHING_AVAILABLE;
    }

    /**
     * Reads the bytes from the position on, up to what this reader may see.
     *
     * @return false if there is nothing new to read.
     */
    private boolean fetch(final long stop)
    {
        // Retention may move the log start between two tries: try again until a read lands.
        while (true)
        {
            final long end = log.logEndOffset();
            if (position > end)
            {
                resumeAtLogStart("is past the log end " + end);
                continue;
            }
            final long limit = readCommitted ? log.lastStableOffset() : end;
            final long bound = Math.min(limit, stop);
            if (position >= bound)
            {
                return false;
            }
            final ByteBuffer bytes;
            try
            {
                bytes = log.read(position, FETCH_BYTES, bound).buffer();
            }
            catch (final OffsetOutOfRangeException e)
            {
                resumeAtLogStart("is no longer in the log");
                continue;
            }
            catch (final IOException e)
            {
                throw new LogStorageException("cannot read " + partition + ": " + e.getMessage(), e);
            }
            if (readCommitted)
            {
                abortedFilter.start(log.abortedTransactions(position, limit));
            }
            cursor.wrap(bytes, true);
            records = null;
            fetched = true;
            return true;
        }
    }

    /**
     * Moves to the next batch of the fetch that holds records to emit, stepping over
     * transaction markers and, read committed, aborted transactions.
     *
     * @return false at the end of the fetch.
     */
    private boolean nextBatch()
    {
        while (cursor.next())
        {
            final RecordBatch current = cursor.batch();
            if ((readCommitted && abortedFilter.aborts(current)) || current.isControl())
            {
                position = Math.max(position, current.lastOffset() + 1);
                continue;
            }
            try
            {
                records = current.records();
            }
            catch (final UnsupportedCompressionException | CorruptRecordException e)
            {
                dropFetch();
                throw new MalformedRecordException(partition + " offset " + Math.max(position, current.baseOffset()),
                    "its batch cannot be read: " + e.getMessage(), e);
            }
            return true;
        }
        return false;
    }

    /** Where the consumer's {@code auto.offset.reset=earliest} would go: the first record kept. */
    private void resumeAtLogStart(final String why)
    {
        final long start = log.logStartOffset();
        LOG.warn("{}: position {} {}; resuming at the log start offset {}{}", partition, position, why, start,
            start > position ? " (offsets " + position + " to " + (start - 1) + " were deleted unread)" : "");
        position = Math.min(start, split.stoppingOffset());
        dropFetch();
    }

    /** Forgets the fetched bytes: the next read fetches again from the position, so a read that failed fails again, never skips. */
    private void dropFetch()
    {
        fetched = false;
        records = null;
    }

    private T deserialize(final Record record)
    {
        try
        {
            return deserializer.deserialize(record.buffer(), record.keyOffset(), record.keyLength(), record.valueOffset(), record.valueLength());
        }
        catch (final Exception e)
        {
            dropFetch();
            throw new MalformedRecordException(partition + " offset " + record.offset(), "the deserializer rejects it: " + e, e);
        }
    }

    /**
     * @return the next offset this reader will emit from.
     */
    public long position()
    {
        return position;
    }

    /**
     * @return the split as it stands now: resuming it reads on from where this reader is.
     * What a checkpoint will snapshot per split.
     */
    public LogSplit currentSplit()
    {
        return split.resumedAt(position);
    }

    @Override
    public void close()
    {
        dropFetch();
    }
}
