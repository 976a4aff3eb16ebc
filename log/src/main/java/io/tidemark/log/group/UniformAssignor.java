package io.tidemark.log.group;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.tidemark.log.TopicPartition;

/**
 * Kafka's default server-side assignor, {@code uniform}, in its spirit: each member keeps the
 * partitions of its previous target that it still subscribes to, up to its fair share (the
 * partition count over the member count, one more for as many members as the division leaves
 * over), and every other partition goes to the least loaded member subscribed to its topic
 * (ties to the smaller member id). With equal subscriptions the loads differ by at most one
 * and a member joining or leaving moves only the partitions balance requires.
 */
final class UniformAssignor implements TargetAssignor
{
    @Override
    public Map<String, Set<TopicPartition>> assign(final Map<String, Set<String>> subscriptions, final Map<String, Integer> partitionsPerTopic,
        final Map<String, Set<TopicPartition>> previous)
    {
        final Map<String, Set<TopicPartition>> targets = TargetAssignor.emptyTargets(subscriptions);
        if (targets.isEmpty())
        {
            return targets;
        }
        final List<TopicPartition> partitions = TargetAssignor.subscribedPartitions(subscriptions, partitionsPerTopic);
        final int quota = partitions.size() / targets.size();
        int fuller = partitions.size() % targets.size();
        final Set<TopicPartition> unassigned = new TreeSet<>(ORDER);
        unassigned.addAll(partitions);
        for (final Map.Entry<String, Set<TopicPartition>> target : targets.entrySet())
        {
            final List<TopicPartition> kept = new ArrayList<>();
            for (final TopicPartition partition : previous.getOrDefault(target.getKey(), Set.of()))
            {
                if (unassigned.contains(partition) && subscriptions.get(target.getKey()).contains(partition.topic()))
                {
                    kept.add(partition);
                }
            }
            kept.sort(ORDER);
            int share = quota;
            if (kept.size() > quota && fuller > 0)
            {
                share++;
                fuller--;
            }
            for (final TopicPartition partition : kept.subList(0, Math.min(share, kept.size())))
            {
                target.getValue().add(partition);
                unassigned.remove(partition);
            }
        }
        for (final TopicPartition partition : unassigned)
        {
            String least = null;
            for (final Map.Entry<String, Set<TopicPartition>> target : targets.entrySet())
            {
                if (subscriptions.get(target.getKey()).contains(partition.topic()) &&
                    (least == null || target.getValue().size() < targets.get(least).size()))
                {
                    least = target.getKey();
                }
            }
            targets.get(least).add(partition);
        }
        return targets;
    }
}
