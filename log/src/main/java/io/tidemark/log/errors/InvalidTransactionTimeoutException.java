package io.tidemark.log.errors;

/**
 * A transaction timeout below 1 ms or above the broker's transaction.max.timeout.ms.
 */
public class InvalidTransactionTimeoutException extends LogException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong, in terms the user can act on.
     */
    public InvalidTransactionTimeoutException(final String message)
    {
        super(message);
    }
}
