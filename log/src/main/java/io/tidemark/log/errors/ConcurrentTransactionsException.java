package io.tidemark.log.errors;

/**
 * The transaction's previous commit or abort is still being completed: the caller retries shortly, as Kafka's producer does.
 */
public class ConcurrentTransactionsException extends LogException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong, in terms the user can act on.
     */
    public ConcurrentTransactionsException(final String message)
    {
        super(message);
    }
}
