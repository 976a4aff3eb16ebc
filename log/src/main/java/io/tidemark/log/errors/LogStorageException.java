package io.tidemark.log.errors;

/**
 * An I/O failure of the files under the data directory (disk full, permissions, a file
 * deleted behind the log's back). Kafka calls this a storage error.
 */
public class LogStorageException extends LogException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what was being done, and on which file.
     * @param cause the I/O failure.
     */
    public LogStorageException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
