package io.tidemark.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.DeletedRecords;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.PolicyViolationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Compacted topics through kafka-clients: both brokers take {@code cleanup.policy=compact} and
 * refuse a record without a key, and DeleteRecords where the policy compacts without deleting
 * (an empty policy, which Kafka 4 takes, does not refuse it); on Tidemark, whose small segments
 * the cleaner reaches within a pass ({@code LogManager.CLEANER_BACKOFF}), a consumer from the start ends up seeing only the
 * latest value of each key, at its original offset, once later records have pushed them out of
 * the active segment (which is never cleaned, as in Kafka). Kafka 4 does not take a segment.bytes below
 * 1 MiB, so its cleaning is not awaited here.
 */
class CompactedTopicTest
{
    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static final int KEYS = 20;
    private static final int ROUNDS = 10;
    /** Enough records to fill more than one 1 KiB segment. */
    private static final int FILLER = 40;

    @ParameterizedTest
    @ValueSource(strings = {"tidemark", "kafka"})
    void aCompactedTopicIsCreatedAndRefusesARecordWithoutAKey(final String broker) throws Exception
    {
        final String topic = "compacted-topic-refusal-" + broker;
        try (Admin admin = SharedBrokers.admin(broker); KafkaProducer<String, String> producer = SharedBrokers.producer(broker))
        {
            KafkaTopics.create(admin, new NewTopic(topic, 1, (short)1).configs(Map.of("cleanup.policy", "compact,delete",
                "min.cleanable.dirty.ratio", "0.01")));
            final ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            final Config described = admin.describeConfigs(List.of(resource)).all().get().get(resource);
            assertEquals("compact,delete", described.get("cleanup.policy").value());
            producer.send(new ProducerRecord<>(topic, "k", "v")).get(1, TimeUnit.MINUTES);
            final ExecutionException refused = assertThrows(ExecutionException.class,
                () -> producer.send(new ProducerRecord<>(topic, null, "no key")).get(1, TimeUnit.MINUTES));
            assertInstanceOf(InvalidRecordException.class, refused.getCause());
            assertTrue(refused.getCause().getMessage().contains("Compacted topic cannot accept message without key"),
                refused.getCause().getMessage());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tidemark", "kafka"})
    void deleteRecordsIsRefusedWhereThePolicyCompactsWithoutDeletingAndAnEmptyPolicyIsTaken(final String broker) throws Exception
    {
        final List<String> policies = List.of("compact", "compact,delete", "");
        try (Admin admin = SharedBrokers.admin(broker); KafkaProducer<String, String> producer = SharedBrokers.producer(broker))
        {
            for (final String policy : policies)
            {
                final String topic = "compacted-topic-delete-records-" + policies.indexOf(policy) + "-" + broker;
                KafkaTopics.create(admin, new NewTopic(topic, 1, (short)1).configs(Map.of("cleanup.policy", policy)));
                final ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
                assertEquals(policy, admin.describeConfigs(List.of(resource)).all().get().get(resource).get("cleanup.policy").value());
                for (int i = 0; i < 3; i++)
                {
                    producer.send(new ProducerRecord<>(topic, 0, "k" + i, "v")).get(1, TimeUnit.MINUTES);
                }
                final TopicPartition partition = new TopicPartition(topic, 0);
                final Future<DeletedRecords> deleted = admin.deleteRecords(Map.of(partition, RecordsToDelete.beforeOffset(2)))
                    .lowWatermarks().get(partition);
                if (policy.equals("compact"))
                {
                    final ExecutionException refused = assertThrows(ExecutionException.class, () -> deleted.get(1, TimeUnit.MINUTES));
                    assertInstanceOf(PolicyViolationException.class, refused.getCause(), topic);
                }
                else
                {
                    assertEquals(2, deleted.get(1, TimeUnit.MINUTES).lowWatermark(), topic);
                }
            }
        }
    }

    @Test
    void aConsumerFromTheStartEventuallySeesOnlyTheLatestValueOfEachKey() throws Exception
    {
        final String topic = "compacted-topic-latest";
        final Map<String, Long> latestOffsets = new HashMap<>();
        try (Admin admin = SharedBrokers.admin("tidemark"); KafkaProducer<String, String> producer = SharedBrokers.producer("tidemark"))
        {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short)1).configs(Map.of("cleanup.policy", "compact",
                "segment.bytes", "1024", "min.cleanable.dirty.ratio", "0.01")))).all().get();
            for (int round = 0; round < ROUNDS; round++)
            {
                for (int key = 0; key < KEYS; key++)
                {
                    final long offset = producer.send(new ProducerRecord<>(topic, "key-" + key, "value-" + round + "-" + key))
                        .get(1, TimeUnit.MINUTES).offset();
                    latestOffsets.put("key-" + key, offset);
                }
            }
            // The active segment is never cleaned, nor are the records it supersedes: push the
            // rounds into sealed segments with a key of no interest.
            for (int i = 0; i < FILLER; i++)
            {
                producer.send(new ProducerRecord<>(topic, "filler", "filler-" + i)).get(1, TimeUnit.MINUTES);
            }
        }
        final Map<String, String> expected = new HashMap<>();
        latestOffsets.forEach((key, offset) -> expected.put(key, "value-" + (ROUNDS - 1) + "-" + key.substring(4)));
        final long deadline = System.nanoTime() + DEADLINE.toNanos();
        List<ConsumerRecord<String, String>> read = List.of();
        while (System.nanoTime() < deadline)
        {
            read = readAll(topic).stream().filter(record -> !record.key().equals("filler")).toList();
            if (read.size() == KEYS)
            {
                break;
            }
        }
        if (read.size() != KEYS)
        {
            fail("still " + read.size() + " records, not one per key, after " + DEADLINE);
        }
        long previous = -1;
        for (final ConsumerRecord<String, String> record : read)
        {
            assertEquals(expected.get(record.key()), record.value(), record::toString);
            assertEquals(latestOffsets.get(record.key()), record.offset(), "the latest record keeps its offset");
            assertTrue(record.offset() > previous, "in offset order");
            previous = record.offset();
        }
    }

    /** Every record from the start up to the end offset the consumer finds at first. */
    private static List<ConsumerRecord<String, String>> readAll(final String topic) throws Exception
    {
        final Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedBrokers.get("tidemark").bootstrap());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props))
        {
            final TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            final long end = consumer.endOffsets(List.of(partition)).get(partition);
            final List<ConsumerRecord<String, String>> records = new ArrayList<>();
            final long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (consumer.position(partition) < end && System.nanoTime() < deadline)
            {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }
}
