package io.tidemark.log.group;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.tidemark.log.PartitionLog;
import io.tidemark.log.TopicPartition;
import io.tidemark.log.TransactionMarker;
import io.tidemark.log.TransactionResult;
import io.tidemark.log.record.Record;
import io.tidemark.log.record.RecordBatch;
import io.tidemark.log.topic.LogManager;
import io.tidemark.log.topic.StateTopic;
import org.agrona.concurrent.EpochClock;

/**
 * Committed offsets, durable in the internal topic {@value #TOPIC} and held in memory for
 * reads. A group's commits all go to one partition of the topic (its id's hash modulo the
 * partition count), one record per committed partition, keyed by (group, topic, partition):
 * the latest record of a key is the committed offset. Opening replays the topic. The topic is
 * a {@link StateTopic}: created with retention off, compacted by rewriting its live offsets.
 *
 * <pre>
 * key:   version int16 (1), group string, topic string, partition int32
 * value: version int16 (3), offset int64, leader epoch int32, metadata string, commit time int64
 * </pre>
 * Strings are an int16 length then UTF-8, as in Kafka's own offset records.
 *
 * <p><b>Offsets in a transaction.</b> A transaction's offsets are written as a transactional
 * batch of its producer (producer id and epoch, base sequence -1) and kept pending, per
 * producer, until the transaction coordinator's marker reaches the same partition: a commit
 * marker makes them the committed offsets, an abort marker drops them. Replay follows the same
 * rule in log order, so what a restart rebuilds is what was visible before it: the position of
 * the marker, not of the offsets' batch, decides which of a transactional and a plain commit of
 * one partition is the later.
 *
 * <p><b>Compaction and open transactions.</b> A partition of the topic that holds pending
 * offsets is not compacted until none is pending. Rewriting the pending offsets would not do:
 * they belong to their producer's transaction, which began in the partition at the offset of
 * their first batch, and deleting the segments before the rewrite would delete that
 * beginning (and with it what the partition knows of the open transaction) while its marker is
 * still to come. Transactions are short, so the compaction merely waits for a later commit or
 * marker.
 */
public final class OffsetStore
{
    /** The internal topic's name, Kafka's. */
    public static final String TOPIC = "__consumer_offsets";

    private static final short KEY_VERSION = 1;
    private static final short VALUE_VERSION = 3;
    private static final int MIN_RECORDS_BEFORE_COMPACTION = 10_000;

    private final EpochClock clock;
    private final StateTopic topic;
    private final Map<String, Map<TopicPartition, OffsetAndMetadata>> offsets = new ConcurrentHashMap<>();
    /** Per partition of the topic, per producer id: the offsets of its open transaction, by group. */
    private final Map<TopicPartition, Map<Long, Map<String, Map<TopicPartition, OffsetAndMetadata>>>> pending = new ConcurrentHashMap<>();

    /**
     * Opens the offsets topic, creating it if it does not exist, and loads what it holds.
     *
     * @param logs the log manager that holds the topic.
     * @param partitionCount the partitions to create it with if it is new.
     * @param clock the wall clock, for commit times.
     */
    public OffsetStore(final LogManager logs, final int partitionCount, final EpochClock clock)
    {
        this(logs, partitionCount, clock, MIN_RECORDS_BEFORE_COMPACTION);
    }

    /**
     * @param logs the log manager that holds the topic.
     * @param partitionCount the partitions to create it with if it is new.
     * @param clock the wall clock, for commit times.
     * @param minRecordsBeforeCompaction how many records a partition of the topic holds before
     *        it is compacted: small in tests of the compaction.
     */
    OffsetStore(final LogManager logs, final int partitionCount, final EpochClock clock, final long minRecordsBeforeCompaction)
    {
        this.clock = clock;
        this.topic = new StateTopic(logs, TOPIC, partitionCount, minRecordsBeforeCompaction);
        for (final PartitionLog log : topic.partitions())
        {
            StateTopic.replay(log, batch -> replay(log.topicPartition(), batch));
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
            StateTopic.append(log, now, entries(group, committed, now));
            offsets.computeIfAbsent(group, g -> new ConcurrentHashMap<>()).putAll(committed);
            compactIfDue(log);
        }
    }

    /**
     * Records offsets of a producer's open transaction durably, as a batch of that
     * transaction; they become visible to {@link #fetch} only when it commits.
     *
     * @param group the group.
     * @param producerId the transaction's producer id.
     * @param producerEpoch its epoch.
     * @param committed the offsets per partition.
     * @throws io.tidemark.log.errors.ProducerFencedException if the epoch is older than the
     *         producer's current one in the offsets partition.
     */
    public void commitTransactional(final String group, final long producerId, final short producerEpoch,
        final Map<TopicPartition, OffsetAndMetadata> committed)
    {
        if (committed.isEmpty())
        {
            return;
        }
        final PartitionLog log = partitionFor(group);
        synchronized (log)
        {
            final long now = clock.time();
            StateTopic.appendTransactional(log, now, entries(group, committed, now), producerId, producerEpoch);
            pendingOf(log.topicPartition(), producerId, group).putAll(committed);
        }
    }

    /**
     * Ends a producer's transaction in the partition of a group: appends the marker, then
     * makes the offsets the transaction committed there visible (commit) or drops them (abort),
     * those of every group that shares the partition included, as replay will.
     *
     * @param group the group.
     * @param marker the producer, its epoch and the result.
     * @throws io.tidemark.log.errors.ProducerFencedException if the marker's epoch is older
     *         than the producer's current one in the offsets partition.
     */
    public void completeTransaction(final String group, final TransactionMarker marker)
    {
        final PartitionLog log = partitionFor(group);
        synchronized (log)
        {
            log.appendMarker(marker);
            end(log.topicPartition(), marker.producerId(), marker.result());
            compactIfDue(log);
        }
    }

    /**
     * @param group the group.
     * @return the partitions for which an open transaction has committed offsets of the group.
     */
    public Set<TopicPartition> pending(final String group)
    {
        final Set<TopicPartition> found = new HashSet<>();
        final Map<Long, Map<String, Map<TopicPartition, OffsetAndMetadata>>> ofPartition =
            pending.getOrDefault(partitionFor(group).topicPartition(), Map.of());
        ofPartition.values().forEach(byGroup -> found.addAll(byGroup.getOrDefault(group, Map.of()).keySet()));
        return found;
    }

    /**
     * Forgets offsets a group committed, durably: tombstones, as Kafka writes them, flushed per
     * the topic's policy as commits are; replay then removes the offsets again.
     *
     * @param group the group.
     * @param which the partitions whose offsets to forget (those without one are skipped), or
     *        null for every partition the group committed.
     */
    public void delete(final String group, final Collection<TopicPartition> which)
    {
        final PartitionLog log = partitionFor(group);
        synchronized (log)
        {
            final Map<TopicPartition, OffsetAndMetadata> ofGroup = offsets.get(group);
            if (ofGroup == null)
            {
                return;
            }
            final List<TopicPartition> deleted = which == null ? List.copyOf(ofGroup.keySet()) : which.stream().filter(ofGroup::containsKey).toList();
            if (deleted.isEmpty())
            {
                return;
            }
            final byte[] groupBytes = group.getBytes(StandardCharsets.UTF_8);
            final List<StateTopic.Entry> tombstones = new ArrayList<>();
            deleted.forEach(partition -> tombstones.add(new StateTopic.Entry(key(groupBytes, partition), null)));
            StateTopic.append(log, clock.time(), tombstones);
            deleted.forEach(ofGroup::remove);
            if (ofGroup.isEmpty())
            {
                offsets.remove(group);
            }
            compactIfDue(log);
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
        return topic.partitionFor(group);
    }

    private Map<TopicPartition, OffsetAndMetadata> pendingOf(final TopicPartition partition, final long producerId, final String group)
    {
        return pending.computeIfAbsent(partition, p -> new ConcurrentHashMap<>())
            .computeIfAbsent(producerId, p -> new ConcurrentHashMap<>())
            .computeIfAbsent(group, g -> new ConcurrentHashMap<>());
    }

    private void end(final TopicPartition partition, final long producerId, final TransactionResult result)
    {
        final Map<Long, Map<String, Map<TopicPartition, OffsetAndMetadata>>> ofPartition = pending.get(partition);
        final Map<String, Map<TopicPartition, OffsetAndMetadata>> ended = ofPartition == null ? null : ofPartition.remove(producerId);
        if (ended != null && result == TransactionResult.COMMIT)
        {
            ended.forEach((group, committed) -> offsets.computeIfAbsent(group, g -> new ConcurrentHashMap<>()).putAll(committed));
        }
    }

    private void compactIfDue(final PartitionLog log)
    {
        if (!pending.getOrDefault(log.topicPartition(), Map.of()).isEmpty())
        {
            return; // see the class comment: never while a transaction's offsets are pending here
        }
        topic.compactIfDue(log, clock.time(), () ->
        {
            final List<StateTopic.Entry> live = new ArrayList<>();
            final long now = clock.time();
            offsets.forEach((group, committed) ->
            {
                if (partitionFor(group) == log)
                {
                    live.addAll(entries(group, committed, now));
                }
            });
            return live;
        });
    }

    private void replay(final TopicPartition partition, final RecordBatch batch)
    {
        final Record record = batch.records();
        if (batch.isControl())
        {
            // A marker: key = version int16, type int16 (0 abort, 1 commit).
            while (record.next())
            {
                final short type = ByteBuffer.wrap(record.key()).getShort(2);
                end(partition, batch.producerId(), type == TransactionResult.COMMIT.controlType() ? TransactionResult.COMMIT : TransactionResult.ABORT);
            }
            return;
        }
        while (record.next())
        {
            final ByteBuffer k = ByteBuffer.wrap(record.key());
            if (k.getShort() != KEY_VERSION)
            {
                continue; // a record kind this version does not know: skip it, as Kafka skips group metadata
            }
            final String group = StateTopic.readString(k);
            final TopicPartition committed = new TopicPartition(StateTopic.readString(k), k.getInt());
            final byte[] value = record.value();
            final Map<TopicPartition, OffsetAndMetadata> target = batch.isTransactional()
                ? pendingOf(partition, batch.producerId(), group)
                : offsets.computeIfAbsent(group, g -> new ConcurrentHashMap<>());
            if (value == null)
            {
                target.remove(committed);
                if (target.isEmpty() && !batch.isTransactional())
                {
                    offsets.remove(group); // a deleted group is not listed after a restart
                }
            }
            else
            {
                target.put(committed, offset(value));
            }
        }
    }

    private static List<StateTopic.Entry> entries(final String group, final Map<TopicPartition, OffsetAndMetadata> committed, final long now)
    {
        final byte[] groupBytes = group.getBytes(StandardCharsets.UTF_8);
        final List<StateTopic.Entry> entries = new ArrayList<>(committed.size());
        committed.forEach((partition, offset) -> entries.add(new StateTopic.Entry(key(groupBytes, partition), value(offset, now))));
        return entries;
    }

    private static OffsetAndMetadata offset(final byte[] value)
    {
        final ByteBuffer v = ByteBuffer.wrap(value);
        v.getShort();
        final long offset = v.getLong();
        final int epoch = v.getInt();
        return new OffsetAndMetadata(offset, epoch, StateTopic.readString(v));
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
}
