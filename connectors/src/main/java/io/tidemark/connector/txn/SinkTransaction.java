package io.tidemark.connector.txn;

/**
 * One transactional id of an exactly-once sink subtask and the producer that writes under
 * it (made when the id is first taken), with where its transaction stands in the checkpoint cycle.
 *
 * @param <T> the record type.
 */
final class SinkTransaction<T>
{
    /** Where the id's transaction stands. */
    enum Phase
    {
        /** Takes the records written now. */
        OPEN,
        /** Flushed at a checkpoint's barrier; committed when that checkpoint (or a later one) completes. */
        PENDING,
        /**
         * Committed, but still named by a checkpoint that a restart may restore: reusing it
         * would let that restart commit the new transaction instead.
         */
        COMMITTED,
        /** Free for the next checkpoint. */
        FREE
    }

    private final String transactionalId;
    private TransactionalProducer<T> producer;
    private Phase phase = Phase.FREE;
    private long records;
    private PendingTransaction pending;
    private long lastSnapshotNamingIt;

    /**
     * @param transactionalId the id.
     */
    SinkTransaction(final String transactionalId)
    {
        this.transactionalId = transactionalId;
    }

    String transactionalId()
    {
        return transactionalId;
    }

    /** @return the producer; null until the id is first taken. */
    TransactionalProducer<T> producer()
    {
        return producer;
    }

    /**
     * @param initialized the producer of the id, its transactions initialized.
     */
    void start(final TransactionalProducer<T> initialized)
    {
        producer = initialized;
    }

    Phase phase()
    {
        return phase;
    }

    /** @return the records sent in the open transaction. */
    long records()
    {
        return records;
    }

    void recordSent()
    {
        records++;
    }

    /** Begins a transaction for the records to come. */
    void open()
    {
        producer.beginTransaction();
        phase = Phase.OPEN;
        records = 0;
    }

    /**
     * @param flushed the transaction, flushed, and the checkpoint it belongs to.
     */
    void pending(final PendingTransaction flushed)
    {
        pending = flushed;
        phase = Phase.PENDING;
    }

    /** @return the pending transaction; only in {@link Phase#PENDING}. */
    PendingTransaction pendingTransaction()
    {
        return pending;
    }

    /**
     * @param lastSnapshot the last checkpoint whose snapshot may name this transaction: the id
     *                     is free once a later checkpoint completes.
     */
    void committed(final long lastSnapshot)
    {
        pending = null;
        lastSnapshotNamingIt = lastSnapshot;
        phase = Phase.COMMITTED;
    }

    /**
     * @param completedCheckpoint a checkpoint that completed.
     */
    void releaseIfUnnamed(final long completedCheckpoint)
    {
        if (phase == Phase.COMMITTED && completedCheckpoint > lastSnapshotNamingIt)
        {
            phase = Phase.FREE;
        }
    }

    /** Stops the producer: an open transaction is aborted, a pending one left for a restarted sink to commit. */
    void close()
    {
        if (producer == null)
        {
            return;
        }
        producer.close(phase == Phase.PENDING);
    }
}
