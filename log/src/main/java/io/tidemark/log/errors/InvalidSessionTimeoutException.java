package io.tidemark.log.errors;

/**
 * A session timeout outside the coordinator's allowed range (Kafka's INVALID_SESSION_TIMEOUT).
 */
public class InvalidSessionTimeoutException extends LogException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong, in terms the user can act on.
     */
    public InvalidSessionTimeoutException(final String message)
    {
        super(message);
    }
}
