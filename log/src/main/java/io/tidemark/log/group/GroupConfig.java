package io.tidemark.log.group;

import io.tidemark.log.errors.InvalidConfigurationException;

/**
 * The group coordinator's settings, with the meaning of Kafka's broker settings of the same
 * names.
 *
 * @param minSessionTimeoutMs {@code group.min.session.timeout.ms}: the shortest session a member may ask for.
 * @param maxSessionTimeoutMs {@code group.max.session.timeout.ms}: the longest.
 * @param initialRebalanceDelayMs {@code group.initial.rebalance.delay.ms}: how long the first
 *        rebalance of an empty group waits for more members, so that a group starting all at
 *        once does not rebalance once per member.
 * @param offsetsTopicPartitions {@code offsets.topic.num.partitions}, used when the offsets
 *        topic is created.
 * @param maxMetadataBytes {@code offset.metadata.max.bytes}: the longest metadata of a commit.
 */
public record GroupConfig(int minSessionTimeoutMs, int maxSessionTimeoutMs, int initialRebalanceDelayMs,
    int offsetsTopicPartitions, int maxMetadataBytes)
{
    /**
     * Checks the settings.
     */
    public GroupConfig
    {
        if (minSessionTimeoutMs <= 0 || maxSessionTimeoutMs < minSessionTimeoutMs)
        {
            throw new InvalidConfigurationException("group.min.session.timeout.ms (" + minSessionTimeoutMs +
                ") must be positive and at most group.max.session.timeout.ms (" + maxSessionTimeoutMs + ")");
        }
        if (initialRebalanceDelayMs < 0 || offsetsTopicPartitions < 1 || maxMetadataBytes < 0 || maxMetadataBytes > Short.MAX_VALUE)
        {
            throw new InvalidConfigurationException("group.initial.rebalance.delay.ms must be >= 0 (" + initialRebalanceDelayMs +
                "), offsets.topic.num.partitions >= 1 (" + offsetsTopicPartitions + "), offset.metadata.max.bytes in 0.." +
                Short.MAX_VALUE + " (" + maxMetadataBytes + ")");
        }
    }

    /**
     * @return Kafka's defaults (6 s to 30 min sessions, 3 s initial delay, 4096 bytes of
     *         metadata), with 4 offsets partitions instead of 50: one process needs few.
     */
    public static GroupConfig defaults()
    {
        return new GroupConfig(6_000, 1_800_000, 3_000, 4, 4096);
    }

    /**
     * @param minMs the shortest session.
     * @param maxMs the longest session.
     * @return a copy with these session limits.
     */
    public GroupConfig withSessionTimeouts(final int minMs, final int maxMs)
    {
        return new GroupConfig(minMs, maxMs, initialRebalanceDelayMs, offsetsTopicPartitions, maxMetadataBytes);
    }

    /**
     * @param delayMs the initial rebalance delay.
     * @return a copy with it set.
     */
    public GroupConfig withInitialRebalanceDelay(final int delayMs)
    {
        return new GroupConfig(minSessionTimeoutMs, maxSessionTimeoutMs, delayMs, offsetsTopicPartitions, maxMetadataBytes);
    }
}
