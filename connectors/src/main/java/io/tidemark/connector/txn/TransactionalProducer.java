package io.tidemark.connector.txn;

/**
 * The producer of one transactional id of an exactly-once sink subtask, its transactions
 * initialized (so that earlier instances of the id are fenced), as {@link TransactionalSinkWriter}
 * drives it.
 *
 * @param <T> the record type.
 */
public interface TransactionalProducer<T>
{
    /** Begins a transaction for the records to come. */
    void beginTransaction();

    /**
     * Sends a record in the open transaction, asynchronously.
     *
     * @param value     the record.
     * @param timestamp its timestamp in the stream.
     * @throws IllegalStateException if an earlier send failed: the job fails.
     */
    void send(T value, long timestamp);

    /**
     * Waits until every record sent is written.
     *
     * @throws IllegalStateException if a send failed.
     */
    void flush();

    /**
     * @param checkpointId the checkpoint the open, flushed transaction belongs to.
     * @return the transaction as a restarted sink would commit it: the coordinator's producer
     *         id and epoch for it.
     * @throws IllegalStateException if the coordinator no longer has the transaction open (it
     *         timed out, or another writer took the id): the checkpoint is declined.
     */
    PendingTransaction pending(long checkpointId);

    /**
     * Commits the transaction.
     *
     * @param what what it holds, for the error message.
     * @throws IllegalStateException if the commit fails.
     */
    void commitTransaction(String what);

    /**
     * Stops the producer.
     *
     * @param leaveTransactionOpen true for a pending transaction, which a restarted sink
     *                             commits; false aborts an open transaction (or leaves it to
     *                             the restarted sink's recovery to abort).
     */
    void close(boolean leaveTransactionOpen);
}
