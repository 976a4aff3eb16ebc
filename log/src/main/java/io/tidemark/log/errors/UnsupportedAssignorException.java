package io.tidemark.log.errors;

/**
 * A consumer-protocol member asked for a server-side assignor the coordinator does not offer (Kafka's UNSUPPORTED_ASSIGNOR; the offered ones are {@code group.consumer.assignors}).
 */
public class UnsupportedAssignorException extends LogException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong, in terms the user can act on.
     */
    public UnsupportedAssignorException(final String message)
    {
        super(message);
    }
}
