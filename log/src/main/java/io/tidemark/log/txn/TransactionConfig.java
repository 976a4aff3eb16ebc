package io.tidemark.log.txn;

/**
 * The transaction coordinator's settings, Kafka's broker keys.
 *
 * @param maxTimeoutMs {@code transaction.max.timeout.ms}: the longest transaction timeout a
 *        producer may ask for.
 * @param stateLogPartitions {@code transaction.state.log.num.partitions}: the partitions of
 *        {@code __transaction_state} when it is created.
 * @param abortTimedOutIntervalMs {@code transaction.abort.timed.out.transaction.cleanup.interval.ms}:
 *        how often open transactions are checked against their timeouts.
 * @param idExpirationMs {@code transactional.id.expiration.ms}: how long a transactional id
 *        with no open transaction may stay unused before it is forgotten.
 */
public record TransactionConfig(int maxTimeoutMs, int stateLogPartitions, int abortTimedOutIntervalMs, int idExpirationMs)
{
    /**
     * @return Kafka's defaults: 15 minutes, 50 partitions, 10 seconds, 7 days.
     */
    public static TransactionConfig defaults()
    {
        return new TransactionConfig(900_000, 50, 10_000, 604_800_000);
    }
}
