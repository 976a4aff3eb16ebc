package io.tidemark.log.errors;

/**
 * Offsets of a partition that an open transaction has committed but not yet completed: a read-committed consumer waits for the transaction to end before it trusts the committed offset.
 */
public class UnstableOffsetCommitException extends LogException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong, in terms the user can act on.
     */
    public UnstableOffsetCommitException(final String message)
    {
        super(message);
    }
}
