package io.tidemark.bench.server;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.stream.IntStream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * L3 and L3C: one kafka-clients consumer, assigned all 6 partitions (no group), reads a topic
 * from the beginning until it has the records L1 (or L3C's committed transactions) wrote.
 * Timed from the first poll to the poll that returns the last record.
 */
final class ConsumeWorkload
{
    private static final Duration POLL = Duration.ofMillis(500);

    private ConsumeWorkload()
    {
    }

    /**
     * Consumes {@code records} records from a topic's start.
     *
     * @param settings the consumer's settings (L3's, or L3C's read_committed).
     * @param topic the topic.
     * @param records how many to read.
     * @param timeout how long to try.
     * @return the throughput.
     * @throws IllegalStateException if the records do not all arrive within the timeout.
     */
    static Throughput run(final Properties settings, final String topic, final long records, final Duration timeout)
    {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(settings))
        {
            final List<TopicPartition> partitions = IntStream.range(0, ClientSettings.PARTITIONS)
                .mapToObj(partition -> new TopicPartition(topic, partition)).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long read = 0;
            long bytes = 0;
            final long start = System.nanoTime();
            final long deadline = start + timeout.toNanos();
            while (read < records)
            {
                if (System.nanoTime() - deadline > 0)
                {
                    throw new IllegalStateException("read " + read + " of " + records + " records of " + topic + " in " + timeout);
                }
                final ConsumerRecords<byte[], byte[]> batch = consumer.poll(POLL);
                read += batch.count();
                for (final ConsumerRecord<byte[], byte[]> record : batch)
                {
                    bytes += record.serializedValueSize();
                }
            }
            return new Throughput(read, bytes, System.nanoTime() - start);
        }
    }
}
