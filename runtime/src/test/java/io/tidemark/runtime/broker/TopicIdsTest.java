package io.tidemark.runtime.broker;

import io.tidemark.runtime.KafkaTopics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.tidemark.runtime.SharedBrokers;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.LogTruncationException;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicCollection;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.UnknownTopicIdException;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Topic ids and leader-epoch validation through kafka-clients, against {@code tidemark server}
 * and Apache Kafka (the oracle) with the same expectations: Admin sees the id a topic was
 * created with, finds and deletes topics by it and is refused an unknown one; consumers fetch
 * (by id, at the newest Fetch version), validate a position with OffsetForLeaderEpoch and are
 * told of a truncation; a topic created again under its name has a new id, and a fetch by the
 * old one is refused. That an id survives a restart is Tidemark's alone (an in-process server
 * restarted on its data directory).
 */
class TopicIdsTest
{
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @TempDir
    Path dataDir;

    private static Admin admin(final String bootstrap)
    {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
    }

    private static Throwable failure(final Future<?> call)
    {
        return assertThrows(ExecutionException.class, () -> call.get(1, TimeUnit.MINUTES)).getCause();
    }

    private static KafkaConsumer<String, String> consumer(final String bootstrap, final String reset)
    {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, reset,
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"), new StringDeserializer(), new StringDeserializer());
    }

    private static void produce(final String bootstrap, final String topic, final int count) throws Exception
    {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
            new StringSerializer(), new StringSerializer()))
        {
            for (int i = 0; i < count; i++)
            {
                producer.send(new ProducerRecord<>(topic, 0, 1_000L + i, "k" + i, "v" + i)).get(1, TimeUnit.MINUTES);
            }
        }
    }

    /** Polls until {@code count} records came or the deadline passed. */
    private static List<ConsumerRecord<String, String>> poll(final KafkaConsumer<String, String> consumer, final int count)
    {
        final List<ConsumerRecord<String, String>> records = new ArrayList<>();
        final long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (records.size() < count && System.nanoTime() < deadline)
        {
            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        }
        return records;
    }

    /** The name of the topic with this id, asked until Kafka's metadata cache, updated after CreateTopics answers, knows it. */
    private static String nameOf(final Admin admin, final Uuid id) throws Exception
    {
        final long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (true)
        {
            try
            {
                return admin.describeTopics(TopicCollection.ofTopicIds(List.of(id))).allTopicIds().get().get(id).name();
            }
            catch (final ExecutionException e)
            {
                assertInstanceOf(UnknownTopicIdException.class, e.getCause());
                assertTrue(System.nanoTime() < deadline, "topic id " + id + " never described");
            }
        }
    }

    private static int port(final String bootstrap)
    {
        return Integer.parseInt(bootstrap.substring(bootstrap.lastIndexOf(':') + 1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"tidemark", "kafka"})
    void adminSeesFindsAndDeletesTopicsByTheirIds(final String broker) throws Exception
    {
        final String bootstrap = SharedBrokers.get(broker).bootstrap();
        final String topic = "topic-ids-admin-" + broker;
        try (Admin admin = admin(bootstrap))
        {
            final Uuid id = admin.createTopics(List.of(new NewTopic(topic, 2, (short)1))).topicId(topic).get(1, TimeUnit.MINUTES);
            assertNotEquals(Uuid.ZERO_UUID, id);
            assertEquals(id, admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).topicId());
            assertEquals(topic, admin.describeTopics(TopicCollection.ofTopicIds(List.of(id))).allTopicIds().get().get(id).name());
            assertTrue(admin.listTopics().listings().get().stream().anyMatch(l -> l.name().equals(topic) && l.topicId().equals(id)));

            final Uuid unknown = Uuid.randomUuid();
            assertInstanceOf(UnknownTopicIdException.class, failure(admin.describeTopics(TopicCollection.ofTopicIds(List.of(unknown))).allTopicIds()));
            assertInstanceOf(UnknownTopicIdException.class, failure(admin.deleteTopics(TopicCollection.ofTopicIds(List.of(unknown))).all()));
            assertTrue(admin.listTopics().names().get().contains(topic), "a refused deletion deletes nothing");

            admin.deleteTopics(TopicCollection.ofTopicIds(List.of(id))).all().get(1, TimeUnit.MINUTES);
            final long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (admin.listTopics().names().get().contains(topic) && System.nanoTime() < deadline)
            {
                Thread.onSpinWait();
            }
            assertFalse(admin.listTopics().names().get().contains(topic));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tidemark", "kafka"})
    void consumersReadAndValidateTheirPositionsWithLeaderEpochs(final String broker) throws Exception
    {
        final String bootstrap = SharedBrokers.get(broker).bootstrap();
        final String topic = "topic-ids-epochs-" + broker;
        try (Admin admin = admin(bootstrap))
        {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short)1))).all().get(1, TimeUnit.MINUTES);
        }
        produce(bootstrap, topic, 10);
        final TopicPartition partition = new TopicPartition(topic, 0);
        try (KafkaConsumer<String, String> consumer = consumer(bootstrap, "none"))
        {
            consumer.assign(List.of(partition));
            final OffsetAndTimestamp byTime = consumer.offsetsForTimes(Map.of(partition, 1_004L)).get(partition);
            assertEquals(4, byTime.offset());
            assertEquals(Optional.of(0), byTime.leaderEpoch(), "ListOffsets answers the epoch, so positions carry it");

            // A position with an epoch is validated before it is fetched from.
            consumer.seek(partition, new OffsetAndMetadata(5, Optional.of(0), ""));
            final List<ConsumerRecord<String, String>> records = poll(consumer, 5);
            assertEquals(List.of("v5", "v6", "v7", "v8", "v9"), records.stream().map(ConsumerRecord::value).toList());
            assertEquals(Optional.of(0), records.get(0).leaderEpoch());

            // Epoch 0 ends at the log end (10): a position past it in that epoch was truncated away.
            consumer.seek(partition, new OffsetAndMetadata(15, Optional.of(0), ""));
            final long deadline = System.nanoTime() + DEADLINE.toNanos();
            LogTruncationException truncated = null;
            while (truncated == null && System.nanoTime() < deadline)
            {
                try
                {
                    consumer.poll(Duration.ofMillis(200));
                }
                catch (final LogTruncationException e)
                {
                    truncated = e;
                }
            }
            assertTrue(truncated != null, "the consumer is told of the truncation");
            assertEquals(10, truncated.divergentOffsets().get(partition).offset());

            consumer.seekToBeginning(List.of(partition));
            assertEquals(10, poll(consumer, 10).size(), "and reads on after a seek");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tidemark", "kafka"})
    void aTopicCreatedAgainHasANewIdAndAFetchByTheOldOneIsRefused(final String broker) throws Exception
    {
        final String bootstrap = SharedBrokers.get(broker).bootstrap();
        final String topic = "topic-ids-again-" + broker;
        try (Admin admin = admin(bootstrap))
        {
            final Uuid first = admin.createTopics(List.of(new NewTopic(topic, 1, (short)1))).topicId(topic).get(1, TimeUnit.MINUTES);
            admin.deleteTopics(List.of(topic)).all().get(1, TimeUnit.MINUTES);
            Uuid second = null;
            final long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (second == null && System.nanoTime() < deadline)
            {
                try
                {
                    // Kafka finishes a deletion after answering it: until then the name exists.
                    second = admin.createTopics(List.of(new NewTopic(topic, 1, (short)1))).topicId(topic).get(1, TimeUnit.MINUTES);
                }
                catch (final ExecutionException e)
                {
                    assertInstanceOf(org.apache.kafka.common.errors.TopicExistsException.class, e.getCause());
                }
            }
            assertTrue(second != null && !second.equals(first), "a new id: " + first + ", " + second);
            KafkaTopics.awaitLeaders(admin, topic);
            assertInstanceOf(UnknownTopicIdException.class, failure(admin.describeTopics(TopicCollection.ofTopicIds(List.of(first))).allTopicIds()));
            assertEquals(topic, nameOf(admin, second));

            // What a consumer of the old topic, still fetching by its id, is told.
            try (WireClient client = new WireClient(port(bootstrap)))
            {
                final FetchResponseData old = (FetchResponseData)client.send(fetchById(first), (short)13);
                assertEquals(Errors.UNKNOWN_TOPIC_ID.code(), old.responses().get(0).partitions().get(0).errorCode());
                // Kafka leads a new partition a moment after creating it; until then a fetch is told NOT_LEADER_OR_FOLLOWER.
                FetchResponseData current = (FetchResponseData)client.send(fetchById(second), (short)13);
                final long leaderDeadline = System.nanoTime() + DEADLINE.toNanos();
                while (current.responses().get(0).partitions().get(0).errorCode() == Errors.NOT_LEADER_OR_FOLLOWER.code()
                    && System.nanoTime() < leaderDeadline)
                {
                    Thread.sleep(50);
                    current = (FetchResponseData)client.send(fetchById(second), (short)13);
                }
                assertEquals(second, current.responses().get(0).topicId());
                assertEquals(Errors.NONE.code(), current.responses().get(0).partitions().get(0).errorCode());
            }
        }
    }

    private static FetchRequestData fetchById(final Uuid id)
    {
        return new FetchRequestData().setReplicaId(-1).setMaxWaitMs(0).setMinBytes(0).setMaxBytes(1 << 20).setTopics(List.of(
            new FetchRequestData.FetchTopic().setTopicId(id).setPartitions(List.of(new FetchRequestData.FetchPartition().setPartition(0)
                .setFetchOffset(0).setPartitionMaxBytes(1 << 20)))));
    }

    @Test
    void anIdSurvivesARestart() throws Exception
    {
        final String topic = "topic-ids-restart";
        try (TestServer server = TestServer.start(dataDir, Map.of()))
        {
            final Uuid id;
            try (Admin admin = admin(server.bootstrap()))
            {
                id = admin.createTopics(List.of(new NewTopic(topic, 1, (short)1))).topicId(topic).get(1, TimeUnit.MINUTES);
            }
            produce(server.bootstrap(), topic, 3);
            server.restart();
            try (Admin admin = admin(server.bootstrap()))
            {
                assertEquals(id, admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).topicId());
                assertEquals(topic, admin.describeTopics(TopicCollection.ofTopicIds(List.of(id))).allTopicIds().get().get(id).name());
            }
            try (KafkaConsumer<String, String> consumer = consumer(server.bootstrap(), "earliest"))
            {
                consumer.assign(List.of(new TopicPartition(topic, 0)));
                assertEquals(3, poll(consumer, 3).size());
            }
        }
    }
}
