package io.tidemark.log.errors;

/**
 * A producer id that is not the one the transactional id is mapped to.
 */
public class InvalidProducerIdMappingException extends LogException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong, in terms the user can act on.
     */
    public InvalidProducerIdMappingException(final String message)
    {
        super(message);
    }
}
