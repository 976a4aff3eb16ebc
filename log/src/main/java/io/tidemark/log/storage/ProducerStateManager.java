package io.tidemark.log.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

import io.tidemark.log.AppendResult;
import io.tidemark.log.errors.OutOfOrderSequenceException;
import io.tidemark.log.errors.ProducerFencedException;
import io.tidemark.log.errors.UnknownProducerIdException;
import io.tidemark.log.record.RecordBatch;
import io.tidemark.log.record.RecordBatchLayout;

/**
 * What a partition remembers of each idempotent producer, so that a retried batch is never
 * written twice and a lost one is noticed: per producer id, the current epoch and the
 * sequence numbers and offsets of its last {@value #CACHED_BATCHES} batches (as many as a
 * producer may have in flight). A batch that repeats one of them is a duplicate and is
 * answered with the original offsets; one that does not follow the last is a gap.
 *
 * <p>The state survives restarts as a snapshot file ({@code <offset>.snapshot}, the log end
 * offset when it was taken) written when a segment rolls and when the log closes; on open,
 * the batches after the newest usable snapshot are replayed from the log. Used under the
 * log's lock.
 *
 * <p>Each producer also carries the wall-clock time of its last append, so that producers
 * gone silent can be forgotten ({@link #expire}). It is the broker's clock, not the batch's
 * timestamps: a producer writing old event times is not idle. A producer replayed from the
 * log counts as last seen when the log was opened (a batch header does not say when it was
 * appended). Snapshots of the first format, without these times, are replayed from the log.
 */
final class ProducerStateManager
{
    static final int CACHED_BATCHES = 5;
    private static final int SNAPSHOT_MAGIC = 0x54504932; // "TPI2"
    private static final String SUFFIX = ".snapshot";

    private final Path dir;
    private final Map<Long, Producer> producers = new HashMap<>();

    /** One producer's epoch and its last batches, oldest first. */
    private static final class Producer
    {
        short epoch;
        long lastAppendMs;
        final List<long[]> batches = new ArrayList<>(CACHED_BATCHES); // {firstSeq, lastSeq, firstOffset, lastOffset}

        int lastSequence()
        {
            return (int)batches.get(batches.size() - 1)[1];
        }
    }

    ProducerStateManager(final Path dir)
    {
        this.dir = dir;
    }

    /**
     * Checks an idempotent batch against its producer's state.
     *
     * @param batch a batch with a producer id.
     * @return the original offsets if the batch is a duplicate, null if it is new and next.
     * @throws ProducerFencedException if its epoch is older than the producer's.
     * @throws OutOfOrderSequenceException if its sequence leaves a gap or goes back.
     * @throws UnknownProducerIdException if the producer is unknown and the sequence not 0.
     */
    AppendResult check(final RecordBatch batch)
    {
        final long producerId = batch.producerId();
        final Producer producer = producers.get(producerId);
        final int firstSeq = batch.baseSequence();
        if (producer == null)
        {
            if (firstSeq != 0)
            {
                throw new UnknownProducerIdException("no state for producer " + producerId + " and its batch starts at sequence " +
                    firstSeq + ", not 0");
            }
            return null;
        }
        if (batch.producerEpoch() < producer.epoch)
        {
            throw new ProducerFencedException("producer " + producerId + " epoch " + batch.producerEpoch() +
                " is fenced: epoch " + producer.epoch + " has taken over");
        }
        if (batch.producerEpoch() > producer.epoch)
        {
            if (firstSeq != 0)
            {
                throw new OutOfOrderSequenceException("producer " + producerId + " starts epoch " + batch.producerEpoch() +
                    " at sequence " + firstSeq + ", not 0");
            }
            return null;
        }
        for (final long[] cached : producer.batches)
        {
            if (cached[0] == firstSeq && cached[1] == batch.lastSequence())
            {
                return new AppendResult(cached[2], cached[3], RecordBatchLayout.NO_TIMESTAMP, batch.recordCount());
            }
        }
        final int expected = producer.lastSequence() == Integer.MAX_VALUE ? 0 : producer.lastSequence() + 1;
        if (firstSeq != expected)
        {
            throw new OutOfOrderSequenceException("producer " + producerId + " epoch " + producer.epoch + " sent sequence " +
                firstSeq + " where " + expected + " was expected");
        }
        return null;
    }

    /**
     * Records a batch that was written (its base offset assigned), or found in the log.
     *
     * @param batch the batch.
     * @param nowMs when it was written, or when the log was opened for a batch found in it.
     */
    void update(final RecordBatch batch, final long nowMs)
    {
        final Producer producer = producers.computeIfAbsent(batch.producerId(), id -> new Producer());
        producer.lastAppendMs = Math.max(producer.lastAppendMs, nowMs);
        if (batch.producerEpoch() != producer.epoch)
        {
            producer.epoch = batch.producerEpoch();
            producer.batches.clear();
        }
        if (producer.batches.size() == CACHED_BATCHES)
        {
            producer.batches.remove(0);
        }
        producer.batches.add(new long[] {batch.baseSequence(), batch.lastSequence(), batch.baseOffset(), batch.lastOffset()});
    }

    /**
     * Forgets the producers whose last append is {@code idleMs} or more before {@code nowMs}.
     *
     * @return how many were forgotten.
     */
    int expire(final long nowMs, final long idleMs)
    {
        final int before = producers.size();
        producers.values().removeIf(producer -> nowMs - producer.lastAppendMs >= idleMs);
        return before - producers.size();
    }

    /**
     * Writes the state as of log end offset {@code offset} and deletes older snapshots but
     * the previous one.
     */
    void takeSnapshot(final long offset) throws IOException
    {
        int size = 8;
        for (final Producer producer : producers.values())
        {
            size += 19 + producer.batches.size() * 24;
        }
        final ByteBuffer bytes = ByteBuffer.allocate(size + 4);
        bytes.putInt(SNAPSHOT_MAGIC).putInt(producers.size());
        for (final Map.Entry<Long, Producer> entry : producers.entrySet())
        {
            final Producer producer = entry.getValue();
            bytes.putLong(entry.getKey()).putShort(producer.epoch).putLong(producer.lastAppendMs).put((byte)producer.batches.size());
            for (final long[] batch : producer.batches)
            {
                bytes.putInt((int)batch[0]).putInt((int)batch[1]).putLong(batch[2]).putLong(batch[3]);
            }
        }
        final CRC32C crc = new CRC32C();
        crc.update(bytes.array(), 0, bytes.position());
        bytes.putInt((int)crc.getValue()).flip();
        DurableFile.replace(dir.resolve(String.format("%020d%s", offset, SUFFIX)), bytes);
        final List<Long> offsets = snapshotOffsets();
        for (int i = 0; i < offsets.size() - 2; i++)
        {
            Files.deleteIfExists(dir.resolve(String.format("%020d%s", offsets.get(i), SUFFIX)));
        }
    }

    /**
     * Loads the newest valid snapshot taken at or before {@code logEndOffset}, deleting newer
     * ones (they describe data that recovery cut off).
     *
     * @return the offset from which the log must be replayed into this state.
     */
    long loadSnapshot(final long logStartOffset, final long logEndOffset) throws IOException
    {
        final List<Long> offsets = snapshotOffsets();
        for (int i = offsets.size() - 1; i >= 0; i--)
        {
            final long offset = offsets.get(i);
            final Path file = dir.resolve(String.format("%020d%s", offset, SUFFIX));
            if (offset > logEndOffset || offset < logStartOffset || !read(file))
            {
                Files.delete(file);
                continue;
            }
            return offset;
        }
        producers.clear();
        return logStartOffset;
    }

    private boolean read(final Path file) throws IOException
    {
        final ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file));
        if (bytes.capacity() < 12)
        {
            return false;
        }
        final CRC32C crc = new CRC32C();
        crc.update(bytes.array(), 0, bytes.capacity() - 4);
        if ((int)crc.getValue() != bytes.getInt(bytes.capacity() - 4) || bytes.getInt() != SNAPSHOT_MAGIC)
        {
            return false;
        }
        producers.clear();
        final int count = bytes.getInt();
        for (int i = 0; i < count; i++)
        {
            final Producer producer = new Producer();
            final long producerId = bytes.getLong();
            producer.epoch = bytes.getShort();
            producer.lastAppendMs = bytes.getLong();
            final int batches = bytes.get();
            for (int b = 0; b < batches; b++)
            {
                producer.batches.add(new long[] {bytes.getInt(), bytes.getInt(), bytes.getLong(), bytes.getLong()});
            }
            producers.put(producerId, producer);
        }
        return true;
    }

    private List<Long> snapshotOffsets() throws IOException
    {
        final List<Long> offsets = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX))
        {
            for (final Path file : files)
            {
                final String name = file.getFileName().toString();
                try
                {
                    offsets.add(Long.parseLong(name.substring(0, name.length() - SUFFIX.length())));
                }
                catch (final NumberFormatException e)
                {
                    Files.delete(file); // not ours to keep: not a snapshot name
                }
            }
        }
        offsets.sort(null);
        return offsets;
    }
}
