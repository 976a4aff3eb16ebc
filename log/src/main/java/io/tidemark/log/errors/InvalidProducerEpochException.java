package io.tidemark.log.errors;

/**
 * A transactional request from a producer epoch that is no longer the transactional id's current one, for a request where Kafka answers with INVALID_PRODUCER_EPOCH rather than fencing.
 */
public class InvalidProducerEpochException extends LogException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong, in terms the user can act on.
     */
    public InvalidProducerEpochException(final String message)
    {
        super(message);
    }
}
