package io.tidemark.log.errors;

/**
 * A consumer-protocol member's epoch is not the one the coordinator gave it (Kafka's FENCED_MEMBER_EPOCH): the member lost its partitions and rejoins with epoch 0.
 */
public class FencedMemberEpochException extends LogException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong, in terms the user can act on.
     */
    public FencedMemberEpochException(final String message)
    {
        super(message);
    }
}
