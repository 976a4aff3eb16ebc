package io.tidemark.bench.server;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * L4: round trips of single records. One record is sent; the consumer (assigned all 6
 * partitions, long-polling) polls until it has it; the time from {@code send} to the poll that
 * returns it goes into a histogram; then the next record. The first records warm both
 * clients and the broker up and are not recorded.
 */
final class RoundTripWorkload
{
    private static final Duration POLL = Duration.ofMillis(100);
    private static final long MAX_ROUND_TRIP_NANOS = TimeUnit.SECONDS.toNanos(30);

    private RoundTripWorkload()
    {
    }

    /**
     * Runs {@code warmUps + roundTrips} round trips through a topic.
     *
     * @param bootstrap host:port.
     * @param topic the topic, already created and empty.
     * @param warmUps round trips not recorded.
     * @param roundTrips round trips recorded.
     * @return the recorded round trips, in nanoseconds.
     * @throws IllegalStateException if a record does not come back within 30 s.
     */
    static Histogram run(final String bootstrap, final String topic, final int warmUps, final int roundTrips)
    {
        final Histogram histogram = new Histogram(MAX_ROUND_TRIP_NANOS, 3);
        final byte[] value = ClientSettings.recordValue();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(ClientSettings.roundTripProducer(bootstrap));
            KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(ClientSettings.consumer(bootstrap)))
        {
            final List<TopicPartition> partitions = IntStream.range(0, ClientSettings.PARTITIONS)
                .mapToObj(partition -> new TopicPartition(topic, partition)).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            producer.partitionsFor(topic);
            for (int i = 0; i < warmUps + roundTrips; i++)
            {
                final long sent = System.nanoTime();
                producer.send(new ProducerRecord<>(topic, value));
                int received = 0;
                while (received == 0)
                {
                    received = consumer.poll(POLL).count();
                    if (received == 0 && System.nanoTime() - sent > MAX_ROUND_TRIP_NANOS)
                    {
                        throw new IllegalStateException("record " + i + " did not come back from " + topic + " within 30 s");
                    }
                }
                final long nanos = System.nanoTime() - sent;
                if (received != 1)
                {
                    throw new IllegalStateException("expected one record back, got " + received);
                }
                if (i >= warmUps)
                {
                    histogram.recordValue(Math.min(nanos, MAX_ROUND_TRIP_NANOS));
                }
            }
        }
        return histogram;
    }
}
