package io.tidemark.engine.connector.log;

import io.tidemark.engine.functions.SerializedCopy;
import io.tidemark.engine.sink.Sink;
import io.tidemark.engine.sink.SinkWriter;
import io.tidemark.log.producer.Producer;
import io.tidemark.log.producer.ProducerConfig;
import io.tidemark.log.producer.ProducerRecord;
import io.tidemark.log.record.Header;
import io.tidemark.log.topic.LogManager;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Writes records to a topic of the embedded log through an embedded {@link Producer}, one per
 * sink subtask. Sends are asynchronous; a failed send fails the job at the next record or at
 * the latest when the input ends, when the writer flushes and waits for every answer. Until
 * checkpoints exist the guarantee is at-least-once only for a job that finishes; a job that
 * fails or is cancelled may have written part of its output.
 *
 * <p>The same sink serves as a dead-letter destination: send a window's late-data side
 * output to {@link #deadLetters}, and every late record lands in the topic, with its event
 * time as the log timestamp and a header saying why.
 *
 * @param <T> the record type.
 */
public final class LogSink<T> implements Sink<T>
{
    /** The header a dead-letter record carries; its value is the reason. */
    public static final String DEAD_LETTER_HEADER = "tidemark.dead-letter";

    private final LogManager logs;
    private final String topic;
    private final SerializedCopy<LogSerializer<T>> serializer;
    private final ProducerConfig config;
    private final Header[] headers;

    private LogSink(final LogManager logs, final String topic, final SerializedCopy<LogSerializer<T>> serializer, final ProducerConfig config,
        final Header[] headers)
    {
        this.logs = logs;
        this.topic = topic;
        this.serializer = serializer;
        this.config = config;
        this.headers = headers;
    }

    /**
     * @param logs       the log manager that holds the topic.
     * @param topic      the topic.
     * @param serializer turns records into key, value and timestamp.
     * @param <T>        the record type.
     * @return a sink with the producer's defaults (acks=all, idempotent).
     * @throws io.tidemark.log.errors.UnknownTopicOrPartitionException if there is no such topic.
     */
    public static <T> LogSink<T> to(final LogManager logs, final String topic, final LogSerializer<T> serializer)
    {
        Objects.requireNonNull(logs, "logs");
        logs.partitions(topic);
        return new LogSink<>(logs, topic, SerializedCopy.of(serializer, "log serializer"), ProducerConfig.defaults(), null);
    }

    /**
     * A sink for records a job could not place, such as a window's late data: each log
     * record carries the header {@value #DEAD_LETTER_HEADER} with the reason.
     *
     * @param logs       the log manager that holds the topic.
     * @param topic      the dead-letter topic.
     * @param serializer turns records into key, value and timestamp.
     * @param reason     why records land here, such as {@code "late"}.
     * @param <T>        the record type.
     * @return the sink.
     */
    public static <T> LogSink<T> deadLetters(final LogManager logs, final String topic, final LogSerializer<T> serializer, final String reason)
    {
        final LogSink<T> sink = to(logs, topic, serializer);
        return new LogSink<>(logs, topic, sink.serializer, sink.config, new Header[]{Header.of(DEAD_LETTER_HEADER, reason)});
    }

    /**
     * @param producerConfig the producer's settings (batching, linger, acks).
     * @return a copy of this sink that uses them.
     */
    public LogSink<T> withProducerConfig(final ProducerConfig producerConfig)
    {
        return new LogSink<>(logs, topic, serializer, Objects.requireNonNull(producerConfig, "producerConfig"), headers);
    }

    @Override
    public SinkWriter<T> createWriter(final int subtaskIndex, final int parallelism)
    {
        return new Writer(serializer.newCopy(), new Producer(logs, config));
    }

    private final class Writer implements SinkWriter<T>
    {
        private final LogSerializer<T> serializer;
        private final Producer producer;
        private final AtomicReference<Exception> failure = new AtomicReference<>();

        Writer(final LogSerializer<T> serializer, final Producer producer)
        {
            this.serializer = serializer;
            this.producer = producer;
        }

        @Override
        public void write(final T value, final long timestamp) throws Exception
        {
            checkFailure();
            final ProducerRecord record = new ProducerRecord(topic, null, serializer.timestamp(value, timestamp), serializer.key(value),
                serializer.value(value), headers);
            producer.send(record, (metadata, exception) ->
            {
                if (exception != null)
                {
                    failure.compareAndSet(null, exception);
                }
            });
        }

        @Override
        public void flush() throws Exception
        {
            producer.flush();
            checkFailure();
        }

        private void checkFailure()
        {
            final Exception exception = failure.get();
            if (exception != null)
            {
                throw new IllegalStateException("writing to topic '" + topic + "' failed: " + exception, exception);
            }
        }

        @Override
        public void close()
        {
            producer.close();
        }
    }
}
