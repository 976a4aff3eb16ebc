package io.tidemark.log.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.tidemark.log.record.Record;
import io.tidemark.log.record.RecordBatch;
import io.tidemark.log.record.RecordBatchRewriter;

import static io.tidemark.log.record.RecordBatchLayout.NO_PRODUCER_ID;

/**
 * One cleaning round's work on sealed segments, Kafka's way: {@link #map} records the offset of
 * the latest record of every key in the dirty segments in an {@link OffsetMap} (as many as it
 * holds), then {@link #cleanInto} copies a segment keeping only the records no later record of
 * the same key supersedes.
 *
 * <p>A kept batch keeps its base offset, its records their offset deltas and bytes, and its
 * header its producer id, epoch, base sequence and last offset delta, so every surviving record
 * keeps its offset (the log has gaps after cleaning) and a replay of the producer state from the
 * batch headers sees the same sequences. A batch all of whose records go is dropped, except the
 * last batch of each producer among the segments cleaned, which stays as a header without
 * records (as in Kafka) so the replay still finds that producer's last sequence.
 *
 * <p>A compressed batch is mapped and cleaned alike, its records decompressed by the view; one
 * that loses records is compressed again with its own codec ({@link RecordBatchRewriter}), and one
 * that keeps them all is copied byte for byte, as in Kafka. Transactional batches and control
 * batches (markers) are kept whole and not mapped: a record of an aborted or open transaction
 * must not supersede an older value. Records without a key (written before the topic was
 * compacted) are kept.
 *
 * <p>Not thread-safe: the log runs one round at a time.
 */
final class LogCleaner
{
    private static final int WRITE_BUFFER = 1 << 20;

    /** Each key (its hash) to the offset of its latest record in the dirty segments. */
    private final OffsetMap latest;
    /** Each producer id to the base offset of its last batch in the segments cleaned. */
    private final Map<Long, Long> lastBatches = new HashMap<>();
    private final RecordBatch view = new RecordBatch();
    private final RecordBatchRewriter rewriter = new RecordBatchRewriter();
    private final ByteBuffer pending = ByteBuffer.allocate(WRITE_BUFFER);

    /**
     * @param latest the map of keys to use, which this cleaner's rounds clear.
     */
    LogCleaner(final OffsetMap latest)
    {
        this.latest = latest;
    }

    /**
     * Starts a round: maps the keys of the records of {@code dirty} from {@code fromOffset} on,
     * up to the first record whose key does not fit the map, and finds each producer's last
     * batch in {@code cleaned}.
     *
     * @param dirty the sealed segments after the cleaner checkpoint, oldest first.
     * @param cleaned every segment the round may rewrite, oldest first.
     * @param fromOffset the cleaner checkpoint: records below it were mapped by an earlier round.
     * @return the offset of the first record left unmapped because the map was full, or
     *         {@link Long#MAX_VALUE} if every record was mapped: the round cleans no further.
     * @throws IOException if a segment cannot be read.
     */
    long map(final List<Segment> dirty, final List<Segment> cleaned, final long fromOffset) throws IOException
    {
        lastBatches.clear();
        long records = 0;
        for (final Segment segment : cleaned)
        {
            final ByteBuffer bytes = segment.mappedView(0, segment.size());
            for (int position = 0; position < bytes.limit(); position += view.sizeInBytes())
            {
                view.wrap(bytes, position);
                if (view.producerId() != NO_PRODUCER_ID && !view.isControl())
                {
                    lastBatches.put(view.producerId(), view.baseOffset());
                }
                if (cleanable(view) && view.lastOffset() >= fromOffset)
                {
                    records += view.recordCount();
                }
            }
        }
        // The records to map bound the keys, so a small round clears and probes a small table.
        latest.clear(records);
        for (final Segment segment : dirty)
        {
            final ByteBuffer bytes = segment.mappedView(0, segment.size());
            for (int position = 0; position < bytes.limit(); position += view.sizeInBytes())
            {
                view.wrap(bytes, position);
                if (!cleanable(view) || view.lastOffset() < fromOffset)
                {
                    continue;
                }
                final Record record = view.records();
                while (record.next())
                {
                    if (record.keyLength() >= 0 && record.offset() >= fromOffset &&
                        !latest.put(record.buffer(), record.keyOffset(), record.keyLength(), record.offset()))
                    {
                        return record.offset();
                    }
                }
            }
        }
        return Long.MAX_VALUE;
    }

    /** @return how many keys the round mapped. */
    int mappedKeys()
    {
        return latest.size();
    }

    /**
     * Writes the batches of {@code segment} that keep at least one record to {@code target},
     * and forces it to disk.
     *
     * @param segment a sealed segment.
     * @param dropTombstones true if the tombstones (records with a null value) no later record
     *        supersedes go too: their segment was cleaned {@code delete.retention.ms} ago.
     * @param target the file to write, created or truncated.
     * @return the bytes written.
     * @throws IOException if the segment cannot be read or the file written.
     */
    long cleanInto(final Segment segment, final boolean dropTombstones, final Path target) throws IOException
    {
        final ByteBuffer bytes = segment.mappedView(0, segment.size());
        long written = 0;
        try (FileChannel channel = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING))
        {
            pending.clear();
            for (int position = 0; position < bytes.limit(); position += view.sizeInBytes())
            {
                view.wrap(bytes, position);
                final ByteBuffer kept = cleanable(view) ? filter(bytes, position, dropTombstones) : whole(bytes, position);
                if (kept != null)
                {
                    written += kept.remaining();
                    emit(channel, kept);
                }
            }
            drain(channel);
            channel.force(true);
        }
        return written;
    }

    private static boolean cleanable(final RecordBatch batch)
    {
        return !batch.isControl() && !batch.isTransactional();
    }

    private ByteBuffer whole(final ByteBuffer bytes, final int position)
    {
        return bytes.slice(position, view.sizeInBytes());
    }

    /**
     * @return the batch at {@code position} with only the records to keep (the original bytes
     *         when all stay), or null when none stays and the batch need not be kept.
     */
    private ByteBuffer filter(final ByteBuffer bytes, final int position, final boolean dropTombstones)
    {
        rewriter.begin(bytes, view, position);
        final Record record = view.records();
        while (record.next())
        {
            if (retain(record, dropTombstones))
            {
                rewriter.keep(record);
            }
        }
        if (rewriter.kept() == view.recordCount())
        {
            return whole(bytes, position);
        }
        if (rewriter.kept() == 0)
        {
            final Long last = view.producerId() == NO_PRODUCER_ID ? null : lastBatches.get(view.producerId());
            if (last == null || last != view.baseOffset())
            {
                return null;
            }
        }
        return rewriter.finish();
    }

    private boolean retain(final Record record, final boolean dropTombstones)
    {
        if (record.keyLength() < 0)
        {
            return true;
        }
        if (latest.get(record.buffer(), record.keyOffset(), record.keyLength()) > record.offset())
        {
            return false;
        }
        return record.valueLength() >= 0 || !dropTombstones;
    }

    private void emit(final FileChannel channel, final ByteBuffer bytes) throws IOException
    {
        if (bytes.remaining() > pending.remaining())
        {
            drain(channel);
        }
        if (bytes.remaining() > pending.capacity())
        {
            while (bytes.hasRemaining())
            {
                channel.write(bytes);
            }
            return;
        }
        pending.put(bytes);
    }

    private void drain(final FileChannel channel) throws IOException
    {
        pending.flip();
        while (pending.hasRemaining())
        {
            channel.write(pending);
        }
        pending.clear();
    }
}
