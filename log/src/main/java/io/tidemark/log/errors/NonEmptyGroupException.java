package io.tidemark.log.errors;

/**
 * The group still has members, so it cannot be deleted (Kafka's NON_EMPTY_GROUP).
 */
public class NonEmptyGroupException extends LogException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong, in terms the user can act on.
     */
    public NonEmptyGroupException(final String message)
    {
        super(message);
    }
}
