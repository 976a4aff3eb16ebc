package io.tidemark.log.errors;

/**
 * A consumer-protocol member subscribed with a regular expression that does not compile (Kafka's INVALID_REGULAR_EXPRESSION).
 */
public class InvalidRegularExpressionException extends LogException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong, in terms the user can act on.
     */
    public InvalidRegularExpressionException(final String message)
    {
        super(message);
    }
}
