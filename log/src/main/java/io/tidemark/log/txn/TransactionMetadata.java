package io.tidemark.log.txn;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

import io.tidemark.log.TopicPartition;
import io.tidemark.log.topic.StateTopic;

/**
 * What the coordinator knows of one transactional id: one state of it, immutable. A change is
 * a new instance, written to {@value TransactionCoordinator#TOPIC} before it takes effect.
 *
 * <p>The record of an id in the topic is keyed by the id (the latest record wins, one without
 * a value forgets the id):
 * <pre>
 * key:   version int16 (0), transactional id string
 * value: version int16 (0), producer id int64, previous producer id int64 (-1 if none),
 *        epoch int16, last epoch int16 (-1 if none), timeout ms int32, state int8,
 *        start time int64 (-1 if no transaction is open), last update time int64,
 *        topic count int32, per topic: { name string, partition count int32, partition int32 ... },
 *        group count int32, per group: { group id string }
 * </pre>
 * Strings are an int16 length then UTF-8. The state is Kafka's id of it (0 Empty, 1 Ongoing,
 * 2 PrepareCommit, 3 PrepareAbort, 4 CompleteCommit, 5 CompleteAbort, 6 Dead,
 * 7 PrepareEpochFence), the order of {@link TransactionState}.
 *
 * @param transactionalId the transactional id.
 * @param producerId the producer id it is mapped to.
 * @param previousProducerId the producer id it had before its epochs ran out, -1 if none: a
 *        producer that retries the InitProducerId which gave it the new id still knows the old one.
 * @param producerEpoch the current epoch.
 * @param lastProducerEpoch the epoch before the last bump a live producer asked for, -1 if
 *        none: a producer whose answer to that bump was lost retries with it.
 * @param timeoutMs the transaction timeout the producer asked for.
 * @param state the state.
 * @param partitions the partitions the open transaction writes to (kept sorted).
 * @param groups the groups whose offsets the open transaction commits (kept sorted).
 * @param startTimeMs when the open transaction began, -1 if none is open.
 * @param lastUpdateMs when this state was entered.
 */
record TransactionMetadata(String transactionalId, long producerId, long previousProducerId, short producerEpoch, short lastProducerEpoch,
    int timeoutMs, TransactionState state, Set<TopicPartition> partitions, Set<String> groups, long startTimeMs,
    long lastUpdateMs)
{
    /** Topic then partition: how descriptions list partitions. */
    static final Comparator<TopicPartition> PARTITION_ORDER =
        Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition);

    private static final short KEY_VERSION = 0;
    private static final short VALUE_VERSION = 0;
    private static final TransactionState[] STATES = TransactionState.values();

    TransactionMetadata
    {
        partitions = unmodifiable(partitions, PARTITION_ORDER);
        groups = unmodifiable(groups, Comparator.naturalOrder());
    }

    /**
     * @param next the new state.
     * @param nowMs the time of the change.
     * @return this id in {@code next}, with its transaction as it is.
     */
    TransactionMetadata in(final TransactionState next, final long nowMs)
    {
        return new TransactionMetadata(transactionalId, producerId, previousProducerId, producerEpoch, lastProducerEpoch, timeoutMs, next,
            partitions, groups, startTimeMs, nowMs);
    }

    /**
     * @param next a completed state.
     * @param nowMs the time of the change.
     * @return this id in {@code next}, no transaction open.
     */
    TransactionMetadata completed(final TransactionState next, final long nowMs)
    {
        return new TransactionMetadata(transactionalId, producerId, previousProducerId, producerEpoch, lastProducerEpoch, timeoutMs, next,
            Set.of(), Set.of(), -1, nowMs);
    }

    /**
     * @param epoch the new epoch.
     * @param lastEpoch the epoch to remember as the last, -1 for none.
     * @return this id with another epoch.
     */
    TransactionMetadata withEpoch(final short epoch, final short lastEpoch)
    {
        return new TransactionMetadata(transactionalId, producerId, previousProducerId, epoch, lastEpoch, timeoutMs, state, partitions, groups,
            startTimeMs, lastUpdateMs);
    }

    /**
     * @param addedPartitions partitions to add.
     * @param addedGroups groups to add.
     * @param nowMs the time of the change.
     * @return this id with an open transaction that includes them.
     */
    TransactionMetadata adding(final Set<TopicPartition> addedPartitions, final Set<String> addedGroups, final long nowMs)
    {
        final SortedSet<TopicPartition> allPartitions = new TreeSet<>(PARTITION_ORDER);
        allPartitions.addAll(partitions);
        allPartitions.addAll(addedPartitions);
        final SortedSet<String> allGroups = new TreeSet<>(groups);
        allGroups.addAll(addedGroups);
        return new TransactionMetadata(transactionalId, producerId, previousProducerId, producerEpoch, lastProducerEpoch, timeoutMs,
            TransactionState.ONGOING, allPartitions, allGroups, state == TransactionState.ONGOING ? startTimeMs : nowMs, nowMs);
    }

    /**
     * @return the record's key.
     */
    byte[] key()
    {
        return key(transactionalId);
    }

    /**
     * @param transactionalId a transactional id.
     * @return the key of its records.
     */
    static byte[] key(final String transactionalId)
    {
        final byte[] id = transactionalId.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(2 + 2 + id.length).putShort(KEY_VERSION).putShort((short)id.length).put(id).array();
    }

    /**
     * @return the record's value.
     */
    byte[] value()
    {
        final Map<String, List<Integer>> byTopic = new TreeMap<>();
        partitions.forEach(p -> byTopic.computeIfAbsent(p.topic(), t -> new ArrayList<>()).add(p.partition()));
        final List<byte[]> strings = new ArrayList<>();
        int size = 2 + 8 + 8 + 2 + 2 + 4 + 1 + 8 + 8 + 4 + 4;
        for (final Map.Entry<String, List<Integer>> topic : byTopic.entrySet())
        {
            final byte[] name = topic.getKey().getBytes(StandardCharsets.UTF_8);
            strings.add(name);
            size += 2 + name.length + 4 + 4 * topic.getValue().size();
        }
        for (final String group : groups)
        {
            final byte[] name = group.getBytes(StandardCharsets.UTF_8);
            strings.add(name);
            size += 2 + name.length;
        }
        final ByteBuffer out = ByteBuffer.allocate(size).putShort(VALUE_VERSION).putLong(producerId).putLong(previousProducerId)
            .putShort(producerEpoch).putShort(lastProducerEpoch).putInt(timeoutMs).put((byte)state.ordinal())
            .putLong(startTimeMs).putLong(lastUpdateMs).putInt(byTopic.size());
        int string = 0;
        for (final List<Integer> numbers : byTopic.values())
        {
            final byte[] name = strings.get(string++);
            out.putShort((short)name.length).put(name).putInt(numbers.size());
            numbers.forEach(out::putInt);
        }
        out.putInt(groups.size());
        while (string < strings.size())
        {
            final byte[] name = strings.get(string++);
            out.putShort((short)name.length).put(name);
        }
        return out.array();
    }

    /**
     * @param key a record's key.
     * @return the transactional id it names, or null if the key is of a version this code does not know.
     */
    static String transactionalId(final byte[] key)
    {
        final ByteBuffer in = ByteBuffer.wrap(key);
        return in.getShort() == KEY_VERSION ? StateTopic.readString(in) : null;
    }

    /**
     * @param transactionalId the id the record's key names.
     * @param value the record's value.
     * @return the state the record holds.
     */
    static TransactionMetadata read(final String transactionalId, final byte[] value)
    {
        final ByteBuffer in = ByteBuffer.wrap(value);
        in.getShort();
        final long producerId = in.getLong();
        final long previousProducerId = in.getLong();
        final short epoch = in.getShort();
        final short lastEpoch = in.getShort();
        final int timeoutMs = in.getInt();
        final TransactionState state = STATES[in.get()];
        final long startTimeMs = in.getLong();
        final long lastUpdateMs = in.getLong();
        final SortedSet<TopicPartition> partitions = new TreeSet<>(PARTITION_ORDER);
        for (int topics = in.getInt(); topics > 0; topics--)
        {
            final String topic = StateTopic.readString(in);
            for (int count = in.getInt(); count > 0; count--)
            {
                partitions.add(new TopicPartition(topic, in.getInt()));
            }
        }
        final SortedSet<String> groups = new TreeSet<>();
        for (int count = in.getInt(); count > 0; count--)
        {
            groups.add(StateTopic.readString(in));
        }
        return new TransactionMetadata(transactionalId, producerId, previousProducerId, epoch, lastEpoch, timeoutMs, state, partitions, groups,
            startTimeMs, lastUpdateMs);
    }


    private static <T> SortedSet<T> unmodifiable(final Set<T> elements, final Comparator<? super T> order)
    {
        final SortedSet<T> sorted = new TreeSet<>(order);
        sorted.addAll(elements);
        return Collections.unmodifiableSortedSet(sorted);
    }
}
