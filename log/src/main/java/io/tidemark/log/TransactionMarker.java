package io.tidemark.log;

/**
 * The end of a producer's transaction in one partition: written by the transaction
 * coordinator (never by a producer) as a control batch of one record.
 *
 * @param producerId the transaction's producer id.
 * @param producerEpoch the producer's epoch when the transaction ended; the coordinator bumps
 *        it when it aborts a transaction itself, which fences the producer's older epoch.
 * @param coordinatorEpoch the coordinator's epoch, carried in the marker's value.
 * @param result commit or abort.
 */
public record TransactionMarker(long producerId, short producerEpoch, int coordinatorEpoch, TransactionResult result)
{
}
