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
import java.util.TreeMap;
import java.util.zip.CRC32C;

import io.tidemark.log.ActiveProducer;
import io.tidemark.log.AppendResult;
import io.tidemark.log.errors.InvalidTxnStateException;
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
 *
 * <p>Transactions: a producer's first transactional batch opens its transaction here at the
 * batch's base offset, and its marker ({@link #completeTransaction}) closes it. The open
 * transactions are kept ordered by first offset, so that the oldest (which bounds the last
 * stable offset) is at hand. The snapshot format {@code TPI3} carries each producer's open
 * transaction and the coordinator epoch of its last marker; {@code TPI2} snapshots (taken
 * before transactions existed, so with none open) still load.
 */
final class ProducerStateManager
{
    static final int CACHED_BATCHES = 5;
    private static final int SNAPSHOT_MAGIC_V2 = 0x54504932; // "TPI2"
    private static final int SNAPSHOT_MAGIC = 0x54504933; // "TPI3"
    private static final String SUFFIX = ".snapshot";
    private static final long NONE = -1;

    private final Path dir;
    private final Map<Long, Producer> producers = new HashMap<>();
    /** The first offset of every open transaction, oldest first, to its producer id. */
    private final TreeMap<Long, Long> openTransactions = new TreeMap<>();

    /** One producer's epoch, its last batches (oldest first) and its open transaction. */
    private static final class Producer
    {
        short epoch;
        long lastAppendMs;
        int coordinatorEpoch = -1;
        long transactionFirstOffset = NONE;
        final List<long[]> batches = new ArrayList<>(CACHED_BATCHES); // {firstSeq, lastSeq, firstOffset, lastOffset}

        /** @return the last sequence written at the current epoch, -1 if none (new epoch). */
        int lastSequence()
        {
            return batches.isEmpty() ? RecordBatchLayout.NO_SEQUENCE : (int)batches.get(batches.size() - 1)[1];
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
     * @throws InvalidTxnStateException if the batch is not transactional and its producer has a
     *         transaction open here.
     */
    AppendResult check(final RecordBatch batch)
    {
        final long producerId = batch.producerId();
        final Producer producer = producers.get(producerId);
        final int firstSeq = batch.baseSequence();
        if (firstSeq == RecordBatchLayout.NO_SEQUENCE)
        {
            // Written by a coordinator (transactional offsets), not a producer: the epoch is all there is to check.
            checkEpoch(producerId, producer, batch.producerEpoch());
            checkTransactional(producerId, producer, batch);
            return null;
        }
        if (producer == null)
        {
            if (firstSeq != 0)
            {
                throw new UnknownProducerIdException("no state for producer " + producerId + " and its batch starts at sequence " +
                    firstSeq + ", not 0");
            }
            return null;
        }
        checkEpoch(producerId, producer, batch.producerEpoch());
        if (batch.producerEpoch() > producer.epoch)
        {
            if (firstSeq != 0)
            {
                throw new OutOfOrderSequenceException("producer " + producerId + " starts epoch " + batch.producerEpoch() +
                    " at sequence " + firstSeq + ", not 0");
            }
            checkTransactional(producerId, producer, batch);
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
        checkTransactional(producerId, producer, batch);
        return null;
    }

    private static void checkEpoch(final long producerId, final Producer producer, final short epoch)
    {
        if (producer != null && epoch < producer.epoch)
        {
            throw new ProducerFencedException("producer " + producerId + " epoch " + epoch + " is fenced: epoch " + producer.epoch +
                " has taken over");
        }
    }

    private static void checkTransactional(final long producerId, final Producer producer, final RecordBatch batch)
    {
        if (producer != null && producer.transactionFirstOffset != NONE && !batch.isTransactional())
        {
            throw new InvalidTxnStateException("producer " + producerId + " sent a batch outside a transaction while its transaction " +
                "begun at offset " + producer.transactionFirstOffset + " is open");
        }
    }

    /**
     * Checks that a marker may be written for {@code producerId}.
     *
     * @param producerId the transaction's producer.
     * @param epoch the marker's producer epoch.
     * @throws ProducerFencedException if {@code epoch} is older than the producer's.
     */
    void checkMarker(final long producerId, final short epoch)
    {
        checkEpoch(producerId, producers.get(producerId), epoch);
    }

    /**
     * Records a marker that was written (or found in the log): the producer's transaction here
     * is closed and its epoch becomes the marker's. A bumped epoch drops its cached sequences,
     * so that its next batch starts at sequence 0; at the same epoch its next batch goes on with
     * its sequence. A producer unknown here is remembered from now on.
     *
     * @param producerId the transaction's producer.
     * @param epoch the marker's producer epoch.
     * @param coordinatorEpoch the marker's coordinator epoch.
     * @param abort true for an abort marker.
     * @param markerOffset the marker's offset.
     * @param nowMs when it was written, or when the log was opened for a marker found in it.
     * @return the aborted transaction to index, or null for a commit or if no transaction was
     *         open (nothing of the producer is there to skip).
     */
    TransactionIndex.Entry completeTransaction(final long producerId, final short epoch, final int coordinatorEpoch,
        final boolean abort, final long markerOffset, final long nowMs)
    {
        final Producer producer = producers.computeIfAbsent(producerId, id -> new Producer());
        producer.lastAppendMs = Math.max(producer.lastAppendMs, nowMs);
        if (producer.epoch != epoch)
        {
            // A new epoch starts at sequence 0; at the same epoch Kafka's clients go on with theirs.
            producer.batches.clear();
        }
        producer.epoch = epoch;
        producer.coordinatorEpoch = coordinatorEpoch;
        final long firstOffset = producer.transactionFirstOffset;
        if (firstOffset == NONE)
        {
            return null;
        }
        producer.transactionFirstOffset = NONE;
        openTransactions.remove(firstOffset);
        if (!abort)
        {
            return null;
        }
        final long firstUnstable = firstUnstableOffset();
        return new TransactionIndex.Entry(producerId, firstOffset, markerOffset, firstUnstable == NONE ? markerOffset + 1 : firstUnstable);
    }

    /**
     * @return the first offset of the oldest open transaction, or -1 if none is open.
     */
    long firstUnstableOffset()
    {
        return openTransactions.isEmpty() ? NONE : openTransactions.firstKey();
    }

    /**
     * @return every producer remembered, as DescribeProducers reports them.
     */
    List<ActiveProducer> activeProducers()
    {
        final List<ActiveProducer> active = new ArrayList<>(producers.size());
        for (final Map.Entry<Long, Producer> entry : producers.entrySet())
        {
            final Producer producer = entry.getValue();
            active.add(new ActiveProducer(entry.getKey(), producer.epoch, producer.lastSequence(), producer.lastAppendMs,
                producer.coordinatorEpoch, producer.transactionFirstOffset));
        }
        return active;
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
        if (batch.isTransactional() && producer.transactionFirstOffset == NONE)
        {
            producer.transactionFirstOffset = batch.baseOffset();
            openTransactions.put(batch.baseOffset(), batch.producerId());
        }
        if (batch.baseSequence() == RecordBatchLayout.NO_SEQUENCE)
        {
            return; // a coordinator's write: no sequence to follow
        }
        if (producer.batches.size() == CACHED_BATCHES)
        {
            producer.batches.remove(0);
        }
        producer.batches.add(new long[] {batch.baseSequence(), batch.lastSequence(), batch.baseOffset(), batch.lastOffset()});
    }

    /**
     * Forgets the producers whose last append is {@code idleMs} or more before {@code nowMs},
     * but never one with an open transaction: its marker is still to come.
     *
     * @return how many were forgotten.
     */
    int expire(final long nowMs, final long idleMs)
    {
        final int before = producers.size();
        producers.values().removeIf(producer -> producer.transactionFirstOffset == NONE && nowMs - producer.lastAppendMs >= idleMs);
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
            size += 31 + producer.batches.size() * 24;
        }
        final ByteBuffer bytes = ByteBuffer.allocate(size + 4);
        bytes.putInt(SNAPSHOT_MAGIC).putInt(producers.size());
        for (final Map.Entry<Long, Producer> entry : producers.entrySet())
        {
            final Producer producer = entry.getValue();
            bytes.putLong(entry.getKey()).putShort(producer.epoch).putLong(producer.lastAppendMs)
                .putInt(producer.coordinatorEpoch).putLong(producer.transactionFirstOffset).put((byte)producer.batches.size());
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
        openTransactions.clear();
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
        final int magic = bytes.getInt();
        if ((int)crc.getValue() != bytes.getInt(bytes.capacity() - 4) || (magic != SNAPSHOT_MAGIC && magic != SNAPSHOT_MAGIC_V2))
        {
            return false;
        }
        producers.clear();
        openTransactions.clear();
        final int count = bytes.getInt();
        for (int i = 0; i < count; i++)
        {
            final Producer producer = new Producer();
            final long producerId = bytes.getLong();
            producer.epoch = bytes.getShort();
            producer.lastAppendMs = bytes.getLong();
            if (magic == SNAPSHOT_MAGIC)
            {
                producer.coordinatorEpoch = bytes.getInt();
                producer.transactionFirstOffset = bytes.getLong();
                if (producer.transactionFirstOffset != NONE)
                {
                    openTransactions.put(producer.transactionFirstOffset, producerId);
                }
            }
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
