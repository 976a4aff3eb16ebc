package io.tidemark.log.errors;

/**
 * A well-formed record batch that a partition does not take from this caller, Kafka's
 * INVALID_RECORD: a control batch (a transaction marker) sent by a producer, since only the
 * transaction coordinator writes markers.
 */
public class InvalidRecordException extends LogException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong, in terms the user can act on.
     */
    public InvalidRecordException(final String message)
    {
        super(message);
    }
}
