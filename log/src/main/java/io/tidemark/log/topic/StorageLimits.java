package io.tidemark.log.topic;

import io.tidemark.log.storage.ChannelPool;

/**
 * What a {@link LogManager} allows, so that no request can exhaust the process: the largest
 * topic it creates, and how many segment files it keeps open at once.
 *
 * @param maxPartitionsPerTopic the most partitions {@link LogManager#createTopic} accepts for a
 *        topic; more is {@link io.tidemark.log.errors.InvalidPartitionsException}.
 * @param maxOpenSegmentFiles the budget of open segment files shared by all partitions (see
 *        {@link ChannelPool}); the data directory opens whatever the number of partitions.
 */
public record StorageLimits(int maxPartitionsPerTopic, int maxOpenSegmentFiles)
{
    /**
     * The default partition limit. Creating a partition makes a directory and a file; 10,000
     * are made in seconds, not the minutes that tie up a thread and fill a directory with a
     * million entries. Even if every partition kept its active segment open, as Kafka does,
     * 10,000 stay within half of a common 20,000-descriptor limit.
     */
    public static final int DEFAULT_MAX_PARTITIONS_PER_TOPIC = 10_000;

    /**
     * @param maxPartitionsPerTopic at least 1.
     * @param maxOpenSegmentFiles at least 1.
     */
    public StorageLimits
    {
        if (maxPartitionsPerTopic < 1 || maxOpenSegmentFiles < 1)
        {
            throw new IllegalArgumentException("limits must be at least 1: maxPartitionsPerTopic=" + maxPartitionsPerTopic +
                ", maxOpenSegmentFiles=" + maxOpenSegmentFiles);
        }
    }

    /**
     * @return {@value #DEFAULT_MAX_PARTITIONS_PER_TOPIC} partitions per topic, and a quarter of
     *         the process's descriptor limit for segment files ({@link ChannelPool#defaultMaxOpenFiles()}).
     */
    public static StorageLimits defaults()
    {
        return new StorageLimits(DEFAULT_MAX_PARTITIONS_PER_TOPIC, ChannelPool.defaultMaxOpenFiles());
    }
}
