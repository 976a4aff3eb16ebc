package io.tidemark.connector.txn;

/**
 * A transaction of an exactly-once sink that holds one checkpoint's output, flushed and
 * waiting for the checkpoint to complete: all a restarted sink needs to commit it through the
 * transaction coordinator, although the producer that wrote it is gone.
 *
 * @param transactionalId the transactional id, {@code <prefix>-<subtask>-<k>}.
 * @param producerId      the producer id the coordinator gave the id.
 * @param epoch           the producer's epoch when it wrote the transaction.
 * @param checkpointId    the checkpoint whose output it holds.
 */
public record PendingTransaction(String transactionalId, long producerId, short epoch, long checkpointId)
{
}
