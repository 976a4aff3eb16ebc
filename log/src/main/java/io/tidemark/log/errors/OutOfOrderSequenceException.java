package io.tidemark.log.errors;

/**
 * A batch whose sequence number does not follow the producer's last one: a gap (records lost in between) or a reordering. Nothing of it was written.
 */
public class OutOfOrderSequenceException extends LogException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong, in terms the user can act on.
     */
    public OutOfOrderSequenceException(final String message)
    {
        super(message);
    }
}
