package io.tidemark.connector.log;

import io.tidemark.engine.time.Watermark;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;

/**
 * Turns a stream record into a log record: value bytes, and optionally key bytes (which pick
 * the partition, as Kafka's partitioner does) and a timestamp (by default the record's event
 * time). Each sink subtask gets its own copy (by serialization).
 *
 * @param <T> the record type.
 */
@FunctionalInterface
public interface LogSerializer<T> extends Serializable
{
    /**
     * One part of a record as bytes.
     *
     * @param <T> the record type.
     */
    @FunctionalInterface
    interface Bytes<T> extends Serializable
    {
        /**
         * @param record a record.
         * @return the bytes, or {@code null}.
         */
        byte[] of(T record);
    }

    /**
     * @param record a record.
     * @return its value bytes; {@code null} writes a tombstone.
     */
    byte[] value(T record);

    /**
     * @param record a record.
     * @return its key bytes, or {@code null} for none (records then spread over partitions).
     */
    default byte[] key(final T record)
    {
        return null;
    }

    /**
     * @param record    a record.
     * @param eventTime its timestamp in the stream, or {@link Watermark#NONE} if it has none.
     * @return the log record's timestamp, or {@code null} for the time of sending.
     */
    default Long timestamp(final T record, final long eventTime)
    {
        return eventTime == Watermark.NONE ? null : eventTime;
    }

    /**
     * @param key   the key bytes of a record.
     * @param value the value bytes of a record.
     * @param <T>   the record type.
     * @return a serializer with keys.
     */
    static <T> LogSerializer<T> keyed(final Bytes<T> key, final Bytes<T> value)
    {
        return new LogSerializer<>()
        {
            private static final long serialVersionUID = 1L;

            @Override
            public byte[] value(final T record)
            {
                return value.of(record);
            }

            @Override
            public byte[] key(final T record)
            {
                return key.of(record);
            }
        };
    }

    /**
     * @param <T> the record type.
     * @return a serializer that writes {@code toString()} as UTF-8, without a key.
     */
    static <T> LogSerializer<T> utf8ToString()
    {
        return record -> record.toString().getBytes(StandardCharsets.UTF_8);
    }
}
