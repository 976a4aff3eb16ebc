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
 * the latest record of every key in the dirty segments, then {@link #cleanInto} copies a segment
 * keeping only the records no later record of the same key supersedes.
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

    /** Each key (its bytes) to the offset of its latest record in the dirty segments. */
    private final Map<ByteBuffer, Long> latest = new HashMap<>();
    /** Each producer id to the base offset of its last batch in the segments cleaned. */
    private final Map<Long, Long> lastBatches = new HashMap<>();
    private final RecordBatch view = new RecordBatch();
    private final RecordBatchRewriter rewriter = new RecordBatchRewriter();
    private final ByteBuffer pending = ByteBuffer.allocate(WRITE_BUFFER);
    /** The records buffer {@link #probe} views. */
    private ByteBuffer probed;
    /** A view of the records being read whose position and limit frame one key at a time, to look it up without a copy. */
    private ByteBuffer probe;

    /**
     * Starts a round: maps the keys of {@code dirty} and finds each producer's last batch in
     * {@code cleaned}.
     *
     * @param dirty the sealed segments after the cleaner checkpoint, oldest first.
     * @param cleaned every segment the round rewrites, oldest first.
     * @throws IOException if a segment cannot be read.
     */
    void map(final List<Segment> dirty, final List<Segment> cleaned) throws IOException
    {
        latest.clear();
        lastBatches.clear();
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
            }
        }
        for (final Segment segment : dirty)
        {
            final ByteBuffer bytes = segment.mappedView(0, segment.size());
            for (int position = 0; position < bytes.limit(); position += view.sizeInBytes())
            {
                view.wrap(bytes, position);
                if (!cleanable(view))
                {
                    continue;
                }
                final Record record = view.records();
                final ByteBuffer keys = probe(record.buffer());
                while (record.next())
                {
                    // A key seen before keeps its map entry: only a new key costs a copy.
                    if (record.keyLength() >= 0 && latest.replace(keyOf(record, keys), record.offset()) == null)
                    {
                        final byte[] key = new byte[record.keyLength()];
                        record.buffer().get(record.keyOffset(), key);
                        latest.put(ByteBuffer.wrap(key), record.offset());
                    }
                }
            }
        }
    }

    /** @return how many keys the dirty segments hold. */
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
        final ByteBuffer keys = probe(record.buffer());
        while (record.next())
        {
            if (retain(record, keys, dropTombstones))
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

    private boolean retain(final Record record, final ByteBuffer keys, final boolean dropTombstones)
    {
        if (record.keyLength() < 0)
        {
            return true;
        }
        final Long newest = latest.get(keyOf(record, keys));
        if (newest != null && newest > record.offset())
        {
            return false;
        }
        return record.valueLength() >= 0 || !dropTombstones;
    }

    /**
     * @return a view of {@code records} whose position and limit frame one key at a time: the
     *         same view while the records are read in the same buffer (a segment's map, or the
     *         decompressed records of the batch views), so a round makes few.
     */
    private ByteBuffer probe(final ByteBuffer records)
    {
        if (records != probed)
        {
            probed = records;
            probe = records.duplicate();
        }
        return probe;
    }

    /** @return {@code probe} framing the record's key. */
    private static ByteBuffer keyOf(final Record record, final ByteBuffer probe)
    {
        return probe.limit(record.keyOffset() + record.keyLength()).position(record.keyOffset());
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
