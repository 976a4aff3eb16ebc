package io.tidemark.log.errors;

/**
 * A static member's request names a member id that its {@code group.instance.id} no longer
 * maps to (Kafka's FENCED_INSTANCE_ID): a newer member joined with the same instance id and
 * took over. The older one must stop; two consumers share one instance id.
 */
public class FencedInstanceIdException extends LogException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong, in terms the user can act on.
     */
    public FencedInstanceIdException(final String message)
    {
        super(message);
    }
}
