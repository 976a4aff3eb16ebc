package io.tidemark.log.errors;

/**
 * The member id is not one of the group's members (Kafka's UNKNOWN_MEMBER_ID): it never joined, left, or was removed after its session timed out. Rejoin.
 */
public class UnknownMemberIdException extends LogException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong, in terms the user can act on.
     */
    public UnknownMemberIdException(final String message)
    {
        super(message);
    }
}
