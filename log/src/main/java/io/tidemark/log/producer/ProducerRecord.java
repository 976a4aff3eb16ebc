package io.tidemark.log.producer;

import io.tidemark.log.record.Header;

/**
 * A record to send, as Kafka's producer takes it.
 *
 * @param topic the topic.
 * @param partition the partition, or null to let the partitioner choose.
 * @param timestamp the event time in milliseconds, or null for the time of sending.
 * @param key the key bytes, or null.
 * @param value the value bytes, or null.
 * @param headers the headers, or null for none.
 */
public record ProducerRecord(String topic, Integer partition, Long timestamp, byte[] key, byte[] value, Header[] headers)
{
    /**
     * A keyed record with no explicit partition, timestamp or headers.
     *
     * @param topic the topic.
     * @param key the key bytes, or null.
     * @param value the value bytes.
     */
    public ProducerRecord(final String topic, final byte[] key, final byte[] value)
    {
        this(topic, null, null, key, value, null);
    }
}
