package io.tidemark.log;

/**
 * An aborted transaction in one partition, as a read-committed fetch reports it: a reader
 * skips the records of {@code producerId} from {@code firstOffset} to the abort marker at
 * {@code lastOffset}.
 *
 * @param producerId the producer whose records are dropped.
 * @param firstOffset the offset of the transaction's first record in this partition.
 * @param lastOffset the offset of its abort marker.
 */
public record AbortedTransaction(long producerId, long firstOffset, long lastOffset)
{
}
