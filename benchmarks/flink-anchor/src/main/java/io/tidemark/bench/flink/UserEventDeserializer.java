package io.tidemark.bench.flink;

import java.util.concurrent.atomic.AtomicLong;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Reads the W1 topic's records: the key is the user id (8 bytes, big-endian), the value the
 * event time and the value (8 bytes each), the format the Tidemark loader writes. Notes the
 * moment the first record of the job arrives, from which the run is timed.
 */
public final class UserEventDeserializer implements KafkaRecordDeserializationSchema<UserEvent>
{
    private static final long serialVersionUID = 1L;
    private static final int KEY_BYTES = 8;
    private static final int VALUE_BYTES = 16;

    /** {@code System.nanoTime()} at the first record of the job, 0 before it; the MiniCluster runs in this JVM. */
    static final AtomicLong FIRST_RECORD_NANOS = new AtomicLong();

    private transient boolean seen;

    @Override
    public void deserialize(final ConsumerRecord<byte[], byte[]> record, final Collector<UserEvent> out)
    {
        if (!seen)
        {
            seen = true;
            FIRST_RECORD_NANOS.compareAndSet(0, System.nanoTime());
        }
        final byte[] key = record.key();
        final byte[] value = record.value();
        if (key == null || key.length != KEY_BYTES || value == null || value.length != VALUE_BYTES)
        {
            throw new IllegalArgumentException("not a W1 record at " + record.topic() + "-" + record.partition() + "@" + record.offset()
                + ": key and value must be 8 and 16 bytes");
        }
        out.collect(new UserEvent(longAt(key, 0), longAt(value, 0), longAt(value, 8)));
    }

    @Override
    public TypeInformation<UserEvent> getProducedType()
    {
        return TypeInformation.of(UserEvent.class);
    }

    private static long longAt(final byte[] bytes, final int offset)
    {
        long result = 0;
        for (int i = offset; i < offset + 8; i++)
        {
            result = result << 8 | bytes[i] & 0xFF;
        }
        return result;
    }
}
