package io.tidemark.log.group;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.tidemark.log.TopicPartition;

/**
 * Kafka's "range" assignor: topic by topic, the members subscribed to it, in member id order,
 * get contiguous ranges of its partitions, the first ones one more partition when the count
 * does not divide. Partition i of two co-partitioned topics lands on the same member, which
 * joins need; with many topics the first members carry more.
 */
public final class RangeAssignor implements PartitionAssignor
{
    @Override
    public String name()
    {
        return "range";
    }

    @Override
    public Map<String, List<TopicPartition>> assign(final Map<String, Integer> partitionsPerTopic,
        final Map<String, Subscription> subscriptions)
    {
        final Map<String, List<TopicPartition>> assignment = PartitionAssignor.emptyAssignment(subscriptions);
        final Map<String, Integer> topics = new TreeMap<>();
        subscriptions.values().forEach(s -> s.topics().stream().filter(partitionsPerTopic::containsKey)
            .forEach(t -> topics.put(t, partitionsPerTopic.get(t))));
        topics.forEach((topic, partitions) ->
        {
            final List<String> members = assignment.keySet().stream()
                .filter(m -> subscriptions.get(m).topics().contains(topic)).toList();
            final int each = partitions / members.size();
            final int extra = partitions % members.size();
            int next = 0;
            for (int i = 0; i < members.size(); i++)
            {
                final int count = each + (i < extra ? 1 : 0);
                for (int p = next; p < next + count; p++)
                {
                    assignment.get(members.get(i)).add(new TopicPartition(topic, p));
                }
                next += count;
            }
        });
        return assignment;
    }
}
