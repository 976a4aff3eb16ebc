package io.tidemark.log.txn;

/**
 * A producer's identity in the log: its id and the epoch that fences its older instances.
 *
 * @param producerId the producer id.
 * @param epoch the epoch.
 */
public record ProducerIdAndEpoch(long producerId, short epoch)
{
}
