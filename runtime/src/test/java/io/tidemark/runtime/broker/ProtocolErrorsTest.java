package io.tidemark.runtime.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.EndTxnRequestData;
import org.apache.kafka.common.message.EndTxnResponseData;
import org.apache.kafka.common.message.DescribeAclsRequestData;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exact error codes and refusals on the wire, for requests sent byte by byte: what a client
 * sees for unknown topics, unsupported APIs and versions, oversized frames, refused APIs.
 */
class ProtocolErrorsTest
{
    @TempDir
    Path dataDir;

    static ProduceRequestData produce(final String topic, final int partition, final short acks)
    {
        final ProduceRequestData request = new ProduceRequestData().setAcks(acks).setTimeoutMs(5_000);
        final ProduceRequestData.TopicProduceData topicData = new ProduceRequestData.TopicProduceData().setName(topic);
        topicData.partitionData().add(new ProduceRequestData.PartitionProduceData().setIndex(partition)
            .setRecords(MemoryRecords.withRecords(Compression.NONE, new SimpleRecord(System.currentTimeMillis(), "k".getBytes(), "v".getBytes()))));
        request.topicData().add(topicData);
        return request;
    }

    static FetchRequestData fetch(final String topic, final int partition, final long offset, final int maxWaitMs, final int minBytes)
    {
        return new FetchRequestData().setReplicaId(-1).setMaxWaitMs(maxWaitMs).setMinBytes(minBytes).setMaxBytes(1 << 20)
            .setSessionId(0).setSessionEpoch(-1)
            .setTopics(List.of(new FetchRequestData.FetchTopic().setTopic(topic).setPartitions(List.of(
                new FetchRequestData.FetchPartition().setPartition(partition).setFetchOffset(offset).setPartitionMaxBytes(1 << 20)))));
    }

    @Test
    void unknownTopicsAndPartitionsGetUnknownTopicOrPartition() throws Exception
    {
        try (TestServer server = TestServer.start(dataDir, Map.of("auto.create.topics.enable", "false"));
            WireClient client = new WireClient(server.port()))
        {
            final MetadataResponseData metadata = (MetadataResponseData)client.send(new MetadataRequestData()
                .setTopics(List.of(new MetadataRequestData.MetadataRequestTopic().setName("nope"))).setAllowAutoTopicCreation(true), (short)12);
            assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION.code(), metadata.topics().find("nope").errorCode());

            final ProduceResponseData produced = (ProduceResponseData)client.send(produce("nope", 0, (short)1), (short)9);
            assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION.code(), produced.responses().iterator().next().partitionResponses().get(0).errorCode());

            final FetchResponseData fetched = (FetchResponseData)client.send(fetch("nope", 0, 0, 0, 1), (short)12);
            assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION.code(), fetched.responses().get(0).partitions().get(0).errorCode());

            server.server().logs().createTopic("one", 1, Map.of());
            final ProduceResponseData wrongPartition = (ProduceResponseData)client.send(produce("one", 7, (short)-1), (short)12);
            assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION.code(), wrongPartition.responses().iterator().next().partitionResponses().get(0).errorCode());

            final ListOffsetsResponseData offsets = (ListOffsetsResponseData)client.send(new ListOffsetsRequestData().setReplicaId(-1)
                .setTopics(List.of(new ListOffsetsRequestData.ListOffsetsTopic().setName("nope").setPartitions(List.of(
                    new ListOffsetsRequestData.ListOffsetsPartition().setPartitionIndex(0).setTimestamp(-1))))), (short)6);
            assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION.code(), offsets.topics().get(0).partitions().get(0).errorCode());

            final FetchResponseData outOfRange = (FetchResponseData)client.send(fetch("one", 0, 5, 0, 1), (short)12);
            assertEquals(Errors.OFFSET_OUT_OF_RANGE.code(), outOfRange.responses().get(0).partitions().get(0).errorCode());
        }
    }

    @Test
    void aLongPollAnswersWhenDataArrivesAndKeepsTheConnectionsOrder() throws Exception
    {
        try (TestServer server = TestServer.start(dataDir, Map.of());
            WireClient consumer = new WireClient(server.port());
            WireClient producer = new WireClient(server.port()))
        {
            server.server().logs().createTopic("poll", 1, Map.of());
            final long start = System.nanoTime();
            // Nothing there: the fetch waits its full time and answers empty.
            final FetchResponseData empty = (FetchResponseData)consumer.send(fetch("poll", 0, 0, 300, 1), (short)12);
            assertTrue(System.nanoTime() - start >= 290_000_000L, "waited maxWaitMs");
            assertEquals(0, empty.responses().get(0).partitions().get(0).records().sizeInBytes());

            // A fetch waiting up to 30 s answers as soon as a record arrives.
            consumer.sendRaw(WireClient.frame(fetch("poll", 0, 0, 30_000, 1), (short)12, 100));
            final long produced = System.nanoTime();
            final ProduceResponseData ack = (ProduceResponseData)producer.send(produce("poll", 0, (short)1), (short)12);
            assertEquals(0, ack.responses().iterator().next().partitionResponses().get(0).errorCode());
            final ByteBuffer frame = consumer.readFrame();
            assertTrue(System.nanoTime() - produced < 10_000_000_000L);
            assertEquals(100, frame.getInt(0), "the waiting fetch's correlation id");
        }
    }

    @Test
    void unsupportedApiVersionsVersionIsAnsweredAtVersionZero() throws Exception
    {
        try (TestServer server = TestServer.start(dataDir, Map.of()); WireClient client = new WireClient(server.port()))
        {
            final byte[] frame = WireClient.frame(new ApiVersionsRequestData(), (short)0, 7);
            ByteBuffer.wrap(frame).putShort(6, (short)99);     // the version field: 99
            client.sendRaw(frame);
            final ByteBuffer response = client.readFrame();
            assertEquals(7, response.getInt());
            final ApiVersionsResponseData body = new ApiVersionsResponseData();
            body.read(new org.apache.kafka.common.protocol.ByteBufferAccessor(response), (short)0);
            assertEquals(Errors.UNSUPPORTED_VERSION.code(), body.errorCode());
            assertNotNull(body.apiKeys().find(ApiKeys.PRODUCE.id));
            assertEquals(13, body.apiKeys().find(ApiKeys.PRODUCE.id).maxVersion());
            // The connection stays usable.
            final ApiVersionsResponseData ok = (ApiVersionsResponseData)client.send(new ApiVersionsRequestData(), (short)3);
            assertEquals(Errors.NONE.code(), ok.errorCode());
            assertEquals(3, ok.apiKeys().find(ApiKeys.ADD_PARTITIONS_TO_TXN.id).maxVersion(), "the clients' versions; 4 and later are brokers' batches");
            assertEquals(4, ok.apiKeys().find(ApiKeys.END_TXN.id).maxVersion(), "version 5 is transaction version 2");
            assertTrue(ok.finalizedFeatures().isEmpty(), "transaction.version is not finalized: clients use version 1");
        }
    }

    @Test
    void unsupportedVersionsAndApiKeysCloseTheConnection() throws Exception
    {
        try (TestServer server = TestServer.start(dataDir, Map.of()))
        {
            try (WireClient client = new WireClient(server.port()))
            {
                final byte[] frame = WireClient.frame(new MetadataRequestData().setTopics(null), (short)12, 1);
                ByteBuffer.wrap(frame).putShort(6, (short)99);
                client.sendRaw(frame);
                assertTrue(client.closedByServer(), "Metadata v99");
            }
            try (WireClient client = new WireClient(server.port()))
            {
                final byte[] frame = WireClient.frame(new MetadataRequestData().setTopics(null), (short)12, 1);
                ByteBuffer.wrap(frame).putShort(4, (short)9999);
                client.sendRaw(frame);
                assertTrue(client.closedByServer(), "API key 9999");
            }
            try (WireClient client = new WireClient(server.port()))
            {
                // An API of kafka-clients this server does not serve (it has no ACLs).
                client.sendRaw(WireClient.frame(new DescribeAclsRequestData(), (short)3, 1));
                assertTrue(client.closedByServer(), "DescribeAcls");
            }
        }
    }

    @Test
    void framesOverTheSizeLimitCloseTheConnection() throws Exception
    {
        try (TestServer server = TestServer.start(dataDir, Map.of("socket.request.max.bytes", "65536")))
        {
            try (WireClient client = new WireClient(server.port()))
            {
                client.sendRaw(new byte[] {0, 1, 0, 1});   // announces 65,537 bytes
                assertTrue(client.closedByServer());
            }
            try (WireClient client = new WireClient(server.port()))
            {
                client.sendRaw(new byte[] {(byte)0xff, (byte)0xff, (byte)0xff, (byte)0xf0});   // a negative size
                assertTrue(client.closedByServer());
            }
            try (WireClient client = new WireClient(server.port()))
            {
                final ApiVersionsResponseData ok = (ApiVersionsResponseData)client.send(new ApiVersionsRequestData(), (short)3);
                assertFalse(ok.apiKeys().isEmpty(), "a frame under the limit is served");
            }
        }
    }

    @Test
    void groupAndTransactionalApisAnswerWithKafkasErrors() throws Exception
    {
        try (TestServer server = TestServer.start(dataDir, Map.of()); WireClient client = new WireClient(server.port()))
        {
            final FindCoordinatorResponseData group = (FindCoordinatorResponseData)client.send(new FindCoordinatorRequestData()
                .setKeyType((byte)0).setCoordinatorKeys(List.of("g")), (short)4);
            assertEquals(Errors.NONE.code(), group.coordinators().get(0).errorCode());
            assertEquals(server.port(), group.coordinators().get(0).port(), "this broker coordinates every group");
            final FindCoordinatorResponseData transaction = (FindCoordinatorResponseData)client.send(new FindCoordinatorRequestData()
                .setKeyType((byte)1).setCoordinatorKeys(List.of("t")), (short)4);
            assertEquals(Errors.NONE.code(), transaction.coordinators().get(0).errorCode());
            assertEquals(server.port(), transaction.coordinators().get(0).port(), "this broker coordinates every transactional id");
            final JoinGroupResponseData unknownMember = (JoinGroupResponseData)client.send(new JoinGroupRequestData().setGroupId("g")
                .setProtocolType("consumer").setSessionTimeoutMs(10_000).setRebalanceTimeoutMs(10_000).setMemberId("made-up")
                .setProtocols(new JoinGroupRequestData.JoinGroupRequestProtocolCollection(List.of(
                    new JoinGroupRequestData.JoinGroupRequestProtocol().setName("range").setMetadata(new byte[0])).iterator())), (short)9);
            assertEquals(Errors.UNKNOWN_MEMBER_ID.code(), unknownMember.errorCode());
            final JoinGroupResponseData badSession = (JoinGroupResponseData)client.send(new JoinGroupRequestData().setGroupId("g")
                .setProtocolType("consumer").setSessionTimeoutMs(10).setRebalanceTimeoutMs(10_000).setMemberId("")
                .setProtocols(new JoinGroupRequestData.JoinGroupRequestProtocolCollection(List.of(
                    new JoinGroupRequestData.JoinGroupRequestProtocol().setName("range").setMetadata(new byte[0])).iterator())), (short)9);
            assertEquals(Errors.INVALID_SESSION_TIMEOUT.code(), badSession.errorCode());
            final HeartbeatResponseData heartbeat = (HeartbeatResponseData)client.send(new HeartbeatRequestData().setGroupId("g")
                .setGenerationId(1).setMemberId("nobody"), (short)4);
            assertEquals(Errors.UNKNOWN_MEMBER_ID.code(), heartbeat.errorCode());
            final OffsetCommitResponseData commit = (OffsetCommitResponseData)client.send(new OffsetCommitRequestData().setGroupId("g")
                .setGenerationIdOrMemberEpoch(-1).setMemberId("").setTopics(List.of(new OffsetCommitRequestData.OffsetCommitRequestTopic()
                    .setName("no-such-topic").setPartitions(List.of(new OffsetCommitRequestData.OffsetCommitRequestPartition()
                        .setPartitionIndex(0).setCommittedOffset(5))))), (short)8);
            assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION.code(), commit.topics().get(0).partitions().get(0).errorCode());
            final EndTxnResponseData endTxn = (EndTxnResponseData)client.send(new EndTxnRequestData().setTransactionalId("t")
                .setProducerId(1).setProducerEpoch((short)0).setCommitted(true), (short)4);
            assertEquals(Errors.INVALID_PRODUCER_ID_MAPPING.code(), endTxn.errorCode(), "an unknown transactional id, as Kafka answers");
        }
    }
}
