package io.tidemark.connector.log;

import io.tidemark.engine.source.SourceSplit;
import io.tidemark.log.TopicPartition;

/**
 * One partition of a topic, read from {@code startingOffset} up to, not including,
 * {@code stoppingOffset}. A checkpoint will store a split whose starting offset is the
 * reader's position ({@link LogSplitReader#currentSplit()}); restoring reads from there.
 *
 * @param partition      the partition.
 * @param startingOffset the first offset to read.
 * @param stoppingOffset the offset to stop before, or {@link #UNBOUNDED} to follow the log.
 */
public record LogSplit(TopicPartition partition, long startingOffset, long stoppingOffset) implements SourceSplit
{
    /** The stopping offset of a split that follows its partition for ever. */
    public static final long UNBOUNDED = Long.MAX_VALUE;

    /**
     * @param partition      the partition.
     * @param startingOffset the first offset to read, not negative.
     * @param stoppingOffset the offset to stop before, at or after the start.
     */
    public LogSplit
    {
        if (startingOffset < 0 || stoppingOffset < startingOffset)
        {
            throw new IllegalArgumentException(partition + ": bad offsets [" + startingOffset + ", " + stoppingOffset + ")");
        }
    }

    @Override
    public String splitId()
    {
        return partition.toString();
    }

    /**
     * @return whether the split ends.
     */
    public boolean isBounded()
    {
        return stoppingOffset != UNBOUNDED;
    }

    /**
     * @param offset the next offset to read.
     * @return this split, resumed at {@code offset}.
     */
    public LogSplit resumedAt(final long offset)
    {
        return new LogSplit(partition, offset, stoppingOffset);
    }
}
