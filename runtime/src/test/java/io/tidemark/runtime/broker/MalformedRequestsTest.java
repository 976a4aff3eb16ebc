package io.tidemark.runtime.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.apache.kafka.common.message.AddOffsetsToTxnRequestData;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.CreatePartitionsRequestData;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DeleteRecordsRequestData;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DescribeClusterRequestData;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeLogDirsRequestData;
import org.apache.kafka.common.message.DescribeProducersRequestData;
import org.apache.kafka.common.message.DescribeTransactionsRequestData;
import org.apache.kafka.common.message.EndTxnRequestData;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.message.WriteTxnMarkersRequestData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Requests that decode but carry what no client should send (null where a value is needed,
 * empty names, negative partitions, garbage records): every served API answers each with
 * Kafka's error for it, never with {@code UNKNOWN_SERVER_ERROR} (which the server keeps for
 * its own failures, logged with a stack trace), and the server goes on serving.
 */
class MalformedRequestsTest
{
    /** {@code errorCode=}, or {@code partitionErrorCode=} as AddPartitionsToTxn spells it. */
    private static final Pattern ERROR_CODE = Pattern.compile("[eE]rrorCode=(-?\\d+)");

    @TempDir
    Path dataDir;

    /** What the server logs meanwhile: a stack trace would mean a client's bad field reached a server bug path. */
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private final Logger serverLogger = (Logger)LoggerFactory.getLogger("io.tidemark");

    @BeforeEach
    void listen()
    {
        logged.start();
        serverLogger.addAppender(logged);
    }

    @AfterEach
    void noStackTraces()
    {
        serverLogger.detachAppender(logged);
        final List<String> traces = logged.list.stream().filter(event -> event.getThrowableProxy() != null)
            .map(event -> event.getFormattedMessage() + ": " + event.getThrowableProxy().getClassName()).toList();
        assertEquals(List.of(), traces, "log lines with a stack trace");
    }

    /** One bad request and the errors Kafka would answer it with (any of them). */
    private record Case(String name, ApiMessage request, int version, Set<Errors> expected)
    {
    }

    private static Case bad(final String name, final ApiMessage request, final int version, final Errors... expected)
    {
        return new Case(name, request, version, Set.of(expected));
    }

    private static List<Case> cases()
    {
        final List<Case> cases = new ArrayList<>();
        for (final int version : new int[] {3, 7, 9, 12})
        {
            cases.add(bad("Produce v" + version + " with null records", produce("t", 0, null), version, Errors.INVALID_RECORD, Errors.CORRUPT_MESSAGE));
        }
        cases.add(bad("Produce with garbage records", produce("t", 0, MemoryRecords.readableRecords(ByteBuffer.wrap(new byte[] {0, 0, 0, 0, 0, 0, 0, 1,
            0, 0, 0, 9, 1, 2, 3, 4, 5, 6, 7, 8, 9}))), 9, Errors.CORRUPT_MESSAGE, Errors.INVALID_RECORD));
        cases.add(bad("Produce to an empty topic name", produce("", 0, ProtocolErrorsTest.produce("t", 0, (short)1)
            .topicData().iterator().next().partitionData().get(0).records()), 9, Errors.UNKNOWN_TOPIC_OR_PARTITION, Errors.INVALID_TOPIC_EXCEPTION));
        cases.add(bad("Produce with acks=5", ProtocolErrorsTest.produce("t", 0, (short)5), 9, Errors.INVALID_REQUIRED_ACKS));
        // Refusals answered before the records are looked at must not look at them either.
        cases.add(bad("Produce with acks=5 and null records", produce("t", 0, null).setAcks((short)5), 9, Errors.INVALID_REQUIRED_ACKS));
        cases.add(bad("transactional Produce with null records", produce("t", 0, null).setTransactionalId("tx"), 9, Errors.INVALID_RECORD,
            Errors.CORRUPT_MESSAGE));
        cases.add(bad("Produce to partition -1", ProtocolErrorsTest.produce("t", -1, (short)1), 9, Errors.UNKNOWN_TOPIC_OR_PARTITION));
        cases.add(bad("Fetch of an empty topic name", ProtocolErrorsTest.fetch("", 0, 0, 0, 1), 12, Errors.UNKNOWN_TOPIC_OR_PARTITION,
            Errors.INVALID_TOPIC_EXCEPTION));
        cases.add(bad("Fetch at offset -5", ProtocolErrorsTest.fetch("t", 0, -5, 0, 1), 12, Errors.OFFSET_OUT_OF_RANGE));
        cases.add(bad("Fetch of partition -1", ProtocolErrorsTest.fetch("t", -1, 0, 0, 1), 12, Errors.UNKNOWN_TOPIC_OR_PARTITION));
        cases.add(bad("Metadata creating an empty topic name", new MetadataRequestData().setAllowAutoTopicCreation(true)
            .setTopics(List.of(new MetadataRequestData.MetadataRequestTopic().setName(""))), 12, Errors.INVALID_TOPIC_EXCEPTION));
        cases.add(bad("Metadata of a null name and no id", new MetadataRequestData()
            .setTopics(List.of(new MetadataRequestData.MetadataRequestTopic().setName(null))), 12, Errors.UNKNOWN_TOPIC_ID, Errors.INVALID_REQUEST));
        cases.add(bad("CreateTopics with a null config value", new CreateTopicsRequestData().setTimeoutMs(5000).setTopics(
            new CreateTopicsRequestData.CreatableTopicCollection(List.of(new CreateTopicsRequestData.CreatableTopic().setName("c").setNumPartitions(1)
                .setReplicationFactor((short)1).setConfigs(new CreateTopicsRequestData.CreatableTopicConfigCollection(List.of(
                    new CreateTopicsRequestData.CreatableTopicConfig().setName("retention.ms").setValue(null)).iterator()))).iterator())), 7,
            Errors.INVALID_CONFIG, Errors.INVALID_REQUEST));
        cases.add(bad("CreateTopics of an empty name", new CreateTopicsRequestData().setTimeoutMs(5000).setTopics(
            new CreateTopicsRequestData.CreatableTopicCollection(List.of(new CreateTopicsRequestData.CreatableTopic().setName("").setNumPartitions(1)
                .setReplicationFactor((short)1)).iterator())), 7, Errors.INVALID_TOPIC_EXCEPTION));
        cases.add(bad("CreatePartitions of an empty name", new CreatePartitionsRequestData().setTimeoutMs(5000).setTopics(
            new CreatePartitionsRequestData.CreatePartitionsTopicCollection(List.of(new CreatePartitionsRequestData.CreatePartitionsTopic()
                .setName("").setCount(2)).iterator())), 3, Errors.UNKNOWN_TOPIC_OR_PARTITION));
        cases.add(bad("DeleteTopics of a null name and no id", new DeleteTopicsRequestData().setTimeoutMs(5000).setTopics(List.of(
            new DeleteTopicsRequestData.DeleteTopicState().setName(null).setTopicId(Uuid.ZERO_UUID))), 6, Errors.INVALID_REQUEST,
            Errors.UNKNOWN_TOPIC_ID));
        cases.add(bad("DeleteTopics of an empty name", new DeleteTopicsRequestData().setTimeoutMs(5000).setTopicNames(List.of("")), 5,
            Errors.UNKNOWN_TOPIC_OR_PARTITION, Errors.INVALID_TOPIC_EXCEPTION));
        cases.add(bad("ListOffsets of partition -1", new ListOffsetsRequestData().setReplicaId(-1).setTopics(List.of(
            new ListOffsetsRequestData.ListOffsetsTopic().setName("t").setPartitions(List.of(
                new ListOffsetsRequestData.ListOffsetsPartition().setPartitionIndex(-1).setTimestamp(-1))))), 6, Errors.UNKNOWN_TOPIC_OR_PARTITION));
        cases.add(bad("DescribeConfigs of resource type 99", new DescribeConfigsRequestData().setResources(List.of(
            new DescribeConfigsRequestData.DescribeConfigsResource().setResourceType((byte)99).setResourceName("t"))), 4, Errors.INVALID_REQUEST));
        cases.add(bad("DescribeConfigs of an empty topic name", new DescribeConfigsRequestData().setResources(List.of(
            new DescribeConfigsRequestData.DescribeConfigsResource().setResourceType((byte)2).setResourceName(""))), 4,
            Errors.INVALID_TOPIC_EXCEPTION, Errors.UNKNOWN_TOPIC_OR_PARTITION));
        cases.add(bad("IncrementalAlterConfigs SET without a value", FrameFuzzTest.incrementalAlterConfigs("t", "retention.ms", null), 1,
            Errors.INVALID_CONFIG, Errors.INVALID_REQUEST));
        final IncrementalAlterConfigsRequestData unknownOperation = FrameFuzzTest.incrementalAlterConfigs("t", "retention.ms", "1");
        unknownOperation.resources().iterator().next().configs().iterator().next().setConfigOperation((byte)99);
        cases.add(bad("IncrementalAlterConfigs of operation 99", unknownOperation, 1, Errors.INVALID_REQUEST));
        final IncrementalAlterConfigsRequestData resourceType = FrameFuzzTest.incrementalAlterConfigs("t", "retention.ms", "1");
        resourceType.resources().iterator().next().setResourceType((byte)99);
        cases.add(bad("IncrementalAlterConfigs of resource type 99", resourceType, 1, Errors.INVALID_REQUEST));
        cases.add(bad("AlterConfigs of an empty topic name", FrameFuzzTest.alterConfigs("", "retention.ms", "1"), 2,
            Errors.INVALID_TOPIC_EXCEPTION, Errors.UNKNOWN_TOPIC_OR_PARTITION));
        cases.add(bad("AlterConfigs without a value", FrameFuzzTest.alterConfigs("t", "retention.ms", null), 0,
            Errors.INVALID_CONFIG, Errors.INVALID_REQUEST));
        cases.add(bad("FindCoordinator of key type 99", new FindCoordinatorRequestData().setKeyType((byte)99).setKey("g"), 3, Errors.INVALID_REQUEST));
        cases.add(bad("JoinGroup with an empty group id", join("", "consumer", true), 9, Errors.INVALID_GROUP_ID));
        cases.add(bad("JoinGroup without protocols", join("g", "consumer", false), 9, Errors.INCONSISTENT_GROUP_PROTOCOL));
        cases.add(bad("JoinGroup with an empty protocol type", join("g", "", true), 9, Errors.INCONSISTENT_GROUP_PROTOCOL));
        cases.add(bad("SyncGroup with an empty group id", new SyncGroupRequestData().setGroupId("").setMemberId("m").setProtocolType(null)
            .setProtocolName(null), 5, Errors.INVALID_GROUP_ID));
        cases.add(bad("SyncGroup of an unknown member, null protocol", new SyncGroupRequestData().setGroupId("g2").setMemberId("m")
            .setProtocolType(null).setProtocolName(null).setAssignments(List.of(new SyncGroupRequestData.SyncGroupRequestAssignment()
                .setMemberId("").setAssignment(new byte[0]))), 5, Errors.UNKNOWN_MEMBER_ID, Errors.GROUP_ID_NOT_FOUND));
        cases.add(bad("Heartbeat with an empty group id", new HeartbeatRequestData().setGroupId("").setMemberId("m"), 4, Errors.INVALID_GROUP_ID));
        cases.add(bad("LeaveGroup with an empty group id", new LeaveGroupRequestData().setGroupId("").setMembers(List.of(
            new LeaveGroupRequestData.MemberIdentity().setMemberId("m").setGroupInstanceId(null))), 5, Errors.INVALID_GROUP_ID));
        cases.add(bad("OffsetCommit with an empty group id", new OffsetCommitRequestData().setGroupId("").setGenerationIdOrMemberEpoch(-1)
            .setMemberId("").setTopics(List.of(new OffsetCommitRequestData.OffsetCommitRequestTopic().setName("t").setPartitions(List.of(
                new OffsetCommitRequestData.OffsetCommitRequestPartition().setPartitionIndex(0).setCommittedOffset(1).setCommittedMetadata(null))))), 9,
            Errors.INVALID_GROUP_ID));
        cases.add(bad("OffsetCommit to partition -1", new OffsetCommitRequestData().setGroupId("g").setGenerationIdOrMemberEpoch(-1)
            .setMemberId("").setTopics(List.of(new OffsetCommitRequestData.OffsetCommitRequestTopic().setName("t").setPartitions(List.of(
                new OffsetCommitRequestData.OffsetCommitRequestPartition().setPartitionIndex(-1).setCommittedOffset(1))))), 9,
            Errors.UNKNOWN_TOPIC_OR_PARTITION));
        cases.add(bad("OffsetFetch with an empty group id", new OffsetFetchRequestData().setGroups(List.of(
            new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId("").setTopics(null))), 9, Errors.INVALID_GROUP_ID));
        cases.add(bad("OffsetFetch v7 with an empty group id", new OffsetFetchRequestData().setGroupId("").setTopics(null), 7, Errors.INVALID_GROUP_ID));
        cases.add(bad("DescribeGroups of an empty group id", new DescribeGroupsRequestData().setGroups(List.of("")), 5, Errors.INVALID_GROUP_ID));
        adminCases(cases);
        transactionalCases(cases);
        return cases;
    }

    private static void adminCases(final List<Case> cases)
    {
        cases.add(bad("DeleteGroups of an empty group id", new DeleteGroupsRequestData().setGroupsNames(List.of("")), 2, Errors.INVALID_GROUP_ID));
        cases.add(bad("OffsetDelete with an empty group id", offsetDelete("", "t", 0), 0, Errors.INVALID_GROUP_ID));
        cases.add(bad("OffsetDelete of partition -1", offsetDelete("g", "t", -1), 0, Errors.UNKNOWN_TOPIC_OR_PARTITION, Errors.GROUP_ID_NOT_FOUND));
        cases.add(bad("DeleteRecords of partition -1", deleteRecords("t", -1, 0), 2, Errors.UNKNOWN_TOPIC_OR_PARTITION));
        cases.add(bad("DeleteRecords of an empty topic name", deleteRecords("", 0, 0), 2, Errors.UNKNOWN_TOPIC_OR_PARTITION,
            Errors.INVALID_TOPIC_EXCEPTION));
        cases.add(bad("DeleteRecords before offset -5", deleteRecords("t", 0, -5), 2, Errors.OFFSET_OUT_OF_RANGE));
        cases.add(bad("DescribeLogDirs of an empty topic name and partition -1", new DescribeLogDirsRequestData().setTopics(
            new DescribeLogDirsRequestData.DescribableLogDirTopicCollection(List.of(new DescribeLogDirsRequestData.DescribableLogDirTopic()
                .setTopic("").setPartitions(List.of(-1))).iterator())), 4, Errors.NONE));
        cases.add(bad("DescribeCluster of endpoint type 99", new DescribeClusterRequestData().setEndpointType((byte)99), 1,
            Errors.UNSUPPORTED_ENDPOINT_TYPE));
        for (final long timestamp : new long[] {-3, -7})
        {
            cases.add(bad("ListOffsets v6 of timestamp " + timestamp, new ListOffsetsRequestData().setReplicaId(-1).setTopics(List.of(
                new ListOffsetsRequestData.ListOffsetsTopic().setName("t").setPartitions(List.of(
                    new ListOffsetsRequestData.ListOffsetsPartition().setPartitionIndex(0).setTimestamp(timestamp))))), 6, Errors.UNSUPPORTED_VERSION));
        }
        topicIdCases(cases);
    }

    /** Topics named by ids no topic has, and leader epochs this broker never had. */
    private static void topicIdCases(final List<Case> cases)
    {
        for (final Uuid id : new Uuid[] {Uuid.ZERO_UUID, Uuid.randomUuid()})
        {
            for (final int version : new int[] {13, 18})
            {
                cases.add(bad("Fetch v" + version + " of topic id " + id, new FetchRequestData().setMaxWaitMs(0).setMinBytes(1).setMaxBytes(1024)
                    .setTopics(List.of(new FetchRequestData.FetchTopic().setTopicId(id).setPartitions(List.of(new FetchRequestData.FetchPartition()
                        .setPartition(0).setPartitionMaxBytes(1024))))), version, Errors.UNKNOWN_TOPIC_ID));
            }
            final ProduceRequestData produce = new ProduceRequestData().setAcks((short)1).setTimeoutMs(5000);
            produce.topicData().add(new ProduceRequestData.TopicProduceData().setTopicId(id).setPartitionData(List.of(
                new ProduceRequestData.PartitionProduceData().setIndex(0).setRecords(ProtocolErrorsTest.produce("t", 0, (short)1)
                    .topicData().iterator().next().partitionData().get(0).records()))));
            cases.add(bad("Produce v13 to topic id " + id, produce, 13, Errors.UNKNOWN_TOPIC_ID));
            cases.add(bad("DeleteTopics v6 of topic id " + id, new DeleteTopicsRequestData().setTimeoutMs(5000).setTopics(List.of(
                new DeleteTopicsRequestData.DeleteTopicState().setName(null).setTopicId(id))), 6, Errors.UNKNOWN_TOPIC_ID, Errors.INVALID_REQUEST));
        }
        cases.add(bad("OffsetForLeaderEpoch of partition -1", offsetForLeaderEpoch("t", -1, -1, 0), 4, Errors.UNKNOWN_TOPIC_OR_PARTITION));
        cases.add(bad("OffsetForLeaderEpoch of an empty topic name", offsetForLeaderEpoch("", 0, -1, 0), 4, Errors.UNKNOWN_TOPIC_OR_PARTITION,
            Errors.INVALID_TOPIC_EXCEPTION));
        cases.add(bad("OffsetForLeaderEpoch at current epoch 5", offsetForLeaderEpoch("t", 0, 5, 0), 4, Errors.UNKNOWN_LEADER_EPOCH));
        cases.add(bad("OffsetForLeaderEpoch at current epoch -7", offsetForLeaderEpoch("t", 0, -7, 0), 3, Errors.FENCED_LEADER_EPOCH));
    }

    private static OffsetForLeaderEpochRequestData offsetForLeaderEpoch(final String topic, final int partition, final int currentEpoch,
        final int epoch)
    {
        return new OffsetForLeaderEpochRequestData().setReplicaId(-1).setTopics(new OffsetForLeaderEpochRequestData.OffsetForLeaderTopicCollection(
            List.of(new OffsetForLeaderEpochRequestData.OffsetForLeaderTopic().setTopic(topic).setPartitions(List.of(
                new OffsetForLeaderEpochRequestData.OffsetForLeaderPartition().setPartition(partition).setCurrentLeaderEpoch(currentEpoch)
                    .setLeaderEpoch(epoch)))).iterator()));
    }

    private static OffsetDeleteRequestData offsetDelete(final String group, final String topic, final int partition)
    {
        return new OffsetDeleteRequestData().setGroupId(group).setTopics(new OffsetDeleteRequestData.OffsetDeleteRequestTopicCollection(List.of(
            new OffsetDeleteRequestData.OffsetDeleteRequestTopic().setName(topic).setPartitions(List.of(
                new OffsetDeleteRequestData.OffsetDeleteRequestPartition().setPartitionIndex(partition)))).iterator()));
    }

    private static DeleteRecordsRequestData deleteRecords(final String topic, final int partition, final long offset)
    {
        return new DeleteRecordsRequestData().setTimeoutMs(5000).setTopics(List.of(new DeleteRecordsRequestData.DeleteRecordsTopic().setName(topic)
            .setPartitions(List.of(new DeleteRecordsRequestData.DeleteRecordsPartition().setPartitionIndex(partition).setOffset(offset)))));
    }

    private static void transactionalCases(final List<Case> cases)
    {
        cases.add(bad("InitProducerId with an empty transactional id", new InitProducerIdRequestData().setTransactionalId("")
            .setTransactionTimeoutMs(1000), 5, Errors.INVALID_REQUEST));
        cases.add(bad("AddPartitionsToTxn with an empty transactional id", addPartitions("", "t", 0), 3, Errors.INVALID_REQUEST));
        cases.add(bad("AddPartitionsToTxn of partition -1", addPartitions("tx", "t", -1), 3, Errors.UNKNOWN_TOPIC_OR_PARTITION));
        cases.add(bad("AddOffsetsToTxn of an unknown transactional id", new AddOffsetsToTxnRequestData().setTransactionalId("nobody")
            .setProducerId(7).setProducerEpoch((short)0).setGroupId("g"), 3, Errors.INVALID_PRODUCER_ID_MAPPING));
        cases.add(bad("EndTxn with an empty transactional id", new EndTxnRequestData().setTransactionalId("").setProducerId(7)
            .setProducerEpoch((short)0), 4, Errors.INVALID_REQUEST));
        cases.add(bad("TxnOffsetCommit to partition -1", new TxnOffsetCommitRequestData().setTransactionalId("tx").setGroupId("g")
            .setProducerId(7).setProducerEpoch((short)0).setTopics(List.of(new TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic()
                .setName("t").setPartitions(List.of(new TxnOffsetCommitRequestData.TxnOffsetCommitRequestPartition().setPartitionIndex(-1)
                    .setCommittedOffset(1).setCommittedMetadata(null))))), 3, Errors.UNKNOWN_TOPIC_OR_PARTITION));
        cases.add(bad("WriteTxnMarkers to partition -1", new WriteTxnMarkersRequestData().setMarkers(List.of(
            new WriteTxnMarkersRequestData.WritableTxnMarker().setProducerId(7).setTopics(List.of(
                new WriteTxnMarkersRequestData.WritableTxnMarkerTopic().setName("t").setPartitionIndexes(List.of(-1)))))), 1,
            Errors.UNKNOWN_TOPIC_OR_PARTITION));
        cases.add(bad("DescribeTransactions of an empty transactional id", new DescribeTransactionsRequestData().setTransactionalIds(List.of("")), 0,
            Errors.TRANSACTIONAL_ID_NOT_FOUND, Errors.INVALID_REQUEST));
        cases.add(bad("DescribeProducers of partition -1", new DescribeProducersRequestData().setTopics(List.of(
            new DescribeProducersRequestData.TopicRequest().setName("t").setPartitionIndexes(List.of(-1)))), 0, Errors.UNKNOWN_TOPIC_OR_PARTITION));
    }

    private static AddPartitionsToTxnRequestData addPartitions(final String transactionalId, final String topic, final int partition)
    {
        return new AddPartitionsToTxnRequestData().setV3AndBelowTransactionalId(transactionalId).setV3AndBelowProducerId(7)
            .setV3AndBelowProducerEpoch((short)0).setV3AndBelowTopics(new AddPartitionsToTxnRequestData.AddPartitionsToTxnTopicCollection(List.of(
                new AddPartitionsToTxnRequestData.AddPartitionsToTxnTopic().setName(topic).setPartitions(List.of(partition))).iterator()));
    }

    private static ProduceRequestData produce(final String topic, final int partition, final org.apache.kafka.common.record.internal.BaseRecords records)
    {
        final ProduceRequestData request = ProtocolErrorsTest.produce(topic, partition, (short)1);
        request.topicData().iterator().next().partitionData().get(0).setRecords(records);
        return request;
    }

    private static JoinGroupRequestData join(final String group, final String protocolType, final boolean withProtocol)
    {
        final JoinGroupRequestData.JoinGroupRequestProtocolCollection protocols = new JoinGroupRequestData.JoinGroupRequestProtocolCollection();
        if (withProtocol)
        {
            protocols.add(new JoinGroupRequestData.JoinGroupRequestProtocol().setName("range").setMetadata(new byte[0]));
        }
        return new JoinGroupRequestData().setGroupId(group).setMemberId("").setGroupInstanceId(null).setProtocolType(protocolType)
            .setSessionTimeoutMs(10_000).setRebalanceTimeoutMs(10_000).setProtocols(protocols).setReason(null);
    }

    @Test
    void everyServedApiAnswersBadFieldsWithKafkasErrorAndKeepsServing() throws Exception
    {
        try (TestServer server = TestServer.start(dataDir, Map.of("auto.create.topics.enable", "true")))
        {
            server.server().logs().createTopic("t", 1, Map.of());
            final List<String> wrong = new ArrayList<>();
            for (final Case c : cases())
            {
                try (WireClient client = new WireClient(server.port()))
                {
                    final ApiMessage response = client.send(c.request(), (short)c.version());
                    final Set<Errors> answered = errors(response);
                    if (answered.contains(Errors.UNKNOWN_SERVER_ERROR) || answered.stream().noneMatch(c.expected()::contains))
                    {
                        wrong.add(c.name() + ": expected one of " + c.expected() + ", answered " + answered + " in " + response);
                    }
                }
                catch (final IOException e)
                {
                    wrong.add(c.name() + ": connection closed (" + e + "), expected an answer with one of " + c.expected());
                }
                try (WireClient client = new WireClient(server.port()))
                {
                    assertFalse(((ApiVersionsResponseData)client.send(new ApiVersionsRequestData(), (short)3)).apiKeys().isEmpty(),
                        "still serving after " + c.name());
                }
            }
            assertEquals(List.of(), wrong);
        }
    }

    @Test
    void aProduceWithoutAcknowledgementAndNullRecordsLeavesTheConnectionServing() throws Exception
    {
        try (TestServer server = TestServer.start(dataDir, Map.of());
            WireClient client = new WireClient(server.port()))
        {
            server.server().logs().createTopic("t", 1, Map.of());
            client.sendRaw(WireClient.frame(produce("t", 0, null).setAcks((short)0), (short)9, 1000));
            assertFalse(((ApiVersionsResponseData)client.send(new ApiVersionsRequestData(), (short)3)).apiKeys().isEmpty(),
                "the next request on the same connection is answered");
            assertEquals(0, server.server().logs().partition(new io.tidemark.log.TopicPartition("t", 0)).logEndOffset(), "nothing stored");
        }
    }

    /** @return every error code anywhere in the response. */
    private static Set<Errors> errors(final ApiMessage response)
    {
        final Set<Errors> errors = new TreeSet<>();
        final Matcher matcher = ERROR_CODE.matcher(response.toString());
        while (matcher.find())
        {
            errors.add(Errors.forCode(Short.parseShort(matcher.group(1))));
        }
        return errors;
    }
}
