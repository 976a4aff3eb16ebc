package io.tidemark.log.consumer;

import java.util.List;

import io.tidemark.log.TopicPartition;
import io.tidemark.log.record.Header;

/**
 * A record as a consumer receives it, with its own copies of key, value and headers.
 *
 * @param topicPartition where it was read.
 * @param offset its offset.
 * @param timestamp its timestamp.
 * @param key the key, or null.
 * @param value the value, or null.
 * @param headers the headers, empty if none.
 */
public record ConsumerRecord(TopicPartition topicPartition, long offset, long timestamp, byte[] key, byte[] value, List<Header> headers)
{
}
