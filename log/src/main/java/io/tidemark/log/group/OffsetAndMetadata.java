package io.tidemark.log.group;

/**
 * A committed position: the offset of the next record the group will read from a partition.
 *
 * @param offset the next offset to read.
 * @param leaderEpoch the leader epoch of the record before it, or -1 if unknown.
 * @param metadata free text the committer attached, never null.
 */
public record OffsetAndMetadata(long offset, int leaderEpoch, String metadata)
{
    /**
     * @param offset the next offset to read, at least 0.
     * @param leaderEpoch the leader epoch, or -1.
     * @param metadata free text; null is taken as empty.
     */
    public OffsetAndMetadata
    {
        if (offset < 0)
        {
            throw new IllegalArgumentException("a committed offset cannot be negative: " + offset);
        }
        metadata = metadata == null ? "" : metadata;
    }

    /**
     * @param offset the next offset to read.
     * @return a position without epoch or metadata.
     */
    public static OffsetAndMetadata of(final long offset)
    {
        return new OffsetAndMetadata(offset, -1, "");
    }
}
