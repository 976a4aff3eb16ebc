package io.tidemark.log.errors;

/**
 * A record of a transaction that was aborted before the record was written: the producer
 * dropped it, as Kafka's producer fails the batches it had not sent when a transaction aborts.
 */
public class TransactionAbortedException extends LogException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong, in terms the user can act on.
     */
    public TransactionAbortedException(final String message)
    {
        super(message);
    }
}
