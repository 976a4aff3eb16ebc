package io.tidemark.log.topic;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.tidemark.log.LogConfig;
import io.tidemark.log.PartitionLog;
import io.tidemark.log.errors.LogStorageException;
import io.tidemark.log.record.RecordBatch;
import io.tidemark.log.record.RecordBatchBuilder;
import io.tidemark.log.record.RecordBatchCursor;
import io.tidemark.log.record.RecordBatchLayout;

/**
 * An internal topic of keyed state (the committed offsets, the transactions' state): each
 * record sets the value of its key, the latest record of a key wins, a record without a value
 * (a tombstone) forgets the key. The owner keeps the live values in memory and replays the
 * topic into them when it opens.
 *
 * <p><b>Compaction.</b> Only the latest record per key matters, so the topic would grow
 * forever. Kafka runs a log cleaner over such topics; here the owner holds the live values
 * anyway, so a partition is compacted by rewriting: once it holds many more records than live
 * keys, the live values are appended afresh after a roll and the segments before them are
 * deleted. A crash in between leaves duplicates of the latest values, which replay to the
 * same state. The topic is created with retention off: time or size must never delete a live
 * value that was written long ago.
 *
 * <p>Writes of one partition that must not interleave with its compaction hold the
 * partition's {@link PartitionLog} as their lock, as the rewrite does.
 */
public final class StateTopic
{
    private static final int REWRITE_BATCH_RECORDS = 1_000;
    /** Length, attributes, timestamp and offset deltas, key and value lengths, header count: varints at their widest. */
    private static final int MAX_RECORD_OVERHEAD = 5 + 1 + 10 + 5 + 5 + 5 + 5;
    private static final int READ_BYTES = 1 << 20;

    private final LogManager logs;
    private final String name;
    private final int partitionCount;
    private final long minRecordsBeforeCompaction;
    /** By partition number; null until the topic exists, when it is created on first use. */
    private volatile PartitionLog[] partitions;

    /**
     * One record: a key and its value, or null for a tombstone.
     *
     * @param key the key's bytes.
     * @param value the value's bytes, or null to forget the key.
     */
    public record Entry(byte[] key, byte[] value)
    {
    }

    /**
     * Opens the topic, creating it with retention off if it does not exist.
     *
     * @param logs the log manager that holds the topic.
     * @param name the topic.
     * @param partitionCount the partitions to create it with if it is new.
     * @param minRecordsBeforeCompaction how many records a partition must hold before a
     *        compaction is considered at all.
     */
    public StateTopic(final LogManager logs, final String name, final int partitionCount, final long minRecordsBeforeCompaction)
    {
        this(logs, name, partitionCount, minRecordsBeforeCompaction, false);
    }

    /**
     * Opens the topic if it exists; if not, creates it now or at its first write.
     *
     * @param logs the log manager that holds the topic.
     * @param name the topic.
     * @param partitionCount the partitions to create it with if it is new.
     * @param minRecordsBeforeCompaction how many records a partition must hold before a
     *        compaction is considered at all.
     * @param onFirstWrite whether a missing topic is created by the first
     *        {@link #partitionFor(String)} (as Kafka creates its internal topics on first use)
     *        rather than now; until then it has no partitions.
     */
    public StateTopic(final LogManager logs, final String name, final int partitionCount, final long minRecordsBeforeCompaction,
        final boolean onFirstWrite)
    {
        this.logs = logs;
        this.name = name;
        this.partitionCount = partitionCount;
        this.minRecordsBeforeCompaction = minRecordsBeforeCompaction;
        if (logs.listTopics().contains(name) || !onFirstWrite)
        {
            this.partitions = open();
        }
    }

    /** Creates the topic unless it exists, and opens it. */
    private PartitionLog[] open()
    {
        // Live data is rewritten at the head, so time and size retention must never apply.
        logs.createTopicIfMissing(name, partitionCount, Map.of(LogConfig.RETENTION_MS, "-1", LogConfig.RETENTION_BYTES, "-1",
            LogConfig.MAX_MESSAGE_BYTES, String.valueOf(64 << 20)));
        return logs.partitions(name).toArray(new PartitionLog[0]);
    }

    /**
     * @return the partitions, by partition number.
     */
    public List<PartitionLog> partitions()
    {
        final PartitionLog[] opened = partitions;
        return opened == null ? List.of() : List.of(opened);
    }

    /**
     * @param key a key of the owner's domain (a group id, a transactional id).
     * @return the partition that holds its records: its hash modulo the partition count, as Kafka
     *         places them; the topic is created first if it is created on first write and missing.
     */
    public PartitionLog partitionFor(final String key)
    {
        PartitionLog[] opened = partitions;
        if (opened == null)
        {
            synchronized (this)
            {
                if (partitions == null)
                {
                    partitions = open();
                }
                opened = partitions;
            }
        }
        return opened[Math.floorMod(key.hashCode(), opened.length)];
    }

    /**
     * Reads a partition from its start to its end, batch by batch.
     *
     * @param log the partition.
     * @param visitor called with each batch; valid only during the call.
     * @throws LogStorageException if the partition cannot be read.
     */
    public static void replay(final PartitionLog log, final Consumer<RecordBatch> visitor)
    {
        final RecordBatchCursor cursor = new RecordBatchCursor();
        long position = log.logStartOffset();
        while (position < log.logEndOffset())
        {
            final ByteBuffer bytes;
            try
            {
                bytes = log.read(position, READ_BYTES).buffer();
            }
            catch (final IOException e)
            {
                throw new LogStorageException("cannot read " + log.topicPartition() + ": " + e.getMessage(), e);
            }
            cursor.wrap(bytes, true);
            while (cursor.next())
            {
                final RecordBatch batch = cursor.batch();
                visitor.accept(batch);
                position = batch.lastOffset() + 1;
            }
        }
    }

    /**
     * Appends records as one plain batch, durable per the topic's flush policy when this returns.
     *
     * @param log the partition.
     * @param now the records' timestamp.
     * @param entries the records.
     */
    public static void append(final PartitionLog log, final long now, final List<Entry> entries)
    {
        append(log, now, entries, RecordBatchLayout.NO_PRODUCER_ID, RecordBatchLayout.NO_PRODUCER_EPOCH);
    }

    /**
     * Appends records as one batch of a producer's transaction (producer id and epoch, base
     * sequence -1: the partition checks the epoch only), durable per the topic's flush policy
     * when this returns.
     *
     * @param log the partition.
     * @param now the records' timestamp.
     * @param entries the records.
     * @param producerId the transaction's producer id.
     * @param producerEpoch its epoch.
     */
    public static void appendTransactional(final PartitionLog log, final long now, final List<Entry> entries, final long producerId,
        final short producerEpoch)
    {
        append(log, now, entries, producerId, producerEpoch);
    }

    /**
     * Reads a string as the state topics' records hold strings: an int16 length, then UTF-8.
     *
     * @param in a heap buffer at the string; its position is moved past it.
     * @return the string.
     */
    public static String readString(final ByteBuffer in)
    {
        final int length = in.getShort();
        final String s = new String(in.array(), in.arrayOffset() + in.position(), length, StandardCharsets.UTF_8);
        in.position(in.position() + length);
        return s;
    }

    /**
     * Rewrites a partition's live values at its head once it holds many more records than
     * them. The caller holds the partition as its lock, so that no write slips between the
     * live values read and the old segments deleted.
     *
     * @param log the partition.
     * @param now the rewritten records' timestamp.
     * @param live the partition's live values; asked for only when the partition is large
     *        enough for a compaction to be considered.
     * @return true if the partition was rewritten.
     */
    public boolean compactIfDue(final PartitionLog log, final long now, final Supplier<List<Entry>> live)
    {
        final long held = log.logEndOffset() - log.logStartOffset();
        if (held < minRecordsBeforeCompaction)
        {
            return false; // the common case: no need to look at the live values at all
        }
        final List<Entry> entries = live.get();
        if (held < 2L * entries.size())
        {
            return false;
        }
        log.roll();
        final long start = log.logEndOffset();
        for (int from = 0; from < entries.size(); from += REWRITE_BATCH_RECORDS)
        {
            append(log, now, entries.subList(from, Math.min(entries.size(), from + REWRITE_BATCH_RECORDS)));
        }
        log.flush();
        log.deleteSegmentsBefore(start);
        return true;
    }

    private static void append(final PartitionLog log, final long now, final List<Entry> entries, final long producerId,
        final short producerEpoch)
    {
        int capacity = RecordBatchLayout.HEADER_SIZE;
        for (final Entry entry : entries)
        {
            capacity += entry.key().length + (entry.value() == null ? 0 : entry.value().length) + MAX_RECORD_OVERHEAD;
        }
        // Writes to different partitions run concurrently: each builds its own batch.
        final ByteBuffer buffer = ByteBuffer.allocate(capacity);
        final RecordBatchBuilder builder = new RecordBatchBuilder().begin(buffer, 0, capacity);
        if (producerId != RecordBatchLayout.NO_PRODUCER_ID)
        {
            builder.producer(producerId, producerEpoch, RecordBatchLayout.NO_SEQUENCE).transactional(true);
        }
        for (final Entry entry : entries)
        {
            builder.append(now, entry.key(), entry.value());
        }
        final int size = builder.finish();
        log.append(buffer.limit(size));
    }
}
