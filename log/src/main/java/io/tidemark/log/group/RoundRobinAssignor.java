package io.tidemark.log.group;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.tidemark.log.TopicPartition;

/**
 * Kafka's "roundrobin" assignor: all subscribed partitions, sorted by topic and number, dealt
 * to the members in member id order like cards, skipping members not subscribed to the
 * partition's topic. With equal subscriptions the counts differ by at most one.
 */
public final class RoundRobinAssignor implements PartitionAssignor
{
    @Override
    public String name()
    {
        return "roundrobin";
    }

    @Override
    public Map<String, List<TopicPartition>> assign(final Map<String, Integer> partitionsPerTopic,
        final Map<String, Subscription> subscriptions)
    {
        final Map<String, List<TopicPartition>> assignment = PartitionAssignor.emptyAssignment(subscriptions);
        final List<String> members = new ArrayList<>(assignment.keySet());
        int next = 0;
        for (final TopicPartition partition : PartitionAssignor.subscribedPartitions(partitionsPerTopic, subscriptions))
        {
            while (!subscriptions.get(members.get(next % members.size())).topics().contains(partition.topic()))
            {
                next++;
            }
            assignment.get(members.get(next % members.size())).add(partition);
            next++;
        }
        return assignment;
    }
}
