package io.tidemark.log.group;

import java.util.List;

import io.tidemark.log.TopicPartition;

/**
 * What a consumer tells the group when it joins: the topics it wants, and the partitions it
 * owned in the generation before, which the sticky assignor uses to move as few as possible.
 *
 * @param topics the topics subscribed to.
 * @param userData assignor-specific bytes, or null.
 * @param ownedPartitions the partitions owned before this rebalance.
 * @param generationId the generation those partitions were owned in, or -1.
 */
public record Subscription(List<String> topics, byte[] userData, List<TopicPartition> ownedPartitions, int generationId)
{
    /**
     * @param topics the topics subscribed to.
     * @param ownedPartitions the partitions owned before this rebalance.
     * @param generationId the generation those partitions were owned in, or -1.
     * @return a subscription without user data.
     */
    public static Subscription of(final List<String> topics, final List<TopicPartition> ownedPartitions, final int generationId)
    {
        return new Subscription(List.copyOf(topics), null, List.copyOf(ownedPartitions), generationId);
    }
}
