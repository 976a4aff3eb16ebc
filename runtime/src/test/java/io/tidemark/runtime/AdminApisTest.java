package io.tidemark.runtime;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import io.tidemark.runtime.broker.WireClient;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DeleteConsumerGroupOffsetsResult;
import org.apache.kafka.clients.admin.DeleteConsumerGroupsResult;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionReplica;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.common.errors.GroupSubscribedToTopicException;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.message.DeleteRecordsRequestData;
import org.apache.kafka.common.message.DeleteRecordsResponseData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
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
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The admin APIs operators use daily, through kafka-clients' {@code Admin} and Kafka's own
 * command-line tools, against {@code tidemark server} and Apache Kafka (the oracle) with the
 * same expectations: DeleteGroups, OffsetDelete, DeleteRecords, DescribeLogDirs,
 * DescribeCluster (a cluster id in Kafka's UUID form) and ListOffsets' special timestamps,
 * refusals included; and, on a server of its own, that the deletions and the cluster id hold
 * after the server is killed with SIGKILL and restarted.
 */
class AdminApisTest
{
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    private static String bootstrap(final String broker) throws Exception
    {
        return SharedBrokers.get(broker).bootstrap();
    }

    private static int port(final String broker) throws Exception
    {
        final String bootstrap = bootstrap(broker);
        return Integer.parseInt(bootstrap.substring(bootstrap.lastIndexOf(':') + 1));
    }

    private static Throwable failure(final Future<?> call)
    {
        return assertThrows(ExecutionException.class, () -> call.get(1, TimeUnit.MINUTES)).getCause();
    }

    /** Creates a topic that keeps its records forever: the tests write timestamps of 1970, which Kafka's retention check deletes. */
    private static void createTopic(final Admin admin, final String topic, final int partitions) throws Exception
    {
        KafkaTopics.create(admin, new NewTopic(topic, partitions, (short)1).configs(Map.of("retention.ms", "-1")));
    }

    /** Sends one record per timestamp to partition 0, each acknowledged before the next: one batch each. */
    private static void send(final String bootstrap, final String topic, final long... timestamps) throws Exception
    {
        final Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer()))
        {
            for (int i = 0; i < timestamps.length; i++)
            {
                producer.send(new ProducerRecord<>(topic, 0, timestamps[i], null, "v" + i)).get(1, TimeUnit.MINUTES);
            }
        }
    }

    private static KafkaConsumer<String, String> consumer(final String broker, final String group) throws Exception
    {
        final Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(broker));
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        if (group != null)
        {
            config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
            config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        }
        return new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
    }

    /** A member of {@code group} subscribed to {@code topic}, polled until it owns partitions. */
    private static KafkaConsumer<String, String> member(final String broker, final String group, final String topic) throws Exception
    {
        final KafkaConsumer<String, String> member = consumer(broker, group);
        member.subscribe(List.of(topic));
        final long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (member.assignment().isEmpty())
        {
            assertTrue(System.nanoTime() < deadline, "the member got no partitions");
            member.poll(Duration.ofMillis(100));
        }
        return member;
    }

    private static ListOffsetsResultInfo offset(final Admin admin, final TopicPartition partition, final OffsetSpec spec) throws Exception
    {
        return admin.listOffsets(Map.of(partition, spec)).partitionResult(partition).get(1, TimeUnit.MINUTES);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tidemark", "kafka"})
    void deleteGroupsDeletesGroupsWithoutMembersAndTheirOffsets(final String broker) throws Exception
    {
        final String topic = "admin-apis-groups-" + broker;
        final String empty = "admin-apis-empty-" + broker;
        final String busy = "admin-apis-busy-" + broker;
        final String unknown = "admin-apis-unknown-" + broker;
        final TopicPartition partition = new TopicPartition(topic, 0);
        try (Admin admin = SharedBrokers.admin(broker))
        {
            createTopic(admin, topic, 1);
            send(bootstrap(broker), topic, 1, 2, 3);
            admin.alterConsumerGroupOffsets(empty, Map.of(partition, new OffsetAndMetadata(2))).all().get(1, TimeUnit.MINUTES);
            try (KafkaConsumer<String, String> member = member(broker, busy, topic))
            {
                final DeleteConsumerGroupsResult deleted = admin.deleteConsumerGroups(List.of(empty, busy, unknown));
                deleted.deletedGroups().get(empty).get(1, TimeUnit.MINUTES);
                assertInstanceOf(GroupNotEmptyException.class, failure(deleted.deletedGroups().get(busy)));
                assertInstanceOf(GroupIdNotFoundException.class, failure(deleted.deletedGroups().get(unknown)));

                assertEquals(Map.of(), admin.listConsumerGroupOffsets(empty).partitionsToOffsetAndMetadata().get(1, TimeUnit.MINUTES));
                final List<String> listed = admin.listGroups().all().get(1, TimeUnit.MINUTES).stream().map(GroupListing::groupId).toList();
                assertFalse(listed.contains(empty), listed.toString());
                assertTrue(listed.contains(busy), listed.toString());
                assertInstanceOf(GroupIdNotFoundException.class, failure(admin.deleteConsumerGroups(List.of(empty)).all()), "deleted already");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tidemark", "kafka"})
    void offsetDeleteKeepsTheOffsetsOfSubscribedTopics(final String broker) throws Exception
    {
        final String subscribed = "admin-apis-subscribed-" + broker;
        final String other = "admin-apis-other-" + broker;
        final String group = "admin-apis-offsets-" + broker;
        final TopicPartition subscribed0 = new TopicPartition(subscribed, 0);
        final TopicPartition subscribed1 = new TopicPartition(subscribed, 1);
        final TopicPartition other0 = new TopicPartition(other, 0);
        try (Admin admin = SharedBrokers.admin(broker))
        {
            createTopic(admin, subscribed, 2);
            createTopic(admin, other, 1);
            send(bootstrap(broker), subscribed, 1, 2);
            send(bootstrap(broker), other, 1, 2);
            admin.alterConsumerGroupOffsets(group, Map.of(subscribed0, new OffsetAndMetadata(1), subscribed1, new OffsetAndMetadata(0),
                other0, new OffsetAndMetadata(1))).all().get(1, TimeUnit.MINUTES);
            try (KafkaConsumer<String, String> member = member(broker, group, subscribed))
            {
                final DeleteConsumerGroupOffsetsResult result = admin.deleteConsumerGroupOffsets(group, Set.of(subscribed0, other0));
                result.partitionResult(other0).get(1, TimeUnit.MINUTES);
                assertInstanceOf(GroupSubscribedToTopicException.class, failure(result.partitionResult(subscribed0)));
                assertInstanceOf(GroupSubscribedToTopicException.class, failure(result.all()));
                assertEquals(Set.of(subscribed0, subscribed1),
                    admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(1, TimeUnit.MINUTES).keySet());

                assertInstanceOf(UnknownTopicOrPartitionException.class, failure(admin.deleteConsumerGroupOffsets(group,
                    Set.of(new TopicPartition("admin-apis-absent-" + broker, 0))).all()));
                assertInstanceOf(GroupIdNotFoundException.class, failure(admin.deleteConsumerGroupOffsets("admin-apis-nobody-" + broker,
                    Set.of(other0)).all()));
            }
            admin.deleteConsumerGroupOffsets(group, Set.of(subscribed0)).all().get(1, TimeUnit.MINUTES);
            assertEquals(Map.of(subscribed1, new OffsetAndMetadata(0)),
                admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(1, TimeUnit.MINUTES), "once the member left");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tidemark", "kafka"})
    void deleteRecordsMovesTheLogStartOffset(final String broker) throws Exception
    {
        final String topic = "admin-apis-records-" + broker;
        final TopicPartition partition = new TopicPartition(topic, 0);
        try (Admin admin = SharedBrokers.admin(broker))
        {
            createTopic(admin, topic, 1);
            send(bootstrap(broker), topic, IntStream.range(0, 10).mapToLong(i -> 1000 + i).toArray());
            assertEquals(4, admin.deleteRecords(Map.of(partition, RecordsToDelete.beforeOffset(4))).lowWatermarks().get(partition)
                .get(1, TimeUnit.MINUTES).lowWatermark());
            assertEquals(4, offset(admin, partition, OffsetSpec.earliest()).offset());
            assertEquals(4, offset(admin, partition, OffsetSpec.earliestLocal()).offset());
            final ListOffsetsResultInfo first = offset(admin, partition, OffsetSpec.forTimestamp(0));
            assertEquals(List.of(4L, 1004L), List.of(first.offset(), first.timestamp()), "a time lookup finds nothing below the start");

            try (KafkaConsumer<String, String> reader = consumer(broker, null))
            {
                reader.assign(List.of(partition));
                reader.seek(partition, 2);
                final long deadline = System.nanoTime() + DEADLINE.toNanos();
                assertThrows(org.apache.kafka.clients.consumer.OffsetOutOfRangeException.class, () ->
                {
                    while (System.nanoTime() < deadline)
                    {
                        reader.poll(Duration.ofMillis(100));
                    }
                }, "a fetch below the start is out of range");
                reader.seek(partition, 4);
                final List<String> values = new ArrayList<>();
                final long readDeadline = System.nanoTime() + DEADLINE.toNanos();
                while (values.size() < 6)
                {
                    assertTrue(System.nanoTime() < readDeadline, "read " + values);
                    for (final ConsumerRecord<String, String> record : reader.poll(Duration.ofMillis(100)))
                    {
                        values.add(record.value());
                    }
                }
                assertEquals(List.of("v4", "v5", "v6", "v7", "v8", "v9"), values);
            }

            assertInstanceOf(OffsetOutOfRangeException.class,
                failure(admin.deleteRecords(Map.of(partition, RecordsToDelete.beforeOffset(11))).all()), "above the high watermark");
            assertEquals(4, admin.deleteRecords(Map.of(partition, RecordsToDelete.beforeOffset(2))).lowWatermarks().get(partition)
                .get(1, TimeUnit.MINUTES).lowWatermark(), "the start never moves back");
            assertEquals(10, admin.deleteRecords(Map.of(partition, RecordsToDelete.beforeOffset(-1))).lowWatermarks().get(partition)
                .get(1, TimeUnit.MINUTES).lowWatermark(), "-1 is the high watermark");
            assertEquals(10, offset(admin, partition, OffsetSpec.earliest()).offset());

            // Admin retries an unknown topic until its timeout: the refusals are read on the wire.
            admin.alterConsumerGroupOffsets("admin-apis-records-" + broker, Map.of(partition, new OffsetAndMetadata(10)))
                .all().get(1, TimeUnit.MINUTES);
            assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION, deleteRecordsError(broker, "admin-apis-absent-" + broker));
            assertEquals(Errors.INVALID_TOPIC_EXCEPTION, deleteRecordsError(broker, "__consumer_offsets"), "an internal topic");
        }
    }

    /** DeleteRecords of partition 0 of a topic before offset 0, sent on the wire: the partition's error. */
    private static Errors deleteRecordsError(final String broker, final String topic) throws Exception
    {
        try (WireClient wire = new WireClient(port(broker)))
        {
            final DeleteRecordsResponseData response = (DeleteRecordsResponseData)wire.send(new DeleteRecordsRequestData().setTimeoutMs(10_000)
                .setTopics(List.of(new DeleteRecordsRequestData.DeleteRecordsTopic().setName(topic)
                    .setPartitions(List.of(new DeleteRecordsRequestData.DeleteRecordsPartition().setPartitionIndex(0).setOffset(0))))), (short)2);
            return Errors.forCode(response.topics().find(topic).partitions().find(0).errorCode());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tidemark", "kafka"})
    void listOffsetsAnswersTheSpecialTimestamps(final String broker) throws Exception
    {
        final String topic = "admin-apis-times-" + broker;
        final String emptyTopic = "admin-apis-no-times-" + broker;
        final TopicPartition partition = new TopicPartition(topic, 0);
        final TopicPartition empty = new TopicPartition(emptyTopic, 0);
        try (Admin admin = SharedBrokers.admin(broker))
        {
            createTopic(admin, topic, 1);
            createTopic(admin, emptyTopic, 1);
            send(bootstrap(broker), topic, 100, 300, 200, 300, 50);

            final ListOffsetsResultInfo max = offset(admin, partition, OffsetSpec.maxTimestamp());
            assertEquals(List.of(1L, 300L), List.of(max.offset(), max.timestamp()), "the first record with the largest timestamp");
            final ListOffsetsResultInfo at150 = offset(admin, partition, OffsetSpec.forTimestamp(150));
            assertEquals(List.of(1L, 300L), List.of(at150.offset(), at150.timestamp()));
            assertEquals(-1, offset(admin, partition, OffsetSpec.forTimestamp(301)).offset());
            assertEquals(0, offset(admin, partition, OffsetSpec.earliestLocal()).offset());
            assertEquals(5, offset(admin, partition, OffsetSpec.latest()).offset());
            final ListOffsetsResultInfo tiered = offset(admin, partition, OffsetSpec.latestTiered());
            assertEquals(List.of(-1L, -1L), List.of(tiered.offset(), tiered.timestamp()), "nothing is tiered");
            final ListOffsetsResultInfo pending = offset(admin, partition, OffsetSpec.earliestPendingUpload());
            assertEquals(List.of(-1L, -1L), List.of(pending.offset(), pending.timestamp()), "nothing waits for tiered storage");
            final ListOffsetsResultInfo none = offset(admin, empty, OffsetSpec.maxTimestamp());
            assertEquals(List.of(-1L, -1L), List.of(none.offset(), none.timestamp()), "an empty partition has no largest timestamp");
            assertInstanceOf(UnknownTopicOrPartitionException.class, failure(admin.listOffsets(
                Map.of(new TopicPartition("admin-apis-absent-" + broker, 0), OffsetSpec.maxTimestamp())).all()));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tidemark", "kafka"})
    void describeClusterAndLogDirsDescribeTheOneBroker(final String broker) throws Exception
    {
        final String topic = "admin-apis-dirs-" + broker;
        final TopicPartition partition = new TopicPartition(topic, 0);
        try (Admin admin = SharedBrokers.admin(broker))
        {
            createTopic(admin, topic, 2);
            send(bootstrap(broker), topic, 1, 2, 3);
            final int port = port(broker);

            final DescribeClusterResult cluster = admin.describeCluster();
            final List<Node> nodes = List.copyOf(cluster.nodes().get(1, TimeUnit.MINUTES));
            assertEquals(1, nodes.size(), nodes.toString());
            assertEquals(port, nodes.get(0).port());
            assertEquals(nodes.get(0).id(), cluster.controller().get(1, TimeUnit.MINUTES).id());
            try (WireClient wire = new WireClient(port))
            {
                final MetadataResponseData metadata = (MetadataResponseData)wire.send(new MetadataRequestData().setTopics(List.of()), (short)12);
                final String clusterId = cluster.clusterId().get(1, TimeUnit.MINUTES);
                assertEquals(metadata.clusterId(), clusterId, "the cluster id Metadata reports");
                assertEquals(clusterId, Uuid.fromString(clusterId).toString(), "a UUID in Kafka's text form");
            }
            assertNull(cluster.authorizedOperations().get(1, TimeUnit.MINUTES), "not asked for");

            final int node = nodes.get(0).id();
            final Map<String, LogDirDescription> dirs = admin.describeLogDirs(List.of(node)).allDescriptions().get(1, TimeUnit.MINUTES).get(node);
            assertEquals(1, dirs.size(), dirs.toString());
            final Map.Entry<String, LogDirDescription> dir = dirs.entrySet().iterator().next();
            assertNull(dir.getValue().error());
            final ReplicaInfo replica = dir.getValue().replicaInfos().get(partition);
            assertTrue(replica.size() > 0, replica.toString());
            assertEquals(0, replica.offsetLag());
            assertFalse(replica.isFuture());
            assertEquals(0, dir.getValue().replicaInfos().get(new TopicPartition(topic, 1)).size(), "nothing written there");
            assertTrue(dir.getValue().totalBytes().isPresent());
            assertTrue(dir.getValue().usableBytes().getAsLong() <= dir.getValue().totalBytes().getAsLong());
            assertEquals(dir.getKey(), admin.describeReplicaLogDirs(List.of(new TopicPartitionReplica(topic, 0, node))).all()
                .get(1, TimeUnit.MINUTES).get(new TopicPartitionReplica(topic, 0, node)).getCurrentReplicaLogDir());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tidemark", "kafka"})
    void kafkasToolsReadTheClusterIdLogDirsAndLargestTimestamp(final String broker) throws Exception
    {
        final String topic = "admin-apis-tools-" + broker;
        try (Admin admin = SharedBrokers.admin(broker))
        {
            createTopic(admin, topic, 1);
            send(bootstrap(broker), topic, 10, 30, 20);
            final String clusterId = admin.describeCluster().clusterId().get(1, TimeUnit.MINUTES);
            final String bootstrap = bootstrap(broker);
            final List<TransactionsTool.Run> runs = TransactionsTool.runTools(List.of(
                List.of("org.apache.kafka.tools.ClusterTool", "cluster-id", "--bootstrap-server", bootstrap),
                List.of("org.apache.kafka.tools.GetOffsetShell", "--bootstrap-server", bootstrap, "--topic", topic, "--time", "-3"),
                List.of("org.apache.kafka.tools.LogDirsCommand", "--bootstrap-server", bootstrap, "--describe", "--topic-list", topic)));
            runs.forEach(run -> assertEquals(0, run.exitCode(), run.toString()));
            assertTrue(runs.get(0).out().contains("Cluster ID: " + clusterId), runs.get(0).toString());
            assertEquals(topic + ":0:1", runs.get(1).out().strip(), runs.get(1).toString());
            assertTrue(runs.get(2).out().contains("\"partition\":\"" + topic + "-0\""), runs.get(2).toString());
            assertTrue(runs.get(2).out().contains("\"offsetLag\":0"), runs.get(2).toString());
        }
    }

    @Test
    void theDeletionsSurviveAKill9OfTheServer(@TempDir final Path dir) throws Exception
    {
        final String topic = "admin-apis-killed";
        final String other = "admin-apis-killed-other";
        final TopicPartition partition = new TopicPartition(topic, 0);
        final TopicPartition otherPartition = new TopicPartition(other, 0);
        try (BrokerUnderTest server = new TidemarkBrokerProcess(dir, Map.of()))
        {
            server.start();
            final Map<String, Object> config = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, server.bootstrap());
            final String clusterId;
            try (Admin admin = Admin.create(config))
            {
                clusterId = admin.describeCluster().clusterId().get(1, TimeUnit.MINUTES);
                try (Admin shared = SharedBrokers.admin("tidemark"))
                {
                    assertNotEquals(shared.describeCluster().clusterId().get(1, TimeUnit.MINUTES), clusterId, "each data directory its own id");
                }
                createTopic(admin, topic, 1);
                createTopic(admin, other, 1);
                admin.alterConsumerGroupOffsets("admin-apis-killed-gone", Map.of(partition, new OffsetAndMetadata(1))).all().get(1, TimeUnit.MINUTES);
                admin.alterConsumerGroupOffsets("admin-apis-killed-partial", Map.of(partition, new OffsetAndMetadata(2),
                    otherPartition, new OffsetAndMetadata(0))).all().get(1, TimeUnit.MINUTES);
                send(server.bootstrap(), topic, IntStream.range(0, 10).mapToLong(i -> 1000 + i).toArray());
                admin.deleteRecords(Map.of(partition, RecordsToDelete.beforeOffset(6))).all().get(1, TimeUnit.MINUTES);
                admin.deleteConsumerGroups(List.of("admin-apis-killed-gone")).all().get(1, TimeUnit.MINUTES);
                admin.deleteConsumerGroupOffsets("admin-apis-killed-partial", Set.of(otherPartition)).all().get(1, TimeUnit.MINUTES);
            }
            server.kill9();
            server.restart();
            try (Admin admin = Admin.create(config))
            {
                assertEquals(clusterId, admin.describeCluster().clusterId().get(1, TimeUnit.MINUTES), "the data directory keeps its id");
                assertEquals(6, offset(admin, partition, OffsetSpec.earliest()).offset(), "the log start offset DeleteRecords moved");
                assertEquals(10, offset(admin, partition, OffsetSpec.latest()).offset());
                final List<String> listed = admin.listGroups().all().get(1, TimeUnit.MINUTES).stream().map(GroupListing::groupId).toList();
                assertFalse(listed.contains("admin-apis-killed-gone"), listed.toString());
                assertEquals(Map.of(partition, new OffsetAndMetadata(2)),
                    admin.listConsumerGroupOffsets("admin-apis-killed-partial").partitionsToOffsetAndMetadata().get(1, TimeUnit.MINUTES));
            }
        }
    }
}
