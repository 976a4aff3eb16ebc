package io.tidemark.log.group;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.tidemark.log.LogConfig;
import io.tidemark.log.PartitionLog;
import io.tidemark.log.TopicPartition;
import io.tidemark.log.errors.LogStorageException;
import io.tidemark.log.record.Record;
import io.tidemark.log.record.RecordBatch;
import io.tidemark.log.record.RecordBatchBuilder;
import io.tidemark.log.record.RecordBatchLayout;
import io.tidemark.log.record.RecordBatchCursor;
import io.tidemark.log.topic.LogManager;
import org.agrona.concurrent.EpochClock;

/**
 * Committed offsets, durable in the internal topic {@value #TOPIC} and held in memory for
 * reads. A group's commits all go to one partition of the topic (its id's hash modulo the
 * partition count), one record per committed partition, keyed by (group, topic, partition):
 * the latest record of a key is the committed offset. Opening replays the topic.
 *
 * <p><b>Compaction.</b> Only the latest record per key matters, so the topic would grow
 * forever. Kafka runs a log cleaner over it; Tidemark keeps the live offsets in memory
 * anyway, so it compacts by rewriting: once a partition of the topic holds many more records
 * than live keys, the live offsets are appended afresh after a roll and the segments before
 * them are deleted. A crash in between leaves duplicates of the latest values, which replay to
 * the same state.
 *
 * <pre>
 * key:   version int16 (1), group string, topic string, partition int32
 * value: version int16 (3), offset int64, leader epoch int32, metadata string, commit time int64
 * </pre>
 * Strings are an int16 length then UTF-8, as in Kafka's own offset records.
 */
public final class OffsetStore
{
    /** The internal topic's name, Kafka's. */
    public static final String TOPIC = "__consumer_offsets";

    private static final short KEY_VERSION = 1;
    private static final short VALUE_VERSION = 3;
    private static final int MIN_RECORDS_BEFORE_COMPACTION = 10_000;
    private static final int REWRITE_BATCH_RECORDS = 1_000;
    /** Length, attributes, timestamp and offset deltas, key and value lengths, header count: varints at their widest. */
    private static final int MAX_RECORD_OVERHEAD = 5 + 1 + 10 + 5 + 5 + 5 + 5;

    private final LogManager logs;
    private final EpochClock clock;
    private final PartitionLog[] partitions;
    private final Map<String, Map<TopicPartition, OffsetAndMetadata>> offsets = new ConcurrentHashMap<>();

    /**
     * Opens the offsets topic, creating it if it does not exist, and loads what it holds.
     *
     * @param logs the log manager that holds the topic.
     * @param partitionCount the partitions to create it with if it is new.
     * @param clock the wall clock, for commit times.
     */
    public OffsetStore(final LogManager logs, final int partitionCount, final EpochClock clock)
    {
        this.logs = logs;
        this.clock = clock;
        if (!logs.listTopics().contains(TOPIC))
        {
            // Live data is rewritten at the head, so time and size retention must never apply.
            logs.createTopic(TOPIC, partitionCount, Map.of(LogConfig.RETENTION_MS, "-1", LogConfig.RETENTION_BYTES, "-1",
                LogConfig.MAX_MESSAGE_BYTES, String.valueOf(64 << 20)));
        }
        final List<PartitionLog> logsOfTopic = logs.partitions(TOPIC);
        this.partitions = logsOfTopic.toArray(new PartitionLog[0]);
        for (final PartitionLog log : partitions)
        {
            replay(log);
        }
    }

    /**
     * Records committed offsets durably (flushed per the topic's policy), then makes them
     * visible to {@link #fetch}.
     *
     * @param group the group.
     * @param committed the offsets per partition.
     */
    public void commit(final String group, final Map<TopicPartition, OffsetAndMetadata> committed)
    {
        if (committed.isEmpty())
        {
            return;
        }
        final PartitionLog log = partitionFor(group);
        synchronized (log)
        {
            final long now = clock.time();
            final List<Map.Entry<TopicPartition, OffsetAndMetadata>> entries = new ArrayList<>(committed.entrySet());
            append(log, group, entries, now);
            final Map<TopicPartition, OffsetAndMetadata> ofGroup = offsets.computeIfAbsent(group, g -> new ConcurrentHashMap<>());
            ofGroup.putAll(committed);
            compactIfDue(log);
        }
    }

    /**
     * Forgets every offset a group committed, durably (tombstones, as Kafka writes them).
     *
     * @param group the group.
     */
    public void delete(final String group)
    {
        final PartitionLog log = partitionFor(group);
        synchronized (log)
        {
            final Map<TopicPartition, OffsetAndMetadata> ofGroup = offsets.get(group);
            if (ofGroup == null || ofGroup.isEmpty())
            {
                return;
            }
            final List<Map.Entry<TopicPartition, OffsetAndMetadata>> tombstones = new ArrayList<>();
            ofGroup.keySet().forEach(partition -> tombstones.add(new AbstractMap.SimpleEntry<>(partition, null)));
            append(log, group, tombstones, clock.time());
            offsets.remove(group);
        }
    }

    /**
     * @param group the group.
     * @param which the partitions to look up, or null for all the group committed.
     * @return the committed offsets of those partitions that have one.
     */
    public Map<TopicPartition, OffsetAndMetadata> fetch(final String group, final Collection<TopicPartition> which)
    {
        final Map<TopicPartition, OffsetAndMetadata> ofGroup = offsets.getOrDefault(group, Map.of());
        if (which == null)
        {
            return Map.copyOf(ofGroup);
        }
        final Map<TopicPartition, OffsetAndMetadata> found = new HashMap<>();
        for (final TopicPartition partition : which)
        {
            final OffsetAndMetadata offset = ofGroup.get(partition);
            if (offset != null)
            {
                found.put(partition, offset);
            }
        }
        return found;
    }

    /**
     * @return the ids of every group that has committed offsets.
     */
    public Collection<String> groups()
    {
        return List.copyOf(offsets.keySet());
    }

    /**
     * @param group the group.
     * @return the partition of the offsets topic that holds the group's commits.
     */
    public PartitionLog partitionFor(final String group)
    {
        return partitions[Math.floorMod(group.hashCode(), partitions.length)];
    }

    /** Rewrites the live offsets of this partition at its head once it holds many more records than them. */
    private void compactIfDue(final PartitionLog log)
    {
        final long held = log.logEndOffset() - log.logStartOffset();
        if (held < MIN_RECORDS_BEFORE_COMPACTION)
        {
            return; // the common case: no need to look at the live offsets at all
        }
        final Map<String, List<Map.Entry<TopicPartition, OffsetAndMetadata>>> live = new HashMap<>();
        long liveKeys = 0;
        for (final Map.Entry<String, Map<TopicPartition, OffsetAndMetadata>> group : offsets.entrySet())
        {
            if (partitionFor(group.getKey()) == log)
            {
                live.put(group.getKey(), new ArrayList<>(group.getValue().entrySet()));
                liveKeys += group.getValue().size();
            }
        }
        if (held < 2 * liveKeys)
        {
            return;
        }
        log.roll();
        final long start = log.logEndOffset();
        final long now = clock.time();
        live.forEach((group, entries) ->
        {
            for (int from = 0; from < entries.size(); from += REWRITE_BATCH_RECORDS)
            {
                append(log, group, entries.subList(from, Math.min(entries.size(), from + REWRITE_BATCH_RECORDS)), now);
            }
        });
        log.flush();
        log.deleteSegmentsBefore(start);
    }

    private void append(final PartitionLog log, final String group, final List<Map.Entry<TopicPartition, OffsetAndMetadata>> entries,
        final long now)
    {
        final byte[] groupBytes = group.getBytes(StandardCharsets.UTF_8);
        int capacity = RecordBatchLayout.HEADER_SIZE;
        final byte[][] keys = new byte[entries.size()][];
        final byte[][] values = new byte[entries.size()][];
        for (int i = 0; i < entries.size(); i++)
        {
            keys[i] = key(groupBytes, entries.get(i).getKey());
            values[i] = entries.get(i).getValue() == null ? null : value(entries.get(i).getValue(), now);
            capacity += keys[i].length + (values[i] == null ? 0 : values[i].length) + MAX_RECORD_OVERHEAD;
        }
        // Commits to different partitions of the topic run concurrently: each builds its own batch.
        final ByteBuffer buffer = ByteBuffer.allocate(capacity);
        final RecordBatchBuilder builder = new RecordBatchBuilder().begin(buffer, 0, capacity);
        for (int i = 0; i < entries.size(); i++)
        {
            builder.append(now, keys[i], values[i]);
        }
        final int size = builder.finish();
        log.append(buffer.limit(size));
    }

    private void replay(final PartitionLog log)
    {
        final RecordBatchCursor cursor = new RecordBatchCursor();
        long position = log.logStartOffset();
        while (position < log.logEndOffset())
        {
            final ByteBuffer bytes;
            try
            {
                bytes = log.read(position, 1 << 20).buffer();
            }
            catch (final IOException e)
            {
                throw new LogStorageException("cannot read the offsets in " + log.topicPartition() + ": " + e.getMessage(), e);
            }
            cursor.wrap(bytes, true);
            while (cursor.next())
            {
                final RecordBatch batch = cursor.batch();
                final Record record = batch.records();
                while (record.next())
                {
                    apply(record.key(), record.value());
                }
                position = batch.lastOffset() + 1;
            }
        }
    }

    private void apply(final byte[] key, final byte[] value)
    {
        final ByteBuffer k = ByteBuffer.wrap(key);
        if (k.getShort() != KEY_VERSION)
        {
            return; // a record kind this version does not know: skip it, as Kafka skips group metadata
        }
        final String group = string(k);
        final TopicPartition partition = new TopicPartition(string(k), k.getInt());
        final Map<TopicPartition, OffsetAndMetadata> ofGroup = offsets.computeIfAbsent(group, g -> new ConcurrentHashMap<>());
        if (value == null)
        {
            ofGroup.remove(partition);
            return;
        }
        final ByteBuffer v = ByteBuffer.wrap(value);
        v.getShort();
        final long offset = v.getLong();
        final int epoch = v.getInt();
        ofGroup.put(partition, new OffsetAndMetadata(offset, epoch, string(v)));
    }

    private static byte[] key(final byte[] group, final TopicPartition partition)
    {
        final byte[] topic = partition.topic().getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(2 + 2 + group.length + 2 + topic.length + 4)
            .putShort(KEY_VERSION).putShort((short)group.length).put(group)
            .putShort((short)topic.length).put(topic).putInt(partition.partition()).array();
    }

    private static byte[] value(final OffsetAndMetadata offset, final long now)
    {
        final byte[] metadata = offset.metadata().getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(2 + 8 + 4 + 2 + metadata.length + 8)
            .putShort(VALUE_VERSION).putLong(offset.offset()).putInt(offset.leaderEpoch())
            .putShort((short)metadata.length).put(metadata).putLong(now).array();
    }

    private static String string(final ByteBuffer in)
    {
        final int length = in.getShort();
        final String s = new String(in.array(), in.position(), length, StandardCharsets.UTF_8);
        in.position(in.position() + length);
        return s;
    }
}
