package io.tidemark.log.errors;

/**
 * An offset commit or fetch carries a member epoch other than the member's current one (Kafka's STALE_MEMBER_EPOCH): the member retries with its new epoch.
 */
public class StaleMemberEpochException extends LogException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong, in terms the user can act on.
     */
    public StaleMemberEpochException(final String message)
    {
        super(message);
    }
}
