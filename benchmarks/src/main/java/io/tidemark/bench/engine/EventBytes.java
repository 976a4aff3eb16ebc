package io.tidemark.bench.engine;

import java.nio.ByteBuffer;

import io.tidemark.connector.log.LogDeserializer;
import io.tidemark.connector.log.LogSerializer;

/**
 * An {@link Event} as a log record: the key is the user id (8 bytes), the value the user id,
 * event time and value (8 bytes each, big-endian), the log timestamp the event time. The
 * deserializer reads the value in place, so the embedded log source allocates nothing per
 * event but the event itself.
 */
public final class EventBytes
{
    /** The size of an event's value. */
    public static final int VALUE_SIZE = 24;

    /** Writes an event keyed by its user, stamped with its event time. */
    public static final LogSerializer<Event> SERIALIZER = new LogSerializer<>()
    {
        private static final long serialVersionUID = 1L;

        @Override
        public byte[] value(final Event event)
        {
            return ByteBuffer.allocate(VALUE_SIZE).putLong(event.userId()).putLong(event.eventTimeMs()).putLong(event.value()).array();
        }

        @Override
        public byte[] key(final Event event)
        {
            return ByteBuffer.allocate(Long.BYTES).putLong(event.userId()).array();
        }

        @Override
        public Long timestamp(final Event event, final long eventTime)
        {
            return event.eventTimeMs();
        }
    };

    /** Reads an event from its value; the key is not needed. */
    public static final LogDeserializer<Event> DESERIALIZER = new InPlace();

    private EventBytes()
    {
    }

    /** Reads the three fields by index, from an array or from the log's bytes alike. */
    private static final class InPlace implements LogDeserializer<Event>
    {
        private static final long serialVersionUID = 1L;

        @Override
        public Event deserialize(final byte[] key, final byte[] value)
        {
            return value == null ? null : read(ByteBuffer.wrap(value), 0, value.length);
        }

        @Override
        public Event deserialize(final ByteBuffer buffer, final int keyOffset, final int keyLength, final int valueOffset, final int valueLength)
        {
            return valueLength < 0 ? null : read(buffer, valueOffset, valueLength);
        }

        private static Event read(final ByteBuffer buffer, final int offset, final int length)
        {
            if (length != VALUE_SIZE)
            {
                throw new IllegalArgumentException("an event is " + VALUE_SIZE + " bytes, not " + length);
            }
            return new Event(buffer.getLong(offset), buffer.getLong(offset + Long.BYTES), buffer.getLong(offset + 2 * Long.BYTES));
        }
    }
}
