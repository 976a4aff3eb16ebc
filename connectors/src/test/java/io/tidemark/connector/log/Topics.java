package io.tidemark.connector.log;

import io.tidemark.log.LogConfig;
import io.tidemark.log.TopicPartition;
import io.tidemark.log.consumer.Consumer;
import io.tidemark.log.consumer.ConsumerConfig;
import io.tidemark.log.consumer.ConsumerRecord;
import io.tidemark.log.consumer.OffsetReset;
import io.tidemark.log.producer.Acks;
import io.tidemark.log.producer.Producer;
import io.tidemark.log.producer.ProducerConfig;
import io.tidemark.log.producer.ProducerRecord;
import io.tidemark.log.topic.LogManager;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A real log in a temporary directory, with a producer that writes clicks where a test says. */
final class Topics implements AutoCloseable
{
    final LogManager logs;
    private final Producer producer;

    Topics(final Path dir)
    {
        this.logs = LogManager.open(dir, LogConfig.DEFAULTS);
        this.producer = new Producer(logs, ProducerConfig.defaults().withAcks(Acks.LEADER).withLingerMs(0));
    }

    Topics create(final String topic, final int partitions)
    {
        // Test timestamps start in 1970: keep retention from ever deleting them.
        logs.createTopic(topic, partitions, Map.of(LogConfig.RETENTION_MS, "-1"));
        return this;
    }

    /** Appends a click to a partition, its time as the log timestamp, and waits for the append. */
    void write(final String topic, final int partition, final Click click)
    {
        producer.send(new ProducerRecord(topic, partition, click.time(), click.user().getBytes(), click.bytes(), null)).join();
    }

    /** Appends clicks keyed by user (so a user's clicks share a partition), and waits for all. */
    void writeKeyed(final String topic, final List<Click> clicks)
    {
        for (final Click click : clicks)
        {
            producer.send(new ProducerRecord(topic, null, click.time(), click.user().getBytes(), click.bytes(), null));
        }
        producer.flush();
    }

    void writeRaw(final String topic, final int partition, final long timestamp, final byte[] value)
    {
        producer.send(new ProducerRecord(topic, partition, timestamp, null, value, null)).join();
    }

    /** Every record of a topic, partition by partition. */
    List<ConsumerRecord> readAll(final String topic)
    {
        final List<ConsumerRecord> records = new ArrayList<>();
        try (Consumer consumer = new Consumer(logs, ConsumerConfig.defaults().withAutoOffsetReset(OffsetReset.EARLIEST)))
        {
            final List<TopicPartition> partitions = logs.partitions(topic).stream().map(p -> p.topicPartition()).toList();
            consumer.assign(partitions);
            for (final TopicPartition partition : partitions)
            {
                final long end = logs.partition(partition).logEndOffset();
                while (consumer.position(partition) < end)
                {
                    records.addAll(consumer.poll(Duration.ofMillis(10)));
                }
            }
        }
        return records;
    }

    long endOffsets(final String topic)
    {
        return logs.partitions(topic).stream().mapToLong(p -> p.logEndOffset()).sum();
    }

    @Override
    public void close()
    {
        producer.close();
        logs.close();
    }
}
