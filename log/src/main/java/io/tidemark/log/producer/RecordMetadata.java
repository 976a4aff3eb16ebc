package io.tidemark.log.producer;

import io.tidemark.log.TopicPartition;

/**
 * Where a sent record was written.
 *
 * @param topicPartition its partition.
 * @param offset its offset, or -1 with {@link Acks#NONE}, which does not wait to know it.
 * @param timestamp its timestamp: the producer's, or the log-append time if the topic uses it.
 */
public record RecordMetadata(TopicPartition topicPartition, long offset, long timestamp)
{
}
