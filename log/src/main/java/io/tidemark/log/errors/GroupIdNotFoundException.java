package io.tidemark.log.errors;

/**
 * No group of that id is known (Kafka's GROUP_ID_NOT_FOUND).
 */
public class GroupIdNotFoundException extends LogException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong, in terms the user can act on.
     */
    public GroupIdNotFoundException(final String message)
    {
        super(message);
    }
}
