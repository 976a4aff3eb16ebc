package io.tidemark.log.errors;

/**
 * A commit the group coordinator refused because the committer is no longer the owner of the
 * partitions: the group rebalanced (the consumer took too long between polls, or its session
 * expired) and they may now belong to another member. What was processed since the last
 * successful commit will be processed again by the new owner.
 */
public class CommitFailedException extends LogException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong, in terms the user can act on.
     * @param cause the coordinator's answer.
     */
    public CommitFailedException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
