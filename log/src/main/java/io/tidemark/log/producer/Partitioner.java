package io.tidemark.log.producer;

/**
 * Chooses the partition of a record that names none. Implementations must be thread-safe:
 * one producer serves many sending threads.
 */
public interface Partitioner
{
    /**
     * @param topic the record's topic.
     * @param key the record's key bytes, or null.
     * @param partitionCount how many partitions the topic has, at least 1.
     * @return a partition from 0 to {@code partitionCount - 1}.
     */
    int partition(String topic, byte[] key, int partitionCount);

    /**
     * Told when the batch being filled for {@code partition} of {@code topic} is complete, so
     * a sticky partitioner can move on. Ignored by default.
     *
     * @param topic the topic.
     * @param partition the partition whose batch was completed.
     */
    default void onBatchComplete(final String topic, final int partition)
    {
    }
}
