package io.tidemark.log.errors;

/**
 * A configuration key that is unknown, or a value out of its range; nothing was changed.
 */
public class InvalidConfigurationException extends LogException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong, in terms the user can act on.
     */
    public InvalidConfigurationException(final String message)
    {
        super(message);
    }
}
