package io.tidemark.log.group;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.tidemark.log.TopicPartition;

/**
 * A balanced assignment that moves as few partitions as possible from one generation to the
 * next (Kafka's "sticky", eager variant): each member keeps the partitions it owned that still
 * exist and that it still subscribes to; partitions left without an owner (new ones, or those
 * of members that left) go to the least loaded subscribed member; then, while one member holds
 * two more than another that could take one of its partitions, one moves. So a member that
 * leaves hands over only its own partitions, and a member that joins takes only its share,
 * from the most loaded.
 *
 * <p>Ownership comes from each subscription's owned partitions; if two members claim the same
 * partition, the claim from the later generation wins.
 */
public final class StickyAssignor implements PartitionAssignor
{
    @Override
    public String name()
    {
        return "sticky";
    }

    @Override
    public Map<String, List<TopicPartition>> assign(final Map<String, Integer> partitionsPerTopic,
        final Map<String, Subscription> subscriptions)
    {
        final Map<String, List<TopicPartition>> assignment = PartitionAssignor.emptyAssignment(subscriptions);
        final List<TopicPartition> all = PartitionAssignor.subscribedPartitions(partitionsPerTopic, subscriptions);
        final Set<TopicPartition> exists = new HashSet<>(all);
        final Map<TopicPartition, String> owner = new HashMap<>();
        final Map<TopicPartition, Integer> ownerGeneration = new HashMap<>();
        assignment.keySet().forEach(member ->
        {
            final Subscription subscription = subscriptions.get(member);
            for (final TopicPartition partition : subscription.ownedPartitions())
            {
                if (exists.contains(partition) && subscription.topics().contains(partition.topic()) &&
                    subscription.generationId() > ownerGeneration.getOrDefault(partition, Integer.MIN_VALUE))
                {
                    owner.put(partition, member);
                    ownerGeneration.put(partition, subscription.generationId());
                }
            }
        });
        owner.forEach((partition, member) -> assignment.get(member).add(partition));
        for (final TopicPartition partition : all)
        {
            if (!owner.containsKey(partition))
            {
                leastLoaded(assignment, subscriptions, partition.topic()).add(partition);
            }
        }
        balance(assignment, subscriptions);
        assignment.values().forEach(partitions -> partitions.sort(
            Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition)));
        return assignment;
    }

    /** Moves one partition at a time from a member to one holding two fewer, while possible. */
    private static void balance(final Map<String, List<TopicPartition>> assignment, final Map<String, Subscription> subscriptions)
    {
        boolean moved = true;
        while (moved)
        {
            moved = false;
            final List<String> byLoad = new ArrayList<>(assignment.keySet());
            byLoad.sort(Comparator.comparingInt((String m) -> assignment.get(m).size()).reversed().thenComparing(m -> m));
            for (int i = 0; i < byLoad.size() && !moved; i++)
            {
                final List<TopicPartition> from = assignment.get(byLoad.get(i));
                for (int p = from.size() - 1; p >= 0 && !moved; p--)
                {
                    final TopicPartition partition = from.get(p);
                    final List<TopicPartition> to = leastLoaded(assignment, subscriptions, partition.topic());
                    if (to.size() + 1 < from.size())
                    {
                        from.remove(p);
                        to.add(partition);
                        moved = true;
                    }
                }
            }
        }
    }

    private static List<TopicPartition> leastLoaded(final Map<String, List<TopicPartition>> assignment,
        final Map<String, Subscription> subscriptions, final String topic)
    {
        List<TopicPartition> least = null;
        for (final Map.Entry<String, List<TopicPartition>> entry : assignment.entrySet())
        {
            if (subscriptions.get(entry.getKey()).topics().contains(topic) &&
                (least == null || entry.getValue().size() < least.size()))
            {
                least = entry.getValue();
            }
        }
        return least;
    }
}
