package io.tidemark.runtime;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.tidemark.runtime.broker.WireClient;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.DescribeConsumerGroupsOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What librdkafka's broker tests found different from Apache Kafka, against {@code tidemark
 * server} and Kafka 4.3.1 (the oracle) with the same expectations: an empty consumer group
 * keeps its protocol type, a member's instance id, client id and host are described, Metadata
 * and DescribeGroups report the authorized operations of a broker without an authorizer when
 * asked, errors carry the broker's reason to the client, Produce is advertised from version 0
 * but versions 0-2 are refused when sent, and every API is advertised from Kafka's oldest version.
 */
class KafkaFidelityTest
{
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    /** What a broker without an authorizer allows on a topic (Kafka's bitfield 3576). */
    private static final Set<AclOperation> TOPIC_OPERATIONS = EnumSet.of(AclOperation.READ, AclOperation.WRITE, AclOperation.CREATE,
        AclOperation.DELETE, AclOperation.ALTER, AclOperation.DESCRIBE, AclOperation.DESCRIBE_CONFIGS, AclOperation.ALTER_CONFIGS);
    /** Kafka's 3576: {@link #TOPIC_OPERATIONS} as Metadata's bitfield. */
    private static final int TOPIC_OPERATIONS_BITS = 3576;
    /** Kafka's 8096: create, alter, describe, cluster action, describe and alter configs, idempotent write. */
    private static final int CLUSTER_OPERATIONS_BITS = 8096;

    private static int port(final String broker) throws Exception
    {
        final String bootstrap = SharedBrokers.get(broker).bootstrap();
        return Integer.parseInt(bootstrap.substring(bootstrap.lastIndexOf(':') + 1));
    }

    private static Throwable failure(final Future<?> call)
    {
        return assertThrows(ExecutionException.class, () -> call.get(1, TimeUnit.MINUTES)).getCause();
    }

    private static KafkaConsumer<byte[], byte[]> consumer(final String broker, final String group, final Map<String, String> extra) throws Exception
    {
        final Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedBrokers.get(broker).bootstrap());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.putAll(extra);
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static void pollUntilAssigned(final KafkaConsumer<byte[], byte[]> consumer) throws InterruptedException
    {
        final long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (consumer.assignment().isEmpty())
        {
            assertTrue(System.nanoTime() < deadline, "the consumer got no partitions");
            consumer.poll(Duration.ofMillis(100));
        }
    }

    private static Map<String, GroupListing> listed(final Admin admin, final ListGroupsOptions options, final String prefix) throws Exception
    {
        return admin.listGroups(options).all().get(1, TimeUnit.MINUTES).stream().filter(g -> g.groupId().startsWith(prefix))
            .collect(Collectors.toMap(GroupListing::groupId, Function.identity()));
    }

    private static ConsumerGroupDescription described(final Admin admin, final String group) throws Exception
    {
        return admin.describeConsumerGroups(List.of(group)).all().get(1, TimeUnit.MINUTES).get(group);
    }

    private static void createTopic(final Admin admin, final String topic) throws Exception
    {
        KafkaTopics.create(admin, new NewTopic(topic, 1, (short)1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"tidemark", "kafka"})
    void anEmptyGroupKeepsItsProtocolTypeAndAGroupOfCommitsOnlyHasNone(final String broker) throws Exception
    {
        final String prefix = "kafka-fidelity-types-" + broker + "-";
        final String topic = prefix + "topic";
        final String members = prefix + "members";
        final String commitsOnly = prefix + "commits-only";
        try (Admin admin = SharedBrokers.admin(broker))
        {
            createTopic(admin, topic);
            admin.alterConsumerGroupOffsets(commitsOnly, Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(0))).all()
                .get(1, TimeUnit.MINUTES);
            try (KafkaConsumer<byte[], byte[]> consumer = consumer(broker, members, Map.of()))
            {
                consumer.subscribe(List.of(topic));
                pollUntilAssigned(consumer);
                final GroupListing stable = listed(admin, new ListGroupsOptions(), prefix).get(members);
                assertEquals("consumer", stable.protocol(), stable.toString());
                assertEquals(Optional.of(GroupType.CLASSIC), stable.type(), stable.toString());
                assertEquals(Optional.of(GroupState.STABLE), stable.groupState(), stable.toString());
                final ConsumerGroupDescription description = described(admin, members);
                assertFalse(description.isSimpleConsumerGroup(), description.toString());
                assertEquals(GroupState.STABLE, description.groupState(), description.toString());
                assertEquals("range", description.partitionAssignor(), description.toString());
            }

            final Map<String, GroupListing> all = listed(admin, new ListGroupsOptions(), prefix);
            final GroupListing empty = all.get(members);
            assertEquals("consumer", empty.protocol(), "an empty group that had members keeps its protocol type: " + empty);
            assertEquals(Optional.of(GroupState.EMPTY), empty.groupState(), empty.toString());
            assertEquals(Optional.of(GroupType.CLASSIC), empty.type(), empty.toString());
            assertFalse(empty.isSimpleConsumerGroup(), empty.toString());
            final ConsumerGroupDescription emptyDescription = described(admin, members);
            assertFalse(emptyDescription.isSimpleConsumerGroup(), emptyDescription.toString());
            assertEquals(GroupState.EMPTY, emptyDescription.groupState(), emptyDescription.toString());
            assertTrue(emptyDescription.members().isEmpty(), emptyDescription.toString());

            final GroupListing offsets = all.get(commitsOnly);
            assertEquals("", offsets.protocol(), "a group of commits only has no protocol type: " + offsets);
            assertTrue(offsets.isSimpleConsumerGroup(), offsets.toString());
            assertEquals(Optional.of(GroupState.EMPTY), offsets.groupState(), offsets.toString());
            assertEquals(Optional.of(GroupType.CLASSIC), offsets.type(), offsets.toString());
            assertTrue(described(admin, commitsOnly).isSimpleConsumerGroup());

            final Throwable unknown = failure(admin.describeConsumerGroups(List.of(prefix + "unknown")).all());
            assertInstanceOf(GroupIdNotFoundException.class, unknown);
            assertReason(broker, unknown, prefix + "unknown");

            assertEquals(Set.of(members, commitsOnly), listed(admin, new ListGroupsOptions().inGroupStates(Set.of(GroupState.EMPTY)), prefix).keySet());
            assertEquals(Set.of(), listed(admin, new ListGroupsOptions().inGroupStates(Set.of(GroupState.STABLE)), prefix).keySet());
            assertEquals(Set.of(members, commitsOnly), listed(admin, new ListGroupsOptions().withTypes(Set.of(GroupType.CLASSIC)), prefix).keySet());
            assertEquals(Set.of(members, commitsOnly), listed(admin, ListGroupsOptions.forConsumerGroups(), prefix).keySet());
            assertEquals(Set.of(), listed(admin, ListGroupsOptions.forShareGroups(), prefix).keySet());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tidemark", "kafka"})
    void aMemberIsDescribedWithItsInstanceIdClientIdAndHost(final String broker) throws Exception
    {
        final String prefix = "kafka-fidelity-members-" + broker + "-";
        final String topic = prefix + "topic";
        final String group = prefix + "group";
        try (Admin admin = SharedBrokers.admin(broker))
        {
            createTopic(admin, topic);
            try (KafkaConsumer<byte[], byte[]> staticMember = consumer(broker, group, Map.of(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG,
                prefix + "instance", ConsumerConfig.CLIENT_ID_CONFIG, prefix + "client")))
            {
                staticMember.subscribe(List.of(topic));
                pollUntilAssigned(staticMember);
                final ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group),
                    new DescribeConsumerGroupsOptions().includeAuthorizedOperations(true)).all().get(1, TimeUnit.MINUTES).get(group);
                assertEquals(1, description.members().size(), description.toString());
                final MemberDescription member = description.members().iterator().next();
                assertEquals(Optional.of(prefix + "instance"), member.groupInstanceId(), member.toString());
                assertEquals(prefix + "client", member.clientId(), member.toString());
                assertEquals("/127.0.0.1", member.host(), member.toString());
                assertEquals(Set.of(new TopicPartition(topic, 0)), member.assignment().topicPartitions(), member.toString());
                assertEquals(EnumSet.of(AclOperation.READ, AclOperation.DELETE, AclOperation.DESCRIBE, AclOperation.DESCRIBE_CONFIGS,
                    AclOperation.ALTER_CONFIGS), description.authorizedOperations(),
                    description.toString());
                assertEquals(null, described(admin, group).authorizedOperations(), "not asked for");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tidemark", "kafka"})
    void metadataReportsTheAuthorizedOperationsOnlyWhenAsked(final String broker) throws Exception
    {
        final String topic = "kafka-fidelity-operations-" + broker;
        try (Admin admin = SharedBrokers.admin(broker); WireClient client = new WireClient(port(broker)))
        {
            createTopic(admin, topic);
            assertEquals(TOPIC_OPERATIONS, admin.describeTopics(List.of(topic), new DescribeTopicsOptions().includeAuthorizedOperations(true))
                .allTopicNames().get(1, TimeUnit.MINUTES).get(topic).authorizedOperations());
            assertEquals(null, admin.describeTopics(List.of(topic)).allTopicNames().get(1, TimeUnit.MINUTES).get(topic).authorizedOperations());

            final MetadataRequestData asked = new MetadataRequestData().setAllowAutoTopicCreation(false)
                .setTopics(List.of(new MetadataRequestData.MetadataRequestTopic().setName(topic)))
                .setIncludeClusterAuthorizedOperations(true).setIncludeTopicAuthorizedOperations(true);
            final MetadataResponseData v10 = (MetadataResponseData)client.send(asked, (short)10);
            assertEquals(TOPIC_OPERATIONS_BITS, v10.topics().find(topic).topicAuthorizedOperations());
            assertEquals(CLUSTER_OPERATIONS_BITS, v10.clusterAuthorizedOperations());
            final MetadataResponseData v12 = (MetadataResponseData)client.send(asked.duplicate().setIncludeClusterAuthorizedOperations(false), (short)12);
            assertEquals(TOPIC_OPERATIONS_BITS, v12.topics().find(topic).topicAuthorizedOperations());

            final MetadataRequestData notAsked = new MetadataRequestData().setAllowAutoTopicCreation(false)
                .setTopics(List.of(new MetadataRequestData.MetadataRequestTopic().setName(topic)));
            final MetadataResponseData plain = (MetadataResponseData)client.send(notAsked, (short)10);
            assertEquals(Integer.MIN_VALUE, plain.topics().find(topic).topicAuthorizedOperations());
            assertEquals(Integer.MIN_VALUE, plain.clusterAuthorizedOperations());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tidemark", "kafka"})
    void errorsCarryTheBrokersReasonToTheClient(final String broker) throws Exception
    {
        final String topic = "kafka-fidelity-errors-" + broker;
        try (Admin admin = SharedBrokers.admin(broker))
        {
            final Throwable partitions = failure(admin.createTopics(List.of(new NewTopic(topic + "-none", 0, (short)1))).all());
            assertInstanceOf(InvalidPartitionsException.class, partitions);
            assertReason(broker, partitions, "partition");

            final Throwable missing = failure(admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC, topic + "-missing"))).all());
            assertInstanceOf(UnknownTopicOrPartitionException.class, missing);
            assertReason(broker, missing, topic + "-missing");

            createTopic(admin, topic);
            final Properties config = new Properties();
            config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedBrokers.get(broker).bootstrap());
            config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(4 << 20));
            config.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Integer.toString(16 << 20));
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer()))
            {
                final Throwable tooLarge = failure(producer.send(new ProducerRecord<>(topic, new byte[2 << 20])));
                assertInstanceOf(RecordTooLargeException.class, tooLarge);
                assertReason(broker, tooLarge, "max.message.bytes");
            }
        }
        try (WireClient client = new WireClient(port(broker)))
        {
            final FindCoordinatorResponseData coordinator = (FindCoordinatorResponseData)client.send(
                new FindCoordinatorRequestData().setKey("x").setKeyType((byte)5), (short)2);
            assertEquals(Errors.INVALID_REQUEST.code(), coordinator.errorCode());
            assertNotNull(coordinator.errorMessage());
            assertReason(broker, new IOException(coordinator.errorMessage()), "key type 5");
        }
    }

    /** Kafka's texts are its own; Tidemark's must name the cause. */
    private static void assertReason(final String broker, final Throwable error, final String cause)
    {
        assertNotNull(error.getMessage(), error.toString());
        if (broker.equals("tidemark"))
        {
            assertTrue(error.getMessage().contains(cause), error.getMessage());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tidemark", "kafka"})
    void produceIsAdvertisedFromVersionZeroAndVersionsOrApisNotServedCloseTheConnection(final String broker) throws Exception
    {
        final Map<ApiKeys, ApiVersionsResponseData.ApiVersion> advertised = advertised(broker);
        assertEquals(0, advertised.get(ApiKeys.PRODUCE).minVersion(), "old librdkafka compresses only if Produce 0 is advertised");
        for (final short version : new short[] {0, 2})
        {
            try (WireClient client = new WireClient(port(broker)))
            {
                client.sendRaw(rawFrame(ApiKeys.PRODUCE.id, version));
                assertTrue(client.closedByServer(), "Produce v" + version + " closes the connection");
            }
        }
        try (WireClient client = new WireClient(port(broker)))
        {
            client.sendRaw(rawFrame(ApiKeys.FETCH.id, (short)3));
            assertTrue(client.closedByServer(), "Fetch v3, below the advertised versions, closes the connection");
        }
        try (WireClient client = new WireClient(port(broker)))
        {
            client.sendRaw(rawFrame((short)999, (short)0));
            assertTrue(client.closedByServer(), "an unknown API closes the connection");
        }
    }

    @Test
    void everyServedApiIsAdvertisedFromKafkasOldestVersionAndNoNewerThanKafka() throws Exception
    {
        final Map<ApiKeys, ApiVersionsResponseData.ApiVersion> kafka = advertised("kafka");
        for (final ApiVersionsResponseData.ApiVersion served : advertised("tidemark").values())
        {
            final ApiKeys api = ApiKeys.forId(served.apiKey());
            final ApiVersionsResponseData.ApiVersion oracle = kafka.get(api);
            assertNotNull(oracle, api + " is not served by Kafka");
            assertEquals(oracle.minVersion(), served.minVersion(), api + ": Kafka advertises " + oracle + ", Tidemark " + served);
            assertTrue(served.maxVersion() <= oracle.maxVersion(), api + ": Kafka advertises " + oracle + ", Tidemark " + served);
        }
    }

    private static Map<ApiKeys, ApiVersionsResponseData.ApiVersion> advertised(final String broker) throws Exception
    {
        try (WireClient client = new WireClient(port(broker)))
        {
            final ApiVersionsResponseData versions = (ApiVersionsResponseData)client.send(new ApiVersionsRequestData()
                .setClientSoftwareName("kafka-fidelity-test").setClientSoftwareVersion("1"), (short)3);
            assertEquals(Errors.NONE.code(), versions.errorCode());
            return versions.apiKeys().stream().filter(v -> ApiKeys.hasId(v.apiKey()))
                .collect(Collectors.toMap(v -> ApiKeys.forId(v.apiKey()), Function.identity()));
        }
    }

    /**
     * A request at a version kafka-clients can no longer write: header v1, then the body of
     * Produce 0-2 (acks, timeout, one topic with one partition and no records), whatever the API.
     */
    private static byte[] rawFrame(final short apiKey, final short version)
    {
        final RequestHeaderData header = new RequestHeaderData().setRequestApiKey(apiKey).setRequestApiVersion(version)
            .setClientId("kafka-fidelity-test").setCorrelationId(1);
        final ObjectSerializationCache cache = new ObjectSerializationCache();
        final int headerSize = header.size(cache, (short)1);
        final ByteBuffer body = ByteBuffer.allocate(64);
        body.putShort((short)1).putInt(1_000).putInt(1).putShort((short)5).put(new byte[] {'t', 'o', 'p', 'i', 'c'}).putInt(1).putInt(0).putInt(-1);
        body.flip();
        final ByteBuffer frame = ByteBuffer.allocate(4 + headerSize + body.remaining());
        frame.putInt(headerSize + body.remaining());
        header.write(new ByteBufferAccessor(frame), cache, (short)1);
        frame.put(body);
        return frame.array();
    }
}
