package io.tidemark.log.errors;

/**
 * A transactional id the coordinator does not know.
 */
public class TransactionalIdNotFoundException extends LogException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong, in terms the user can act on.
     */
    public TransactionalIdNotFoundException(final String message)
    {
        super(message);
    }
}
