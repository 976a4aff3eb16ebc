package io.tidemark.log.errors;

/**
 * A batch larger than the topic's {@code max.message.bytes}; nothing of it was written.
 */
public class RecordTooLargeException extends LogException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong, in terms the user can act on.
     */
    public RecordTooLargeException(final String message)
    {
        super(message);
    }
}
