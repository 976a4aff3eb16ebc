package io.tidemark.log.errors;

/**
 * A batch from an older epoch of a producer id: a newer instance of the producer has taken over, and this one must stop.
 */
public class ProducerFencedException extends LogException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong, in terms the user can act on.
     */
    public ProducerFencedException(final String message)
    {
        super(message);
    }
}
