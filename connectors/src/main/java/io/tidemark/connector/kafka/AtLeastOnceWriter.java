package io.tidemark.connector.kafka;

import io.tidemark.engine.sink.SinkWriter;

/**
 * One subtask of the at-least-once Kafka sink: one idempotent producer, flushed at every
 * checkpoint barrier and at the end of the input.
 *
 * @param <T> the record type.
 */
final class AtLeastOnceWriter<T> implements SinkWriter<T>
{
    private final RecordSender<T> sender;

    /**
     * @param sender the subtask's producer.
     */
    AtLeastOnceWriter(final RecordSender<T> sender)
    {
        this.sender = sender;
    }

    @Override
    public void write(final T value, final long timestamp)
    {
        sender.send(value, timestamp);
    }

    @Override
    public void flush()
    {
        sender.flush();
    }

    @Override
    public void close()
    {
        sender.producer().close(RecordSender.CLOSE_TIMEOUT);
    }
}
