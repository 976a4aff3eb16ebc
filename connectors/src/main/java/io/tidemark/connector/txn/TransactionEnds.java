package io.tidemark.connector.txn;

/**
 * How {@link SinkTransactionRecovery} ends transactions that an earlier instance of a
 * transactional id left, on the coordinator that holds them.
 */
public interface TransactionEnds
{
    /**
     * Commits a pending transaction by its transactional id, producer id and epoch; a commit
     * that already completed counts as done.
     *
     * @param pending the transaction.
     * @return false if the coordinator aborted it before (its timeout ran out, or another
     *         writer took the id): its output is lost.
     */
    boolean commit(PendingTransaction pending);

    /**
     * @param transactionalId a transactional id.
     * @return whether the coordinator knows the id.
     */
    boolean known(String transactionalId);

    /**
     * Ends what the id has open, fencing the instance that opened it: an ongoing transaction is
     * aborted, a decided end completed.
     *
     * @param transactionalId a transactional id the coordinator knows.
     */
    void abortIfOpen(String transactionalId);
}
