package io.tidemark.log.errors;

/**
 * An offset before the log start offset or after the log end offset.
 */
public class OffsetOutOfRangeException extends LogException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong, in terms the user can act on.
     */
    public OffsetOutOfRangeException(final String message)
    {
        super(message);
    }
}
