package io.tidemark.log.errors;

/**
 * A producer's {@code buffer.memory} stayed full for {@code max.block.ms}: records are sent
 * faster than they can be written. Nothing of the record was kept.
 */
public class BufferExhaustedException extends LogException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong, in terms the user can act on.
     */
    public BufferExhaustedException(final String message)
    {
        super(message);
    }
}
