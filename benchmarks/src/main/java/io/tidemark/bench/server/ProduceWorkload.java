package io.tidemark.bench.server;

import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * L1 and L2: one kafka-clients producer sends the records, unkeyed (so the sticky partitioner
 * fills one batch at a time across the 6 partitions), as fast as it takes them. Timed from the
 * first send to the end of {@code flush()}, when every record is acknowledged.
 */
final class ProduceWorkload
{
    private ProduceWorkload()
    {
    }

    /**
     * Produces {@code records} records of 100 bytes to a topic.
     *
     * @param settings the producer's settings (L1 or L2).
     * @param topic the topic, already created.
     * @param records how many.
     * @return the throughput.
     * @throws IllegalStateException if any record was not acknowledged.
     */
    static Throughput run(final Properties settings, final String topic, final long records)
    {
        final byte[] value = ClientSettings.recordValue();
        final Acknowledgements acknowledgements = new Acknowledgements();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(settings))
        {
            // Metadata first, so that the timed part is the produce path alone.
            producer.partitionsFor(topic);
            final long start = System.nanoTime();
            for (long i = 0; i < records; i++)
            {
                producer.send(new ProducerRecord<>(topic, value), acknowledgements);
            }
            producer.flush();
            final long nanos = System.nanoTime() - start;
            acknowledgements.check(records);
            return new Throughput(records, records * value.length, nanos);
        }
    }

    /** Counts acknowledgements and keeps the first failure; one instance for every send. */
    private static final class Acknowledgements implements Callback
    {
        private final AtomicLong acknowledged = new AtomicLong();
        private final AtomicReference<Exception> failure = new AtomicReference<>();

        @Override
        public void onCompletion(final RecordMetadata metadata, final Exception exception)
        {
            if (exception != null)
            {
                failure.compareAndSet(null, exception);
            }
            else
            {
                acknowledged.incrementAndGet();
            }
        }

        void check(final long expected)
        {
            if (failure.get() != null || acknowledged.get() != expected)
            {
                throw new IllegalStateException(acknowledged.get() + " of " + expected + " records acknowledged", failure.get());
            }
        }
    }
}
