package io.tidemark.log.errors;

/**
 * A topic name that Kafka would refuse: empty, too long, "." or "..", or with characters other than ASCII letters, digits, '.', '_' and '-'.
 */
public class InvalidTopicException extends LogException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong, in terms the user can act on.
     */
    public InvalidTopicException(final String message)
    {
        super(message);
    }
}
