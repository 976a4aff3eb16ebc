package io.tidemark.log.errors;

/**
 * A static member joins with a {@code group.instance.id} that a live member still holds (Kafka's UNRELEASED_INSTANCE_ID).
 */
public class UnreleasedInstanceIdException extends LogException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong, in terms the user can act on.
     */
    public UnreleasedInstanceIdException(final String message)
    {
        super(message);
    }
}
