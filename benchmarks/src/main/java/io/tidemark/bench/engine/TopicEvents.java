package io.tidemark.bench.engine;

import java.util.concurrent.atomic.AtomicLong;

import io.tidemark.connector.log.LogDeserializer;

/**
 * The events of G(N, users) as the records of a topic, the form in which W1 reads them from a
 * broker or the embedded log: the key is the user id (8 bytes, big-endian), the value the
 * event time and the value (8 bytes each, big-endian), and the record's timestamp the event
 * time. Event {@code i} goes to partition {@code i % partitions}, so that each partition holds
 * what one generator subtask would make, in the same order, and no event is more than 2 s
 * behind its partition's newest. Flink's side of the comparison
 * ({@code benchmarks/flink-anchor}) reads the same bytes.
 */
public final class TopicEvents
{
    /** The bytes of a key. */
    static final int KEY_BYTES = 8;
    /** The bytes of a value. */
    static final int VALUE_BYTES = 16;

    /**
     * {@code System.nanoTime()} when a deserializer of this JVM read its first record, 0
     * before; static because each split reader gets its own copy of the deserializer.
     */
    private static final AtomicLong FIRST_RECORD_NANOS = new AtomicLong();

    private TopicEvents()
    {
    }

    /**
     * @param event an event.
     * @return its key bytes.
     */
    static byte[] key(final Event event)
    {
        final byte[] key = new byte[KEY_BYTES];
        putLong(key, 0, event.userId());
        return key;
    }

    /**
     * @param event an event.
     * @return its value bytes.
     */
    static byte[] value(final Event event)
    {
        final byte[] value = new byte[VALUE_BYTES];
        putLong(value, 0, event.eventTimeMs());
        putLong(value, 8, event.value());
        return value;
    }

    /**
     * @return {@code System.nanoTime()} when the first record was read in this JVM by a
     * {@link #deserializer}, or 0 if none was: a run is timed from it.
     */
    static long firstRecordNanos()
    {
        return FIRST_RECORD_NANOS.get();
    }

    /**
     * @return a deserializer of the records {@link #key} and {@link #value} write; it fails
     * on a record of another shape, naming its sizes.
     */
    static LogDeserializer<Event> deserializer()
    {
        return new LogDeserializer<>()
        {
            private static final long serialVersionUID = 1L;

            private transient boolean seen;

            @Override
            public Event deserialize(final byte[] key, final byte[] value)
            {
                if (!seen)
                {
                    seen = true;
                    FIRST_RECORD_NANOS.compareAndSet(0, System.nanoTime());
                }
                if (key == null || key.length != KEY_BYTES || value == null || value.length != VALUE_BYTES)
                {
                    throw new IllegalArgumentException("not a W1 record: key and value must be " + KEY_BYTES + " and " + VALUE_BYTES + " bytes, were "
                        + (key == null ? "null" : key.length) + " and " + (value == null ? "null" : value.length));
                }
                return new Event(getLong(key, 0), getLong(value, 0), getLong(value, 8));
            }
        };
    }

    private static void putLong(final byte[] bytes, final int offset, final long value)
    {
        for (int i = 0; i < 8; i++)
        {
            bytes[offset + i] = (byte)(value >>> (56 - 8 * i));
        }
    }

    private static long getLong(final byte[] bytes, final int offset)
    {
        long result = 0;
        for (int i = offset; i < offset + 8; i++)
        {
            result = result << 8 | bytes[i] & 0xFF;
        }
        return result;
    }
}
