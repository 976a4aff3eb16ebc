package io.tidemark.log.errors;

/**
 * An empty or missing group id (Kafka's INVALID_GROUP_ID).
 */
public class InvalidGroupIdException extends LogException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong, in terms the user can act on.
     */
    public InvalidGroupIdException(final String message)
    {
        super(message);
    }
}
