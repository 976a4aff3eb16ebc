package io.tidemark.log.errors;

/**
 * A request names a generation of the group other than the current one (Kafka's ILLEGAL_GENERATION): the group has rebalanced since the member last joined. Rejoin.
 */
public class IllegalGenerationException extends LogException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong, in terms the user can act on.
     */
    public IllegalGenerationException(final String message)
    {
        super(message);
    }
}
