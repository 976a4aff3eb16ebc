package io.tidemark.log;

/**
 * What a partition remembers of one idempotent or transactional producer, as Kafka's
 * DescribeProducers reports it (and its {@code kafka-transactions find-hanging} reads).
 *
 * @param producerId the producer id.
 * @param producerEpoch its current epoch.
 * @param lastSequence the last sequence number it wrote here, -1 if none.
 * @param lastTimestamp the wall-clock time of its last append, in milliseconds.
 * @param coordinatorEpoch the coordinator epoch of its last marker here, -1 if none.
 * @param currentTransactionStartOffset the first offset of its open transaction here, -1 if
 *        none is open.
 */
public record ActiveProducer(long producerId, short producerEpoch, int lastSequence, long lastTimestamp, int coordinatorEpoch,
    long currentTransactionStartOffset)
{
}
