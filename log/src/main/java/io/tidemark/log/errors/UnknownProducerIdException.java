package io.tidemark.log.errors;

/**
 * A batch from a producer id the partition has no state for, not starting at sequence 0 (its state was lost or expired).
 */
public class UnknownProducerIdException extends LogException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong, in terms the user can act on.
     */
    public UnknownProducerIdException(final String message)
    {
        super(message);
    }
}
