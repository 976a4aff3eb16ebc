package io.tidemark.log.txn;

/**
 * The states of a transactional id, with the names Kafka's DescribeTransactions and
 * ListTransactions report.
 */
public enum TransactionState
{
    /** Initialised, no transaction begun. */
    EMPTY("Empty"),
    /** A transaction is open: partitions or offsets have been added to it. */
    ONGOING("Ongoing"),
    /** A commit was decided and recorded; markers are being written. */
    PREPARE_COMMIT("PrepareCommit"),
    /** An abort was decided and recorded; markers are being written. */
    PREPARE_ABORT("PrepareAbort"),
    /** The last transaction committed. */
    COMPLETE_COMMIT("CompleteCommit"),
    /** The last transaction aborted. */
    COMPLETE_ABORT("CompleteAbort"),
    /** The transactional id expired and is forgotten. */
    DEAD("Dead"),
    /** The epoch is being bumped to fence a producer before its transaction is aborted. */
    PREPARE_EPOCH_FENCE("PrepareEpochFence");

    private final String kafkaName;

    TransactionState(final String kafkaName)
    {
        this.kafkaName = kafkaName;
    }

    /**
     * @return the state as Kafka's protocol and tools spell it.
     */
    public String kafkaName()
    {
        return kafkaName;
    }
}
