package io.tidemark.log.errors;

/**
 * The data directory is held by another log manager, in this process or another one.
 */
public class DataDirectoryLockedException extends LogException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong, in terms the user can act on.
     */
    public DataDirectoryLockedException(final String message)
    {
        super(message);
    }
}
