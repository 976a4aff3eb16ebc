package io.tidemark.log.errors;

/**
 * The group is rebalancing (Kafka's REBALANCE_IN_PROGRESS): rejoin, then retry.
 */
public class RebalanceInProgressException extends LogException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong, in terms the user can act on.
     */
    public RebalanceInProgressException(final String message)
    {
        super(message);
    }
}
