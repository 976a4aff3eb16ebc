package io.tidemark.log.errors;

/**
 * The root of every error the log reports for something a caller can cause or must handle:
 * bad input, unknown names, invalid configuration, storage failures. Each subclass matches
 * one of Kafka's error codes so the wire layer can translate it.
 */
public class LogException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong, in terms the user can act on.
     */
    public LogException(final String message)
    {
        super(message);
    }

    /**
     * @param message what went wrong, in terms the user can act on.
     * @param cause the underlying failure.
     */
    public LogException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
