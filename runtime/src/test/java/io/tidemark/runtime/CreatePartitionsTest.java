package io.tidemark.runtime;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreatePartitionsOptions;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidReplicaAssignmentException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kafka's {@code Admin.createPartitions} against {@code tidemark server} and Apache Kafka (the
 * oracle) with the same expectations: the refusals and their errors, {@code validateOnly}, a
 * one-broker assignment, and a producer and a group's consumer that keep working across the
 * change, the producer's keyed records spread over the new count by the key's hash.
 */
class CreatePartitionsTest
{
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    private static Throwable failure(final Future<?> call)
    {
        return assertThrows(ExecutionException.class, () -> call.get(1, TimeUnit.MINUTES)).getCause();
    }

    private static int partitionCount(final Admin admin, final String topic) throws Exception
    {
        return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
    }

    @ParameterizedTest
    @ValueSource(strings = {"tidemark", "kafka"})
    void refusalsChangeNothingAndAOneBrokerAssignmentIsFollowed(final String broker) throws Exception
    {
        final String topic = "create-partitions-refusals-" + broker;
        try (Admin admin = SharedBrokers.admin(broker))
        {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short)1))).all().get();
            final int node = admin.describeCluster().nodes().get().iterator().next().id();

            assertInstanceOf(UnknownTopicOrPartitionException.class,
                failure(admin.createPartitions(Map.of("create-partitions-absent-" + broker, NewPartitions.increaseTo(4))).all()));
            final Throwable same = failure(admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(3))).all());
            assertInstanceOf(InvalidPartitionsException.class, same);
            assertTrue(same.getMessage().contains("3"), same.getMessage());
            final Throwable fewer = failure(admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(2))).all());
            assertInstanceOf(InvalidPartitionsException.class, fewer);
            assertTrue(fewer.getMessage().contains("3"), fewer.getMessage());
            assertInstanceOf(InvalidReplicaAssignmentException.class, failure(admin.createPartitions(
                Map.of(topic, NewPartitions.increaseTo(4, List.of(List.of(node + 99))))).all()));
            assertInstanceOf(InvalidReplicaAssignmentException.class, failure(admin.createPartitions(
                Map.of(topic, NewPartitions.increaseTo(5, List.of(List.of(node))))).all()), "one assignment for two new partitions");

            admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(8)), new CreatePartitionsOptions().validateOnly(true)).all().get();
            assertEquals(3, partitionCount(admin, topic), "validateOnly changes nothing");
            assertInstanceOf(InvalidPartitionsException.class, failure(admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(3)),
                new CreatePartitionsOptions().validateOnly(true)).all()), "validateOnly checks");

            admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(5, List.of(List.of(node), List.of(node))))).all().get();
            final long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (partitionCount(admin, topic) != 5)
            {
                assertTrue(System.nanoTime() < deadline, "the new count is not described");
                Thread.sleep(50);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tidemark", "kafka"})
    void aProducerAndAConsumerKeepWorkingAcrossTheChange(final String broker) throws Exception
    {
        final String topic = "create-partitions-growing-" + broker;
        final String bootstrap = SharedBrokers.get(broker).bootstrap();
        final Properties producerConfig = new Properties();
        producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        producerConfig.put(ProducerConfig.METADATA_MAX_AGE_CONFIG, "200");
        final Properties consumerConfig = new Properties();
        consumerConfig.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, "create-partitions-growing-" + broker);
        consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumerConfig.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "200");
        try (Admin admin = SharedBrokers.admin(broker);
            KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig, new StringSerializer(), new StringSerializer());
            KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new StringDeserializer()))
        {
            admin.createTopics(List.of(new NewTopic(topic, 2, (short)1))).all().get();
            consumer.subscribe(List.of(topic));
            final Set<String> sent = new HashSet<>(send(producer, topic, "before", 2));
            final Map<String, Integer> seenOn = new HashMap<>();
            consumeUntilSeen(consumer, sent, seenOn);

            admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(4))).all().get();
            final long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (producer.partitionsFor(topic).size() != 4)
            {
                assertTrue(System.nanoTime() < deadline, "the producer does not see the new partitions");
                Thread.sleep(50);
            }
            final List<String> after = send(producer, topic, "after", 4);
            sent.addAll(after);
            consumeUntilSeen(consumer, sent, seenOn);
            assertTrue(after.stream().anyMatch(value -> seenOn.get(value) >= 2), "the new partitions are read: " + seenOn);
        }
    }

    /**
     * Sends 200 keyed records and checks each landed where Kafka's partitioner puts its key
     * among {@code partitions}.
     *
     * @return the values sent.
     */
    private static List<String> send(final KafkaProducer<String, String> producer, final String topic, final String prefix,
        final int partitions) throws Exception
    {
        final Map<String, Future<RecordMetadata>> sends = new LinkedHashMap<>();
        for (int i = 0; i < 200; i++)
        {
            final String key = "key-" + i;
            sends.put(prefix + "-" + i, producer.send(new ProducerRecord<>(topic, key, prefix + "-" + i)));
        }
        int i = 0;
        for (final Future<RecordMetadata> sent : sends.values())
        {
            final int expected = Utils.toPositive(Utils.murmur2(("key-" + i).getBytes(StandardCharsets.UTF_8))) % partitions;
            assertEquals(expected, sent.get(1, TimeUnit.MINUTES).partition(), "key-" + i + " over " + partitions + " partitions");
            i++;
        }
        return List.copyOf(sends.keySet());
    }

    private static void consumeUntilSeen(final KafkaConsumer<String, String> consumer, final Set<String> expected,
        final Map<String, Integer> seenOn)
    {
        final long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!seenOn.keySet().containsAll(expected))
        {
            assertTrue(System.nanoTime() < deadline, "not consumed: " + expected.stream().filter(v -> !seenOn.containsKey(v)).limit(10).toList());
            for (final ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200)))
            {
                final Integer earlier = seenOn.put(record.value(), record.partition());
                assertTrue(earlier == null || earlier == record.partition(), record.value() + " read from two partitions");
            }
        }
        assertEquals(expected, seenOn.keySet(), "nothing but what was sent");
    }
}
