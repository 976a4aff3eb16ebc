package io.tidemark.log.errors;

/**
 * A member's protocol type or assignors have nothing in common with the group's (Kafka's INCONSISTENT_GROUP_PROTOCOL).
 */
public class InconsistentGroupProtocolException extends LogException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong, in terms the user can act on.
     */
    public InconsistentGroupProtocolException(final String message)
    {
        super(message);
    }
}
