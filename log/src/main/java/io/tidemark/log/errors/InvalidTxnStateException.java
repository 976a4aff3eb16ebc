package io.tidemark.log.errors;

/**
 * A transactional request that the transaction's state does not allow: ending a transaction that was never begun, writing to a partition not added to the transaction, a commit while an abort is being completed.
 */
public class InvalidTxnStateException extends LogException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong, in terms the user can act on.
     */
    public InvalidTxnStateException(final String message)
    {
        super(message);
    }
}
