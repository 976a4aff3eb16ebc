package io.tidemark.log.errors;

/**
 * The metadata attached to a committed offset is longer than the coordinator keeps (Kafka's
 * OFFSET_METADATA_TOO_LARGE; its limit, {@code offset.metadata.max.bytes}, is 4096).
 */
public class OffsetMetadataTooLargeException extends LogException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong, in terms the user can act on.
     */
    public OffsetMetadataTooLargeException(final String message)
    {
        super(message);
    }
}
