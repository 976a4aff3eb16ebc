package io.tidemark.log.group;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import io.tidemark.log.TopicPartition;

/**
 * A server-side assignor of the consumer group protocol: the coordinator, not a member,
 * computes every member's target partitions whenever the group's epoch moves. Every partition
 * of a topic someone subscribes to goes to exactly one member subscribed to it.
 */
public interface TargetAssignor
{
    /** Kafka's default: balanced, and sticky to the previous target. */
    String UNIFORM = "uniform";
    /** Contiguous ranges of each topic's partitions, per topic. */
    String RANGE = "range";
    /** The assignors there are. */
    Set<String> NAMES = Set.of(UNIFORM, RANGE);
    /** Partitions by topic, then number: the order of targets and descriptions. */
    Comparator<TopicPartition> ORDER = Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition);

    /**
     * @param subscriptions each member's subscribed topics (regular expressions resolved), by member id.
     * @param partitionsPerTopic the partition count of every subscribed topic that exists.
     * @param previous each member's previous target, for stickiness.
     * @return each member's target, by member id; every member is present, maybe with none.
     */
    Map<String, Set<TopicPartition>> assign(Map<String, Set<String>> subscriptions, Map<String, Integer> partitionsPerTopic,
        Map<String, Set<TopicPartition>> previous);

    /**
     * @param name an assignor's name.
     * @return the assignor.
     * @throws IllegalArgumentException for a name not in {@link #NAMES}.
     */
    static TargetAssignor named(final String name)
    {
        return switch (name)
        {
            case UNIFORM -> new UniformAssignor();
            case RANGE -> new RangeTargetAssignor();
            default -> throw new IllegalArgumentException("no assignor " + name);
        };
    }

    /**
     * @param subscriptions the members' topics.
     * @param partitionsPerTopic the partition counts.
     * @return every partition of an existing topic someone subscribes to, sorted.
     */
    static List<TopicPartition> subscribedPartitions(final Map<String, Set<String>> subscriptions, final Map<String, Integer> partitionsPerTopic)
    {
        final Set<String> topics = new TreeSet<>();
        subscriptions.values().forEach(topics::addAll);
        final List<TopicPartition> partitions = new ArrayList<>();
        for (final String topic : topics)
        {
            final int count = partitionsPerTopic.getOrDefault(topic, 0);
            for (int p = 0; p < count; p++)
            {
                partitions.add(new TopicPartition(topic, p));
            }
        }
        return partitions;
    }

    /**
     * @param subscriptions the members.
     * @return an empty, mutable, sorted set per member, in member id order.
     */
    static Map<String, Set<TopicPartition>> emptyTargets(final Map<String, Set<String>> subscriptions)
    {
        final Map<String, Set<TopicPartition>> targets = new TreeMap<>();
        subscriptions.keySet().forEach(member -> targets.put(member, new TreeSet<>(ORDER)));
        return targets;
    }
}
