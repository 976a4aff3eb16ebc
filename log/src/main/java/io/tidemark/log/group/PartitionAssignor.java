package io.tidemark.log.group;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.tidemark.log.TopicPartition;

/**
 * Splits the partitions of the subscribed topics among a group's members. The group's leader
 * runs it once per generation; the coordinator only passes its result on. Every assignor
 * gives each partition of a subscribed topic to exactly one member subscribed to that topic,
 * and is deterministic: the same input gives the same output.
 */
public interface PartitionAssignor
{
    /**
     * @return the name members announce it by, Kafka's where the behaviour is the same.
     */
    String name();

    /**
     * @param partitionsPerTopic the number of partitions of every subscribed topic that exists.
     * @param subscriptions each member's subscription, by member id.
     * @return each member's partitions, by member id; every member is present, maybe with none.
     */
    Map<String, List<TopicPartition>> assign(Map<String, Integer> partitionsPerTopic, Map<String, Subscription> subscriptions);

    /**
     * @param partitionsPerTopic the number of partitions of every topic that exists.
     * @param subscriptions the members' subscriptions.
     * @return every partition of a topic someone subscribes to, sorted by topic then number.
     */
    static List<TopicPartition> subscribedPartitions(final Map<String, Integer> partitionsPerTopic,
        final Map<String, Subscription> subscriptions)
    {
        final TreeMap<String, Integer> topics = new TreeMap<>();
        subscriptions.values().forEach(s -> s.topics().forEach(topic ->
        {
            final Integer count = partitionsPerTopic.get(topic);
            if (count != null)
            {
                topics.put(topic, count);
            }
        }));
        final List<TopicPartition> partitions = new ArrayList<>();
        topics.forEach((topic, count) ->
        {
            for (int p = 0; p < count; p++)
            {
                partitions.add(new TopicPartition(topic, p));
            }
        });
        return partitions;
    }

    /**
     * @param subscriptions the members' subscriptions.
     * @return an empty, mutable list per member, in member id order.
     */
    static Map<String, List<TopicPartition>> emptyAssignment(final Map<String, Subscription> subscriptions)
    {
        final Map<String, List<TopicPartition>> assignment = new TreeMap<>();
        subscriptions.keySet().forEach(member -> assignment.put(member, new ArrayList<>()));
        return assignment;
    }
}
