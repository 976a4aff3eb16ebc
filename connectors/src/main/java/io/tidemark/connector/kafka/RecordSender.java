package io.tidemark.connector.kafka;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import io.tidemark.connector.log.LogSerializer;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * One {@link KafkaProducer} of the Kafka sink and the first failure of its asynchronous sends,
 * which the next send or flush throws: a failed send fails the job, nothing is dropped silently.
 *
 * @param <T> the record type.
 */
final class RecordSender<T>
{
    /** How long closing the at-least-once producer waits for what is in flight. */
    static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final String topic;
    private final LogSerializer<T> serializer;
    private final KafkaProducer<byte[], byte[]> producer;
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private final Callback onSent = (metadata, exception) ->
    {
        if (exception != null)
        {
            failure.compareAndSet(null, exception);
        }
    };

    /**
     * @param topic      the topic.
     * @param serializer the subtask's copy of the serializer.
     * @param producer   the producer.
     */
    RecordSender(final String topic, final LogSerializer<T> serializer, final KafkaProducer<byte[], byte[]> producer)
    {
        this.topic = topic;
        this.serializer = serializer;
        this.producer = producer;
    }

    KafkaProducer<byte[], byte[]> producer()
    {
        return producer;
    }

    /**
     * @param value     a record.
     * @param timestamp its timestamp in the stream.
     * @throws IllegalStateException if an earlier send failed.
     */
    void send(final T value, final long timestamp)
    {
        checkFailure();
        producer.send(new ProducerRecord<>(topic, null, serializer.timestamp(value, timestamp), serializer.key(value), serializer.value(value)),
            onSent);
    }

    /**
     * Waits until every record sent is acknowledged.
     *
     * @throws IllegalStateException if a send failed.
     */
    void flush()
    {
        producer.flush();
        checkFailure();
    }

    /** @throws IllegalStateException if a send failed, with the broker's reason. */
    void checkFailure()
    {
        final Exception exception = failure.get();
        if (exception != null)
        {
            throw new IllegalStateException("writing to Kafka topic '" + topic + "' failed: " + exception, exception);
        }
    }
}
