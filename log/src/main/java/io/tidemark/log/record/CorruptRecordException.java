package io.tidemark.log.record;

import io.tidemark.log.errors.LogException;

/**
 * Bytes that do not form a valid record batch: a bad magic, length, CRC or record encoding.
 * Never thrown for well-formed data, so a reader can treat it as "stop here".
 */
public final class CorruptRecordException extends LogException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what is wrong, and where.
     */
    public CorruptRecordException(final String message)
    {
        super(message);
    }

    /**
     * @param message what is wrong, and where.
     * @param cause what found it: a codec's error, say.
     */
    public CorruptRecordException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
