package io.tidemark.runtime.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.AddOffsetsToTxnRequestData;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.AlterConfigsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.ConsumerGroupDescribeRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
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
import org.apache.kafka.common.message.DescribeTopicPartitionsRequestData;
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
import org.apache.kafka.common.message.ListTransactionsRequestData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData.OffsetForLeaderPartition;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData.OffsetForLeaderTopic;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData.OffsetForLeaderTopicCollection;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.message.WriteTxnMarkersRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.DeleteTopicsRequest;
import org.apache.kafka.common.requests.RequestHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Bad input on many connections for a while ({@code -Dtidemark.fuzz.seconds}, 20 by
 * default): a valid request of every advertised API, mutated (bit flips, truncation,
 * extension, negative and huge lengths and counts, lying frame sizes, unknown keys and
 * versions), random bytes, silent and half-sent connections, waiting fetches that are
 * abandoned. Meanwhile a canary producer and consumer are served. Afterwards: the server still
 * accepts, every acknowledged canary record was read back in order, the server's file
 * descriptors and threads are back to their count before the fuzzing, and a restart's
 * recovery finds nothing to repair. Prints its figures (docs/RELIABILITY.md keeps them).
 */
class FrameFuzzTest
{
    private static final long SECONDS = Long.getLong("tidemark.fuzz.seconds", 20);
    private static final int FUZZ_THREADS = 4;
    private static final int IDLE_MS = 2_000;
    /** What one CreateTopics may create here: a mutated request creates real topics, a few. */
    private static final int MAX_CREATED_PARTITIONS = 64;
    /** The canary producer's pace. */
    private static final int CANARY_RECORDS_PER_SECOND = 2_000;
    private static final int MAX_REQUEST = 1 << 20;
    private static final String CANARY = "canary";
    private static final int CANARY_PARTITIONS = 2;

    @TempDir
    Path dataDir;

    /** A valid request to start mutating from. */
    private record Seed(ApiMessage request, short version)
    {
    }

    /** One acknowledged or consumed canary record. */
    private record Canary(int partition, long offset, long sequence)
    {
    }

    /** What the fuzzers did, for the figures. */
    private static final class Counts
    {
        final AtomicLong frames = new AtomicLong();
        final AtomicLong connections = new AtomicLong();
        final AtomicLong answered = new AtomicLong();
        final AtomicLong closedByServer = new AtomicLong();
        final AtomicLong idleClosed = new AtomicLong();
        final AtomicLong topicsCreated = new AtomicLong();
    }

    @Test
    void fuzzedRequestsOfEveryApiNeverHurtTheServerOrItsClients() throws Exception
    {
        // A stack trace in the server's log means a client's bytes reached a path kept for server bugs.
        final ListAppender<ILoggingEvent> logged = new ListAppender<>();
        final Logger serverLogger = (Logger)LoggerFactory.getLogger("io.tidemark");
        logged.start();
        serverLogger.addAppender(logged);
        try
        {
            fuzzBesideTheCanary();
        }
        finally
        {
            serverLogger.detachAppender(logged);
        }
        final List<String> traces = logged.list.stream().filter(event -> event.getThrowableProxy() != null)
            .map(event -> event.getFormattedMessage() + ": " + event.getThrowableProxy().getClassName()).distinct().toList();
        assertEquals(List.of(), traces, "log lines with a stack trace");
    }

    private void fuzzBesideTheCanary() throws Exception
    {
        // One partition of each coordinator's topic: mutated group and transactional ids then write
        // where the warm-up did, and the segment files they open are counted in the baseline.
        final Map<String, String> config = Map.of("socket.request.max.bytes", Integer.toString(MAX_REQUEST), "auto.create.topics.enable", "false",
            BrokerConfig.CONNECTIONS_MAX_IDLE_MS, Integer.toString(IDLE_MS), "num.io.threads", "2", "group.initial.rebalance.delay.ms", "0",
            BrokerConfig.CREATE_TOPICS_MAX_PARTITIONS, Integer.toString(MAX_CREATED_PARTITIONS), BrokerConfig.OFFSETS_TOPIC_NUM_PARTITIONS, "1",
            BrokerConfig.TRANSACTION_STATE_LOG_NUM_PARTITIONS, "1");
        try (TestServer server = TestServer.start(dataDir, config))
        {
            server.server().logs().createTopic(CANARY, CANARY_PARTITIONS, Map.of());
            server.server().logs().createTopic("fz", 2, Map.of());
            final List<Seed> seeds = seeds();
            assertEveryAdvertisedApiIsSeeded(server, seeds);
            warmUp(server, seeds);

            final AtomicBoolean running = new AtomicBoolean(true);
            final ConcurrentLinkedQueue<Canary> acknowledged = new ConcurrentLinkedQueue<>();
            final ConcurrentLinkedQueue<Canary> consumed = new ConcurrentLinkedQueue<>();
            final ConcurrentLinkedQueue<Long> latenciesMicros = new ConcurrentLinkedQueue<>();
            final ExecutorService canaries = Executors.newFixedThreadPool(2);
            final Future<?> producer = canaries.submit(() -> produceCanary(server, running, acknowledged));
            final AtomicBoolean consuming = new AtomicBoolean(true);
            final Future<?> consumer = canaries.submit(() -> consumeCanary(server, consuming, consumed, latenciesMicros));
            awaitUntil(() -> !consumed.isEmpty(), Duration.ofSeconds(60), "the canary's first record consumed");

            final long fds = ParkedFetchTest.openFileDescriptors();
            final int threads = ManagementFactory.getThreadMXBean().getThreadCount();
            final Counts counts = new Counts();
            final ExecutorService fuzzers = Executors.newFixedThreadPool(FUZZ_THREADS + 1);
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS);
            final List<Future<?>> fuzzing = new ArrayList<>();
            for (int t = 0; t < FUZZ_THREADS; t++)
            {
                final Random random = new Random(0x71de_0000L + t);
                fuzzing.add(fuzzers.submit(() ->
                {
                    fuzz(random, server.port(), seeds, deadline, counts);
                    return null;
                }));
            }
            fuzzing.add(fuzzers.submit(() ->
            {
                idleConnections(new Random(0x1d1e), server.port(), deadline, counts);
                return null;
            }));
            for (final Future<?> fuzzer : fuzzing)
            {
                fuzzer.get(SECONDS + 120, TimeUnit.SECONDS);
            }
            fuzzers.shutdown();
            assertTrue(fuzzers.awaitTermination(30, TimeUnit.SECONDS));

            running.set(false);
            producer.get(2, TimeUnit.MINUTES);
            awaitUntil(() -> consumed.size() >= acknowledged.size(), Duration.ofSeconds(60), "the canary consumer caught up");
            assertCanaryServed(acknowledged, consumed);

            // Still serving a new connection.
            try (WireClient client = new WireClient(server.port()))
            {
                assertFalse(((ApiVersionsResponseData)client.send(new ApiVersionsRequestData(), (short)3)).apiKeys().isEmpty());
            }
            // Topics the fuzzing created hold segment files (within the open-file budget): let them go.
            for (final String topic : server.server().logs().listTopics())
            {
                if (!topic.equals(CANARY) && !topic.equals("fz") && !topic.startsWith("__"))
                {
                    server.server().logs().deleteTopic(topic);
                    counts.topicsCreated.incrementAndGet();
                }
            }
            final long fdsAfter = ParkedFetchTest.awaitAtMost(ParkedFetchTest::openFileDescriptors, fds, Duration.ofSeconds(30));
            assertTrue(fdsAfter <= fds, "file descriptors back to " + fds + " after the fuzzing: " + fdsAfter);
            final long threadsAfter = ParkedFetchTest.awaitAtMost(() -> ManagementFactory.getThreadMXBean().getThreadCount(), threads,
                Duration.ofSeconds(30));
            assertTrue(threadsAfter <= threads, "threads back to " + threads + " after the fuzzing: " + threadsAfter);

            consuming.set(false);
            consumer.get(1, TimeUnit.MINUTES);
            canaries.shutdown();
            printFigures(counts, acknowledged.size(), latenciesMicros);
            assertTrue(counts.answered.get() > 0 && counts.closedByServer.get() > 0 && counts.idleClosed.get() > 0,
                "some frames answered (" + counts.answered + "), some connections refused (" + counts.closedByServer + "), some closed idle (" +
                counts.idleClosed + ")");

            // Nothing corrupt was stored: reopening repairs nothing.
            server.restart();
            assertTrue(server.server().logs().recoveryReports().isEmpty(), () -> "recovery repaired " + server.server().logs().recoveryReports());
        }
    }

    private static void awaitUntil(final java.util.function.BooleanSupplier condition, final Duration timeout, final String what)
        throws InterruptedException
    {
        final long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean())
        {
            assertTrue(System.nanoTime() < end, what + " within " + timeout);
            Thread.sleep(20);
        }
    }

    private static List<Seed> seeds()
    {
        final List<Seed> seeds = new ArrayList<>();
        seeds.add(new Seed(new ApiVersionsRequestData().setClientSoftwareName("fuzz").setClientSoftwareVersion("1"), (short)3));
        seeds.add(new Seed(new MetadataRequestData().setTopics(List.of(new MetadataRequestData.MetadataRequestTopic().setName("fz"))), (short)12));
        seeds.add(new Seed(new MetadataRequestData().setTopics(null), (short)9));
        seeds.add(new Seed(ProtocolErrorsTest.produce("fz", 0, (short)1), (short)9));
        seeds.add(new Seed(ProtocolErrorsTest.produce("fz", 1, (short)-1), (short)12));
        seeds.add(new Seed(ProtocolErrorsTest.produce("fz", 1, (short)0), (short)3));
        seeds.add(new Seed(ProtocolErrorsTest.fetch("fz", 0, 0, 10, 1), (short)12));
        // A fetch that waits as long as the protocol allows for more than will ever come.
        seeds.add(new Seed(WireClient.parkedFetch("fz"), (short)12));
        seeds.add(new Seed(ProtocolErrorsTest.fetch("fz", 1, 0, 500, 1), (short)4));
        seeds.add(new Seed(new ListOffsetsRequestData().setReplicaId(-1).setTopics(List.of(new ListOffsetsRequestData.ListOffsetsTopic()
            .setName("fz").setPartitions(List.of(new ListOffsetsRequestData.ListOffsetsPartition().setTimestamp(-2))))), (short)6));
        seeds.add(new Seed(new DescribeConfigsRequestData().setResources(List.of(new DescribeConfigsRequestData.DescribeConfigsResource()
            .setResourceType((byte)2).setResourceName("fz"))), (short)4));
        seeds.add(new Seed(incrementalAlterConfigs("fz", "delete.retention.ms", "900"), (short)1));
        seeds.add(new Seed(alterConfigs("fz", "compression.type", "lz4"), (short)2));
        seeds.add(new Seed(new InitProducerIdRequestData().setTransactionalId(null).setTransactionTimeoutMs(1000), (short)4));
        // Real creations: the partition limit refuses the huge counts; what a mutation makes of
        // the small one may really create topics, which are deleted before the descriptor count.
        seeds.add(new Seed(createTopics(Integer.MAX_VALUE), (short)7));
        seeds.add(new Seed(createTopics(32_768), (short)7));
        seeds.add(new Seed(createTopics(3), (short)5));
        seeds.add(new Seed(new DeleteTopicsRequestData().setTimeoutMs(1000).setTopicNames(List.of("absent")), (short)5));
        seeds.add(new Seed(new CreatePartitionsRequestData().setTimeoutMs(1000).setValidateOnly(true).setTopics(
            new CreatePartitionsRequestData.CreatePartitionsTopicCollection(List.of(new CreatePartitionsRequestData.CreatePartitionsTopic()
                .setName("absent").setCount(2)).iterator())), (short)3));
        seeds.add(new Seed(new DeleteTopicsRequestData().setTimeoutMs(1000).setTopics(List.of(new DeleteTopicsRequestData.DeleteTopicState()
            .setName("absent"))), (short)6));
        seeds.add(new Seed(new FindCoordinatorRequestData().setKeyType((byte)0).setCoordinatorKeys(List.of("fuzz-group")), (short)6));
        seeds.add(new Seed(new FindCoordinatorRequestData().setKey("fuzz-group"), (short)3));
        final JoinGroupRequestData.JoinGroupRequestProtocolCollection protocols = new JoinGroupRequestData.JoinGroupRequestProtocolCollection();
        protocols.add(new JoinGroupRequestData.JoinGroupRequestProtocol().setName("range").setMetadata(new byte[] {0, 1, 0, 0, 0, 1, 0, 2, 'f', 'z'}));
        seeds.add(new Seed(new JoinGroupRequestData().setGroupId("fuzz-group").setMemberId("").setProtocolType("consumer")
            .setSessionTimeoutMs(10_000).setRebalanceTimeoutMs(1_000).setProtocols(protocols), (short)9));
        seeds.add(new Seed(new SyncGroupRequestData().setGroupId("fuzz-group").setGenerationId(1).setMemberId("m").setProtocolType("consumer")
            .setProtocolName("range").setAssignments(List.of(new SyncGroupRequestData.SyncGroupRequestAssignment().setMemberId("m")
                .setAssignment(new byte[] {0, 1, 0, 0, 0, 0}))), (short)5));
        seeds.add(new Seed(new HeartbeatRequestData().setGroupId("fuzz-group").setGenerationId(1).setMemberId("m"), (short)4));
        seeds.add(new Seed(new LeaveGroupRequestData().setGroupId("fuzz-group").setMembers(List.of(new LeaveGroupRequestData.MemberIdentity()
            .setMemberId("m"))), (short)5));
        seeds.add(new Seed(new OffsetCommitRequestData().setGroupId("fuzz-standalone").setGenerationIdOrMemberEpoch(-1).setMemberId("")
            .setTopics(List.of(new OffsetCommitRequestData.OffsetCommitRequestTopic().setName("fz").setPartitions(List.of(
                new OffsetCommitRequestData.OffsetCommitRequestPartition().setPartitionIndex(0).setCommittedOffset(0).setCommittedMetadata("m"))))),
            (short)9));
        seeds.add(new Seed(new OffsetFetchRequestData().setGroups(List.of(new OffsetFetchRequestData.OffsetFetchRequestGroup()
            .setGroupId("fuzz-standalone").setTopics(null))), (short)9));
        seeds.add(new Seed(new OffsetFetchRequestData().setGroupId("fuzz-standalone").setTopics(List.of(
            new OffsetFetchRequestData.OffsetFetchRequestTopic().setName("fz").setPartitionIndexes(List.of(0, 1)))), (short)5));
        seeds.add(new Seed(new DescribeGroupsRequestData().setGroups(List.of("fuzz-group", "fuzz-standalone")), (short)5));
        seeds.add(new Seed(new ListGroupsRequestData(), (short)5));
        seeds.add(new Seed(new DeleteGroupsRequestData().setGroupsNames(List.of("fuzz-deleted")), (short)2));
        seeds.add(new Seed(new OffsetDeleteRequestData().setGroupId("fuzz-standalone").setTopics(
            new OffsetDeleteRequestData.OffsetDeleteRequestTopicCollection(List.of(new OffsetDeleteRequestData.OffsetDeleteRequestTopic()
                .setName("fz").setPartitions(List.of(new OffsetDeleteRequestData.OffsetDeleteRequestPartition().setPartitionIndex(1)))).iterator())),
            (short)0));
        // The consumer group protocol: a join with a subscription, and a description of that group.
        seeds.add(new Seed(new ConsumerGroupHeartbeatRequestData().setGroupId("fuzz-consumer").setMemberId(Uuid.randomUuid().toString())
            .setMemberEpoch(0).setRebalanceTimeoutMs(1_000).setSubscribedTopicNames(List.of("fz")).setTopicPartitions(List.of()), (short)1));
        seeds.add(new Seed(new ConsumerGroupDescribeRequestData().setGroupIds(List.of("fuzz-consumer", "fuzz-group")), (short)1));
        adminSeeds(seeds);
        transactionalSeeds(seeds);
        return seeds;
    }

    /** The operators' APIs: records deleted from the fuzz topic, log directories, the cluster, the largest timestamp. */
    private static void adminSeeds(final List<Seed> seeds)
    {
        seeds.add(new Seed(new DeleteRecordsRequestData().setTimeoutMs(1000).setTopics(List.of(new DeleteRecordsRequestData.DeleteRecordsTopic()
            .setName("fz").setPartitions(List.of(new DeleteRecordsRequestData.DeleteRecordsPartition().setPartitionIndex(0).setOffset(0))))),
            (short)2));
        seeds.add(new Seed(new DescribeLogDirsRequestData().setTopics(null), (short)4));
        seeds.add(new Seed(new DescribeClusterRequestData().setEndpointType((byte)1), (short)1));
        // Pages of one partition from a cursor, so that the fuzzed limit and cursor reach the paging.
        seeds.add(new Seed(new DescribeTopicPartitionsRequestData().setResponsePartitionLimit(1).setTopics(List.of(
            new DescribeTopicPartitionsRequestData.TopicRequest().setName("fz"))).setCursor(new DescribeTopicPartitionsRequestData.Cursor()
                .setTopicName("fz").setPartitionIndex(1)), (short)0));
        seeds.add(new Seed(new ListOffsetsRequestData().setReplicaId(-1).setTopics(List.of(new ListOffsetsRequestData.ListOffsetsTopic()
            .setName("fz").setPartitions(List.of(new ListOffsetsRequestData.ListOffsetsPartition().setTimestamp(-3))))), (short)11));
        seeds.add(new Seed(new OffsetForLeaderEpochRequestData().setReplicaId(-1).setTopics(new OffsetForLeaderTopicCollection(List.of(
            new OffsetForLeaderTopic().setTopic("fz").setPartitions(List.of(new OffsetForLeaderPartition().setPartition(0)
                .setCurrentLeaderEpoch(0).setLeaderEpoch(0)))).iterator())), (short)4));
        // By ids no topic has: the fuzzer flips their bits, which a real id would not survive either.
        final Uuid absent = Uuid.randomUuid();
        seeds.add(new Seed(new MetadataRequestData().setTopics(List.of(new MetadataRequestData.MetadataRequestTopic().setName(null)
            .setTopicId(absent))), (short)12));
        seeds.add(new Seed(new FetchRequestData().setMaxWaitMs(0).setMinBytes(0).setMaxBytes(1 << 20).setTopics(List.of(
            new FetchRequestData.FetchTopic().setTopicId(absent).setPartitions(List.of(new FetchRequestData.FetchPartition()
                .setPartition(0).setFetchOffset(0).setPartitionMaxBytes(1 << 20))))), (short)17));
        final ProduceRequestData produce = ProtocolErrorsTest.produce("", 0, (short)1);
        produce.topicData().iterator().next().setTopicId(absent);
        seeds.add(new Seed(produce, (short)13));
    }

    /**
     * The transactional APIs, for one transactional id that the warm-up initialises. The marker
     * names a producer id far from the canary's, which a few flipped bits cannot reach.
     */
    private static void transactionalSeeds(final List<Seed> seeds)
    {
        seeds.add(new Seed(new InitProducerIdRequestData().setTransactionalId("fuzz-tx").setTransactionTimeoutMs(1000)
            .setProducerId(-1).setProducerEpoch((short)-1), (short)5));
        seeds.add(new Seed(new AddPartitionsToTxnRequestData().setV3AndBelowTransactionalId("fuzz-tx").setV3AndBelowProducerId(0)
            .setV3AndBelowProducerEpoch((short)0).setV3AndBelowTopics(new AddPartitionsToTxnRequestData.AddPartitionsToTxnTopicCollection(List.of(
                new AddPartitionsToTxnRequestData.AddPartitionsToTxnTopic().setName("fz").setPartitions(List.of(0))).iterator())), (short)3));
        seeds.add(new Seed(new AddOffsetsToTxnRequestData().setTransactionalId("fuzz-tx").setProducerId(0).setProducerEpoch((short)0)
            .setGroupId("fuzz-standalone"), (short)3));
        seeds.add(new Seed(new TxnOffsetCommitRequestData().setTransactionalId("fuzz-tx").setGroupId("fuzz-standalone").setProducerId(0)
            .setProducerEpoch((short)0).setTopics(List.of(new TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic().setName("fz")
                .setPartitions(List.of(new TxnOffsetCommitRequestData.TxnOffsetCommitRequestPartition().setPartitionIndex(0).setCommittedOffset(1))))),
            (short)3));
        seeds.add(new Seed(new EndTxnRequestData().setTransactionalId("fuzz-tx").setProducerId(0).setProducerEpoch((short)0).setCommitted(false),
            (short)4));
        seeds.add(new Seed(new WriteTxnMarkersRequestData().setMarkers(List.of(new WriteTxnMarkersRequestData.WritableTxnMarker()
            .setProducerId(0x3fff_ffff_ffffL).setProducerEpoch((short)0).setTransactionResult(false).setCoordinatorEpoch(0)
            .setTopics(List.of(new WriteTxnMarkersRequestData.WritableTxnMarkerTopic().setName("fz").setPartitionIndexes(List.of(1)))))), (short)1));
        seeds.add(new Seed(new DescribeTransactionsRequestData().setTransactionalIds(List.of("fuzz-tx", "absent")), (short)0));
        seeds.add(new Seed(new ListTransactionsRequestData().setStateFilters(List.of("Ongoing")).setDurationFilter(0), (short)1));
        seeds.add(new Seed(new DescribeProducersRequestData().setTopics(List.of(new DescribeProducersRequestData.TopicRequest().setName("fz")
            .setPartitionIndexes(List.of(0, 1)))), (short)0));
    }

    /** @return an IncrementalAlterConfigs that SETs one key of a topic. */
    static IncrementalAlterConfigsRequestData incrementalAlterConfigs(final String topic, final String key, final String value)
    {
        final IncrementalAlterConfigsRequestData request = new IncrementalAlterConfigsRequestData();
        final IncrementalAlterConfigsRequestData.AlterConfigsResource resource = new IncrementalAlterConfigsRequestData.AlterConfigsResource()
            .setResourceType((byte)2).setResourceName(topic);
        resource.configs().add(new IncrementalAlterConfigsRequestData.AlterableConfig().setName(key).setValue(value).setConfigOperation((byte)0));
        request.resources().add(resource);
        return request;
    }

    /** @return an AlterConfigs that makes one key a topic's only override. */
    static AlterConfigsRequestData alterConfigs(final String topic, final String key, final String value)
    {
        final AlterConfigsRequestData request = new AlterConfigsRequestData();
        final AlterConfigsRequestData.AlterConfigsResource resource = new AlterConfigsRequestData.AlterConfigsResource()
            .setResourceType((byte)2).setResourceName(topic);
        resource.configs().add(new AlterConfigsRequestData.AlterableConfig().setName(key).setValue(value));
        request.resources().add(resource);
        return request;
    }

    private static CreateTopicsRequestData createTopics(final int partitions)
    {
        return new CreateTopicsRequestData().setTimeoutMs(1000).setTopics(new CreateTopicsRequestData.CreatableTopicCollection(
            List.of(new CreateTopicsRequestData.CreatableTopic().setName("fz-new").setNumPartitions(partitions).setReplicationFactor((short)1))
                .iterator()));
    }

    private static void assertEveryAdvertisedApiIsSeeded(final TestServer server, final List<Seed> seeds) throws IOException
    {
        final Set<Short> seeded = new TreeSet<>();
        seeds.forEach(seed -> seeded.add(seed.request().apiKey()));
        try (WireClient client = new WireClient(server.port()))
        {
            for (final ApiVersionsResponseData.ApiVersion api : ((ApiVersionsResponseData)client.send(new ApiVersionsRequestData(), (short)3)).apiKeys())
            {
                assertTrue(seeded.contains(api.apiKey()), "a seed for every advertised API: none for " + ApiKeys.forId(api.apiKey()));
            }
        }
    }

    /** Sends every seed once, valid, so that the threads a server starts lazily exist before the baseline. */
    private static void warmUp(final TestServer server, final List<Seed> seeds) throws IOException
    {
        for (final Seed seed : seeds)
        {
            if (seed.request().apiKey() != ApiKeys.FETCH.id && seed.request().apiKey() != ApiKeys.JOIN_GROUP.id)
            {
                try (WireClient client = new WireClient(server.port()))
                {
                    client.send(seed.request(), seed.version());
                }
                catch (final IOException e)
                {
                    // acks=0 gets no answer: the socket times out, which is fine here.
                }
            }
        }
    }

    private static Void produceCanary(final TestServer server, final AtomicBoolean running, final ConcurrentLinkedQueue<Canary> acknowledged)
        throws Exception
    {
        final Semaphore inFlight = new Semaphore(8);
        final long intervalNanos = TimeUnit.SECONDS.toNanos(1) / CANARY_RECORDS_PER_SECOND;
        try (KafkaProducer<byte[], byte[]> producer = KafkaClientsTest.producer(server, Map.of(ProducerConfig.LINGER_MS_CONFIG, 0,
            ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000)))
        {
            long due = System.nanoTime();
            for (long sequence = 0; running.get(); sequence++)
            {
                // Paced, not waiting for anything: a steady client, whose records the test keeps
                // for the whole run (an unpaced one fills the heap of a ten-minute run).
                due += intervalNanos;
                LockSupport.parkNanos(due - System.nanoTime());
                inFlight.acquire();
                final long s = sequence;
                final byte[] value = ByteBuffer.allocate(16).putLong(s).putLong(System.nanoTime()).array();
                producer.send(new ProducerRecord<>(CANARY, (int)(s % CANARY_PARTITIONS), null, value), (metadata, failure) ->
                {
                    inFlight.release();
                    if (failure == null)
                    {
                        acknowledged.add(new Canary(metadata.partition(), metadata.offset(), s));
                    }
                });
            }
            producer.flush();
        }
        return null;
    }

    private static Void consumeCanary(final TestServer server, final AtomicBoolean consuming, final ConcurrentLinkedQueue<Canary> consumed,
        final ConcurrentLinkedQueue<Long> latenciesMicros)
    {
        try (KafkaConsumer<byte[], byte[]> consumer = KafkaClientsTest.consumer(server))
        {
            consumer.assign(KafkaClientsTest.partitions(CANARY, CANARY_PARTITIONS));
            while (consuming.get())
            {
                for (final ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100)))
                {
                    final ByteBuffer value = ByteBuffer.wrap(record.value());
                    final long sequence = value.getLong();
                    latenciesMicros.add(TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - value.getLong()));
                    consumed.add(new Canary(record.partition(), record.offset(), sequence));
                }
            }
        }
        return null;
    }

    /** Every acknowledged record read back at its offset, and each partition read in order, once. */
    private static void assertCanaryServed(final ConcurrentLinkedQueue<Canary> acknowledged, final ConcurrentLinkedQueue<Canary> consumed)
    {
        final Map<TopicPartition, List<Canary>> read = new java.util.HashMap<>();
        consumed.forEach(c -> read.computeIfAbsent(new TopicPartition(CANARY, c.partition()), p -> new ArrayList<>()).add(c));
        for (final List<Canary> partition : read.values())
        {
            for (int i = 0; i < partition.size(); i++)
            {
                assertEquals(i, partition.get(i).offset(), "a partition read in order, every offset once");
            }
        }
        for (final Canary record : acknowledged)
        {
            final List<Canary> partition = read.getOrDefault(new TopicPartition(CANARY, record.partition()), List.of());
            assertTrue(record.offset() < partition.size(), "acknowledged " + record + " read back");
            assertEquals(record, partition.get((int)record.offset()), "acknowledged " + record + " read back at its offset");
        }
    }

    private static void fuzz(final Random random, final int port, final List<Seed> seeds, final long deadline, final Counts counts)
        throws IOException
    {
        final List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < seeds.size(); i++)
        {
            frames.add(WireClient.frame(seeds.get(i).request(), seeds.get(i).version(), i));
        }
        final byte[] buffer = new byte[64 * 1024];
        while (System.nanoTime() < deadline)
        {
            counts.connections.incrementAndGet();
            try (Socket socket = new Socket("127.0.0.1", port))
            {
                socket.setSoTimeout(20);
                final OutputStream out = socket.getOutputStream();
                final InputStream in = socket.getInputStream();
                for (int f = 1 + random.nextInt(20); f > 0; f--)
                {
                    final byte[] seed = frames.get(random.nextInt(frames.size()));
                    final byte[] frame = safe(mutate(random, seed), seed);
                    try
                    {
                        out.write(frame);
                        out.flush();
                    }
                    catch (final IOException e)
                    {
                        counts.closedByServer.incrementAndGet();
                        break;
                    }
                    counts.frames.incrementAndGet();
                    final int outcome = drain(in, buffer);
                    if (outcome < 0)
                    {
                        counts.closedByServer.incrementAndGet();
                        break;
                    }
                    if (outcome > 0)
                    {
                        counts.answered.incrementAndGet();
                    }
                }
            }
        }
    }

    /** Silent and half-sent connections, each of which the server must close after the idle time. */
    private static void idleConnections(final Random random, final int port, final long deadline, final Counts counts) throws IOException
    {
        final byte[] buffer = new byte[1024];
        while (System.nanoTime() < deadline)
        {
            try (Socket silent = new Socket("127.0.0.1", port); Socket halfSent = new Socket("127.0.0.1", port))
            {
                counts.connections.addAndGet(2);
                final byte[] part = new byte[1 + random.nextInt(50)];
                random.nextBytes(part);
                halfSent.getOutputStream().write(ByteBuffer.allocate(4 + part.length).putInt(100 + part.length).put(part).array());
                for (final Socket socket : List.of(silent, halfSent))
                {
                    socket.setSoTimeout(IDLE_MS * 10);
                    final int read = socket.getInputStream().read(buffer);
                    assertEquals(-1, read, "an idle connection is closed, not answered");
                    counts.idleClosed.incrementAndGet();
                }
            }
            catch (final java.net.SocketException e)
            {
                counts.idleClosed.incrementAndGet();
            }
        }
    }

    /** @return -1 if the server closed the connection, else the bytes it sent within the timeout. */
    private static int drain(final InputStream in, final byte[] buffer) throws IOException
    {
        int total = 0;
        try
        {
            while (true)
            {
                final int read = in.read(buffer);
                if (read < 0)
                {
                    return -1;
                }
                total += read;
            }
        }
        catch (final SocketTimeoutException e)
        {
            return total;
        }
        catch (final java.net.SocketException e)
        {
            return -1;
        }
    }

    private static byte[] mutate(final Random random, final byte[] seed)
    {
        final byte[] frame = Arrays.copyOf(seed, seed.length);
        final ByteBuffer buffer = ByteBuffer.wrap(frame);
        switch (random.nextInt(9))
        {
            case 0 ->
            {
                // Random bytes behind a plausible size.
                final byte[] body = new byte[random.nextInt(300)];
                random.nextBytes(body);
                return ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).array();
            }
            case 1 ->
            {
                // Bit flips past the size.
                for (int i = 1 + random.nextInt(8); i > 0; i--)
                {
                    frame[4 + random.nextInt(frame.length - 4)] ^= (byte)(1 << random.nextInt(8));
                }
                return frame;
            }
            case 2 ->
            {
                // Cut short, with a size that says it is complete.
                final int cut = 4 + random.nextInt(frame.length - 4);
                final byte[] truncated = Arrays.copyOf(frame, cut);
                ByteBuffer.wrap(truncated).putInt(0, cut - 4);
                return truncated;
            }
            case 3 ->
            {
                // Extended with garbage, with a size that covers it.
                final byte[] extended = Arrays.copyOf(frame, frame.length + 1 + random.nextInt(64));
                for (int i = frame.length; i < extended.length; i++)
                {
                    extended[i] = (byte)random.nextInt(256);
                }
                ByteBuffer.wrap(extended).putInt(0, extended.length - 4);
                return extended;
            }
            case 4 ->
            {
                // A size that lies: negative, zero, huge, over the limit, or just off.
                final int[] sizes = {-1, Integer.MIN_VALUE, 0, Integer.MAX_VALUE, MAX_REQUEST + 1, frame.length - 4 + 1 + random.nextInt(16),
                    frame.length - 5};
                buffer.putInt(0, sizes[random.nextInt(sizes.length)]);
                return frame;
            }
            case 5 ->
            {
                // An API key or version nobody serves, or another API's key on this body.
                buffer.putShort(4 + random.nextInt(2) * 2, (short)(random.nextBoolean() ? random.nextInt(70) : random.nextInt(65536) - 32768));
                return frame;
            }
            case 6 ->
            {
                // A length or count field (int16, int32 or varint) made negative or huge.
                final int at = 8 + random.nextInt(frame.length - 12);
                final int[] ints = {-1, -2, Integer.MIN_VALUE, Integer.MAX_VALUE, 0x7fff, 0x8000, 0xffff, random.nextInt()};
                switch (random.nextInt(3))
                {
                    case 0 -> buffer.putShort(at, (short)ints[random.nextInt(ints.length)]);
                    case 1 -> buffer.putInt(at, ints[random.nextInt(ints.length)]);
                    default -> Arrays.fill(frame, at, Math.min(frame.length, at + 1 + random.nextInt(5)), (byte)0xff);
                }
                return frame;
            }
            case 7 ->
            {
                // A string's bytes replaced by garbage, its length kept.
                for (int i = 8 + random.nextInt(frame.length - 8), n = 1 + random.nextInt(6); n > 0 && i < frame.length; n--, i++)
                {
                    frame[i] = (byte)random.nextInt(256);
                }
                return frame;
            }
            default ->
            {
                return frame;   // valid, so some connections live a while
            }
        }
    }

    /**
     * @return the mutated frame, unless it would delete a topic the test uses (the canary must
     *         survive): then the unmutated seed, which never does.
     */
    private static byte[] safe(final byte[] frame, final byte[] seed)
    {
        final ByteBuffer buffer = ByteBuffer.wrap(frame);
        if (frame.length < 12 || buffer.getInt(0) != frame.length - 4)
        {
            return frame;
        }
        final short apiKey = buffer.getShort(4);
        if (apiKey != ApiKeys.DELETE_TOPICS.id)
        {
            return frame;
        }
        try
        {
            buffer.position(4);
            final RequestHeader header = RequestHeader.parse(buffer);
            final AbstractRequest request = AbstractRequest.parseRequest(header.apiKey(), header.apiVersion(), new ByteBufferAccessor(buffer)).request;
            if (request instanceof DeleteTopicsRequest delete && delete.topicNames().stream().anyMatch(n -> CANARY.equals(n) || "fz".equals(n)))
            {
                return seed;
            }
            return frame;
        }
        catch (final RuntimeException e)
        {
            return frame;   // the server cannot decode it either
        }
    }

    private static void printFigures(final Counts counts, final int canaryRecords, final ConcurrentLinkedQueue<Long> latenciesMicros)
    {
        final long[] latencies = latenciesMicros.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf("FrameFuzzTest: %d s, %d frames on %d connections (%d answered, %d refused, %d closed idle, %d topics created); canary: %d records, " +
            "produce-to-consume latency p50 %.1f ms, p99 %.1f ms, max %.1f ms%n", SECONDS, counts.frames.get(), counts.connections.get(),
            counts.answered.get(), counts.closedByServer.get(), counts.idleClosed.get(), counts.topicsCreated.get(), canaryRecords, percentile(latencies, 0.50) / 1000.0,
            percentile(latencies, 0.99) / 1000.0, latencies.length == 0 ? 0 : latencies[latencies.length - 1] / 1000.0);
    }

    private static double percentile(final long[] sorted, final double p)
    {
        return sorted.length == 0 ? 0 : sorted[(int)Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
    }
}
