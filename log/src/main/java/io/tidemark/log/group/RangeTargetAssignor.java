package io.tidemark.log.group;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.tidemark.log.TopicPartition;

/**
 * Kafka's server-side {@code range} assignor: per topic, its subscribers in member id order
 * take contiguous ranges, the first ones one partition more when the count does not divide.
 * It is not sticky: a member joining moves the ranges after it.
 */
final class RangeTargetAssignor implements TargetAssignor
{
    @Override
    public Map<String, Set<TopicPartition>> assign(final Map<String, Set<String>> subscriptions, final Map<String, Integer> partitionsPerTopic,
        final Map<String, Set<TopicPartition>> previous)
    {
        final Map<String, Set<TopicPartition>> targets = TargetAssignor.emptyTargets(subscriptions);
        final Set<String> topics = new TreeSet<>();
        subscriptions.values().forEach(topics::addAll);
        for (final String topic : topics)
        {
            final int count = partitionsPerTopic.getOrDefault(topic, 0);
            final List<String> subscribers = targets.keySet().stream().filter(m -> subscriptions.get(m).contains(topic)).toList();
            final int each = count / subscribers.size();
            final int extra = count % subscribers.size();
            int next = 0;
            for (int i = 0; i < subscribers.size(); i++)
            {
                final int share = each + (i < extra ? 1 : 0);
                for (int p = next; p < next + share; p++)
                {
                    targets.get(subscribers.get(i)).add(new TopicPartition(topic, p));
                }
                next += share;
            }
        }
        return targets;
    }
}
