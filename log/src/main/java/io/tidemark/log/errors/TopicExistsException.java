package io.tidemark.log.errors;

/**
 * A topic of that name exists already.
 */
public class TopicExistsException extends LogException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong, in terms the user can act on.
     */
    public TopicExistsException(final String message)
    {
        super(message);
    }
}
