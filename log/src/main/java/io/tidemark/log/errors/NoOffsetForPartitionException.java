package io.tidemark.log.errors;

/**
 * A consumer has no position for a partition (never read it, or its position fell out of the
 * log) and {@code auto.offset.reset=none} forbids choosing one: seek first.
 */
public class NoOffsetForPartitionException extends LogException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong, in terms the user can act on.
     */
    public NoOffsetForPartitionException(final String message)
    {
        super(message);
    }
}
