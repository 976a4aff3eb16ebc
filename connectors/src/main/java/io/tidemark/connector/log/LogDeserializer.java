package io.tidemark.connector.log;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;

/**
 * Turns a log record's key and value bytes into the stream's record type. The log record's
 * timestamp becomes the record's event time; a watermark strategy's timestamp assigner may
 * still override it. Each split reader gets its own copy (by serialization), so a
 * deserializer may keep reusable buffers in fields.
 *
 * @param <T> the record type.
 */
@FunctionalInterface
public interface LogDeserializer<T> extends Serializable
{
    /**
     * @param key   the key bytes, or {@code null}.
     * @param value the value bytes, or {@code null} (a tombstone).
     * @return the record, or {@code null} to skip this one on purpose (tombstones, say).
     * @throws Exception if the bytes are malformed: the job fails, naming the partition and
     *                   offset.
     */
    T deserialize(byte[] key, byte[] value) throws Exception;

    /**
     * @return a deserializer that reads each value as UTF-8 text and skips tombstones.
     */
    static LogDeserializer<String> utf8Values()
    {
        return (key, value) -> value == null ? null : new String(value, StandardCharsets.UTF_8);
    }
}
