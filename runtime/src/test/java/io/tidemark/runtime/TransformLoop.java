package io.tidemark.runtime;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A consume-transform-produce loop in a process of its own, for the test that kills it and its
 * broker: a read_committed consumer of the input (all partitions assigned, no group
 * membership, so a restarted loop does not wait for a rebalance) and a producer with a fixed
 * transactional id; for each poll one transaction with an output record per input record, in
 * the same partition, its value the input's {@code partition:offset}, and the consumed offsets
 * committed in it. On any error of the transaction it restarts its producer (the new instance
 * fences the old one and aborts what it left open) and rewinds to the committed offsets.
 * After each commit it prints {@code committed N}, N the sum of the committed offsets.
 */
public final class TransformLoop
{
    private static final String GROUP = "transform-loop";

    private final String bootstrap;
    private final String transactionalId;
    private final String input;
    private final String output;
    private final List<TopicPartition> partitions;
    private final Map<TopicPartition, Long> committed = new HashMap<>();

    private TransformLoop(final String[] args)
    {
        bootstrap = args[0];
        transactionalId = args[1];
        input = args[2];
        output = args[3];
        partitions = IntStream.range(0, Integer.parseInt(args[4])).mapToObj(p -> new TopicPartition(input, p)).toList();
    }

    /**
     * Runs until killed.
     *
     * @param args bootstrap, transactional id, input topic, output topic, partition count,
     *        records per transaction at most.
     */
    public static void main(final String[] args)
    {
        new TransformLoop(args).run(Integer.parseInt(args[5]));
    }

    private void run(final int maxRecords)
    {
        final Map<String, Object> settings = new HashMap<>();
        settings.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        settings.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
        settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        settings.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxRecords);
        settings.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 20_000);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(settings, new StringDeserializer(), new StringDeserializer()))
        {
            consumer.assign(partitions);
            KafkaProducer<String, String> producer = restart(null, consumer);
            while (true)
            {
                final ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(200));
                if (records.isEmpty())
                {
                    continue;
                }
                try
                {
                    producer.beginTransaction();
                    final Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
                    for (final ConsumerRecord<String, String> record : records)
                    {
                        producer.send(new ProducerRecord<>(output, record.partition(), record.key(), record.partition() + ":" + record.offset()));
                        offsets.put(new TopicPartition(record.topic(), record.partition()), new OffsetAndMetadata(record.offset() + 1));
                    }
                    producer.sendOffsetsToTransaction(offsets, new ConsumerGroupMetadata(GROUP));
                    producer.commitTransaction();
                    offsets.forEach((partition, offset) -> committed.put(partition, offset.offset()));
                    printProgress();
                }
                catch (final KafkaException e)
                {
                    System.out.println("transaction failed, restarting the producer: " + e);
                    producer = restart(producer, consumer);
                }
            }
        }
    }

    /**
     * A new producer instance (its initTransactions fences the old one and aborts its open
     * transaction), and the consumer back at the committed offsets; retried until the broker
     * answers.
     */
    private KafkaProducer<String, String> restart(final KafkaProducer<String, String> old, final KafkaConsumer<String, String> consumer)
    {
        if (old != null)
        {
            old.close(Duration.ZERO);
        }
        while (true)
        {
            final KafkaProducer<String, String> producer = newProducer();
            try
            {
                producer.initTransactions();
                final Map<TopicPartition, OffsetAndMetadata> offsets = consumer.committed(Set.copyOf(partitions));
                for (final TopicPartition partition : partitions)
                {
                    final OffsetAndMetadata offset = offsets.get(partition);
                    final long position = offset == null ? 0 : offset.offset();
                    consumer.seek(partition, position);
                    committed.put(partition, position);
                }
                printProgress();
                return producer;
            }
            catch (final KafkaException e)
            {
                System.out.println("restart failed, trying again: " + e);
                producer.close(Duration.ZERO);
            }
        }
    }

    private KafkaProducer<String, String> newProducer()
    {
        final Map<String, Object> settings = new HashMap<>();
        settings.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        settings.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        settings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 20_000);
        settings.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        settings.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 20_000);
        settings.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        return new KafkaProducer<>(settings, new StringSerializer(), new StringSerializer());
    }

    private void printProgress()
    {
        System.out.println("committed " + committed.values().stream().mapToLong(Long::longValue).sum());
        System.out.flush();
    }
}
