package io.tidemark.log.group;

/**
 * The states of a group in the classic rebalance protocol, with Kafka's names.
 *
 * <pre>
 *  EMPTY --join--> PREPARING_REBALANCE --all rejoined or timeout--> COMPLETING_REBALANCE
 *    ^                  ^    ^                                           |
 *    |   last leaves    |    +---- join, leave, expiry -----+  leader's sync
 *    +------------------+                                   |            v
 *                                                           +------- STABLE
 * </pre>
 * A member joining, leaving or expiring in any state but EMPTY starts a rebalance (but for a
 * static member returning to a STABLE group with the same assignor, and a follower rejoining
 * unchanged, which get the generation in force); the generation increases each time a
 * rebalance completes the join phase.
 */
public enum GroupState
{
    /** No members; committed offsets may still exist. */
    EMPTY("Empty"),
    /** Waiting for every member to (re)join. */
    PREPARING_REBALANCE("PreparingRebalance"),
    /** Joined; waiting for the leader's assignment. */
    COMPLETING_REBALANCE("CompletingRebalance"),
    /** Every member has its partitions; heartbeats keep it so. */
    STABLE("Stable"),
    /** Removed; a new group of the same id starts again from EMPTY. */
    DEAD("Dead");

    private final String kafkaName;

    GroupState(final String kafkaName)
    {
        this.kafkaName = kafkaName;
    }

    /**
     * @return the name Kafka's DescribeGroups and ListGroups use.
     */
    public String kafkaName()
    {
        return kafkaName;
    }
}
