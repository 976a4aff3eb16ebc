package io.tidemark.log.errors;

/**
 * A partition count below one, or a partition number that does not exist where one is being
 * created.
 */
public class InvalidPartitionsException extends LogException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong, in terms the user can act on.
     */
    public InvalidPartitionsException(final String message)
    {
        super(message);
    }
}
