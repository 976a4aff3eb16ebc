package io.tidemark.log;

import java.util.List;

/**
 * What opening a partition's log found and repaired: the segments whose invalid tails were
 * cut off (with the bytes and the first offset lost), and the indexes rebuilt from the log.
 * A clean open reports nothing.
 *
 * @param truncations every cut made, in segment order.
 * @param rebuiltIndexes the base offsets of segments whose index files were rebuilt.
 */
public record RecoveryReport(List<Truncation> truncations, List<Long> rebuiltIndexes)
{
    /**
     * One cut made to a segment.
     *
     * @param segmentBaseOffset the segment's base offset (its file name).
     * @param validBytes the bytes kept.
     * @param droppedBytes the bytes cut off.
     * @param firstDroppedOffset the offset the first dropped batch would have had.
     * @param reason why the first dropped batch was invalid.
     */
    public record Truncation(long segmentBaseOffset, long validBytes, long droppedBytes, long firstDroppedOffset, String reason)
    {
    }

    /**
     * @return true if nothing was truncated or rebuilt.
     */
    public boolean isClean()
    {
        return truncations.isEmpty() && rebuiltIndexes.isEmpty();
    }

    /**
     * @return the total number of bytes cut off.
     */
    public long droppedBytes()
    {
        return truncations.stream().mapToLong(Truncation::droppedBytes).sum();
    }
}
