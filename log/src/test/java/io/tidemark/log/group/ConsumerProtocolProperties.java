package io.tidemark.log.group;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.tidemark.log.TopicPartition;
import io.tidemark.log.errors.InconsistentGroupProtocolException;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Subscriptions and assignments as Kafka's Java consumer writes and reads them, so both kinds
 * of consumer can share a group: each side reads the other's bytes, at every version Kafka's
 * consumer sends.
 */
class ConsumerProtocolProperties
{
    @Property(tries = 300)
    void kafkaReadsOurSubscriptionsAndWeReadItsAtEveryVersion(@ForAll @Size(max = 5) final List<@StringLength(min = 1, max = 20) String> topics,
        @ForAll @Size(max = 8) final List<@IntRange(max = 100) Integer> owned, @ForAll @IntRange(min = -1, max = 1000) final int generation,
        @ForAll @IntRange(max = 3) final int version)
    {
        final List<TopicPartition> ownedPartitions = new ArrayList<>();
        owned.forEach(p -> ownedPartitions.add(new TopicPartition(topics.isEmpty() ? "t" : topics.get(p % topics.size()), p)));
        final List<TopicPartition> grouped = groupedByTopic(ownedPartitions);
        final Subscription ours = Subscription.of(topics, grouped, generation);

        final ConsumerPartitionAssignor.Subscription read = ConsumerProtocol.deserializeSubscription(
            ByteBuffer.wrap(io.tidemark.log.group.ConsumerProtocol.encodeSubscription(ours)));
        assertEquals(topics.stream().sorted().toList(), read.topics().stream().sorted().toList());
        assertEquals(grouped, read.ownedPartitions().stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList());
        assertEquals(generation < 0 ? Optional.empty() : Optional.of(generation), read.generationId());

        final ByteBuffer theirs = ConsumerProtocol.serializeSubscription(new ConsumerPartitionAssignor.Subscription(topics, null,
            grouped.stream().map(p -> new org.apache.kafka.common.TopicPartition(p.topic(), p.partition())).toList(), generation,
            Optional.empty()), (short)version);
        final byte[] bytes = new byte[theirs.remaining()];
        theirs.get(bytes);
        final Subscription decoded = io.tidemark.log.group.ConsumerProtocol.decodeSubscription(bytes);
        assertEquals(topics.stream().sorted().toList(), decoded.topics().stream().sorted().toList());
        assertEquals(version >= 1 ? sorted(grouped) : List.of(), sorted(decoded.ownedPartitions()));
        assertEquals(version >= 2 ? generation : -1, decoded.generationId());
    }

    @Property(tries = 300)
    void assignmentsRoundTripThroughKafka(@ForAll @Size(max = 10) final List<@IntRange(max = 50) Integer> partitions,
        @ForAll @Size(max = 16) final byte[] userData)
    {
        final List<TopicPartition> assigned = groupedByTopic(partitions.stream().map(p -> new TopicPartition("topic-" + p % 3, p)).toList());
        final byte[] ours = io.tidemark.log.group.ConsumerProtocol.encodeAssignment(new Assignment(assigned, userData));
        final ConsumerPartitionAssignor.Assignment read = ConsumerProtocol.deserializeAssignment(ByteBuffer.wrap(ours));
        assertEquals(assigned, read.partitions().stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList());
        final byte[] readUserData = new byte[read.userData().remaining()];
        read.userData().get(readUserData);
        assertArrayEquals(userData, readUserData);

        final ByteBuffer theirs = ConsumerProtocol.serializeAssignment(new ConsumerPartitionAssignor.Assignment(
            assigned.stream().map(p -> new org.apache.kafka.common.TopicPartition(p.topic(), p.partition())).toList(), null));
        final byte[] bytes = new byte[theirs.remaining()];
        theirs.get(bytes);
        assertEquals(sorted(assigned), sorted(io.tidemark.log.group.ConsumerProtocol.decodeAssignment(bytes).partitions()));
    }

    @Property(tries = 200)
    void garbageIsAClearErrorNotACrash(@ForAll @Size(min = 1, max = 64) final byte[] garbage)
    {
        try
        {
            io.tidemark.log.group.ConsumerProtocol.decodeSubscription(garbage);
        }
        catch (final InconsistentGroupProtocolException expected)
        {
            // the only failure allowed
        }
        assertThrows(InconsistentGroupProtocolException.class,
            () -> io.tidemark.log.group.ConsumerProtocol.decodeAssignment(new byte[] {0, 0, 0x7f, 0, 0, 0}));
    }

    private static List<TopicPartition> sorted(final List<TopicPartition> partitions)
    {
        final List<TopicPartition> copy = new ArrayList<>(partitions);
        copy.sort(java.util.Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition));
        return copy;
    }

    /** Both encoders group partitions by topic in first-seen order; compare in that order. */
    private static List<TopicPartition> groupedByTopic(final List<TopicPartition> partitions)
    {
        final java.util.Map<String, List<TopicPartition>> byTopic = new java.util.LinkedHashMap<>();
        partitions.forEach(p -> byTopic.computeIfAbsent(p.topic(), t -> new ArrayList<>()).add(p));
        final List<TopicPartition> grouped = new ArrayList<>();
        byTopic.values().forEach(grouped::addAll);
        return grouped;
    }
}
