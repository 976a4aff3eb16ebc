package io.tidemark.log.consumer;

/**
 * Kafka's {@code auto.offset.reset}: where a consumer starts in a partition it has no
 * position for, or whose position is no longer in the log.
 */
public enum OffsetReset
{
    /** At the log start offset: read all history that is kept. */
    EARLIEST,
    /** At the log end offset: read only what arrives from now on. */
    LATEST,
    /** Nowhere: fail with {@link io.tidemark.log.errors.NoOffsetForPartitionException}. */
    NONE;

    /**
     * @param value Kafka's spelling: earliest, latest or none.
     * @return the policy.
     * @throws IllegalArgumentException for anything else.
     */
    public static OffsetReset parse(final String value)
    {
        return switch (value)
        {
            case "earliest" -> EARLIEST;
            case "latest" -> LATEST;
            case "none" -> NONE;
            default -> throw new IllegalArgumentException("auto.offset.reset must be earliest, latest or none, not '" + value + "'");
        };
    }
}
