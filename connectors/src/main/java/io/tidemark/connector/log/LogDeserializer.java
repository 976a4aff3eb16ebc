package io.tidemark.connector.log;

import java.io.Serializable;
import java.nio.ByteBuffer;
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
     * Reads a record where it lies, in the log's own bytes: the embedded {@link LogSource}
     * calls this form. The default copies key and value into arrays and calls
     * {@link #deserialize(byte[], byte[])}, so every deserializer works; one that reads its
     * fields from {@code buffer} by index (absolute {@code getLong(index)} and the like)
     * allocates nothing but its result. The buffer is read-only and big-endian, is valid during
     * this call only (never keep it), and its position and limit must not be changed.
     *
     * @param buffer      the bytes that hold the record.
     * @param keyOffset   the absolute index of the key's first byte.
     * @param keyLength   the key's length in bytes, or -1 for a null key.
     * @param valueOffset the absolute index of the value's first byte.
     * @param valueLength the value's length in bytes, or -1 for a null value (a tombstone).
     * @return the record, or {@code null} to skip this one on purpose.
     * @throws Exception if the bytes are malformed: the job fails, naming the partition and
     *                   offset.
     */
    default T deserialize(final ByteBuffer buffer, final int keyOffset, final int keyLength, final int valueOffset, final int valueLength)
        throws Exception
    {
        return deserialize(copy(buffer, keyOffset, keyLength), copy(buffer, valueOffset, valueLength));
    }

    /**
     * @param buffer the bytes.
     * @param index  the absolute index of the first byte.
     * @param length the length, or -1 for none.
     * @return a copy of those bytes, or {@code null} for none.
     */
    private static byte[] copy(final ByteBuffer buffer, final int index, final int length)
    {
        if (length < 0)
        {
            return null;
        }
        final byte[] bytes = new byte[length];
        buffer.get(index, bytes);
        return bytes;
    }

    /**
     * @return a deserializer that reads each value as UTF-8 text and skips tombstones.
     */
    static LogDeserializer<String> utf8Values()
    {
        return (key, value) -> value == null ? null : new String(value, StandardCharsets.UTF_8);
    }
}
