package io.tidemark.log.errors;

/**
 * No topic of that name, or no partition of that number in it.
 */
public class UnknownTopicOrPartitionException extends LogException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong, in terms the user can act on.
     */
    public UnknownTopicOrPartitionException(final String message)
    {
        super(message);
    }
}
