package io.tidemark.runtime.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.tidemark.runtime.KafkaTopics;
import io.tidemark.runtime.SharedBrokers;
import io.tidemark.runtime.TidemarkBrokerProcess;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchRequestData.FetchPartition;
import org.apache.kafka.common.message.FetchRequestData.FetchTopic;
import org.apache.kafka.common.message.FetchRequestData.ForgottenTopic;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ResponseHeader;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Incremental fetch sessions (KIP-227), against {@code tidemark server} and Apache Kafka (the
 * oracle) with the same expectations: on the wire, by topic name (Fetch 12) and by topic id
 * (Fetch 13), a full fetch with epoch 0 creates a session, an incremental fetch answers only
 * the partitions that changed, forgets partitions, and is refused for a wrong epoch, an unknown
 * session or the other way of naming topics; a full fetch with epoch -1 is sessionless and
 * closes the session it names; an incremental fetch that names no partition still waits for
 * records in the session's and carries only their partition. Through kafka-clients, a consumer
 * of many partitions reads everything in order, and Tidemark's metrics show its fetches were
 * incremental. Tidemark's alone: a session of a deleted topic is told so, and the bound on the
 * partitions all sessions hold.
 */
class FetchSessionTest
{
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final int MAX_BYTES = 1 << 20;
    private static final Pattern SAMPLE = Pattern.compile("^(\\w+) (\\S+)$", Pattern.MULTILINE);

    @TempDir
    Path dataDir;

    /** One fetch's session fields and partitions (partition index to fetch offset) of one topic. */
    private record Fetch(int sessionId, int epoch, Map<Integer, Long> partitions, List<Integer> forgotten)
    {
    }

    private static FetchRequestData request(final Fetch fetch, final String topic, final Uuid id, final short version)
    {
        final FetchRequestData data = new FetchRequestData().setReplicaId(-1).setMaxWaitMs(0).setMinBytes(0).setMaxBytes(MAX_BYTES)
            .setSessionId(fetch.sessionId()).setSessionEpoch(fetch.epoch());
        if (!fetch.partitions().isEmpty())
        {
            final List<FetchPartition> partitions = new ArrayList<>();
            fetch.partitions().forEach((partition, offset) -> partitions.add(new FetchPartition().setPartition(partition).setFetchOffset(offset)
                .setPartitionMaxBytes(MAX_BYTES)));
            final FetchTopic fetchTopic = new FetchTopic().setPartitions(partitions);
            data.setTopics(List.of(version >= 13 ? fetchTopic.setTopicId(id) : fetchTopic.setTopic(topic)));
        }
        if (!fetch.forgotten().isEmpty())
        {
            final ForgottenTopic forgotten = new ForgottenTopic().setPartitions(fetch.forgotten());
            data.setForgottenTopicsData(List.of(version >= 13 ? forgotten.setTopicId(id) : forgotten.setTopic(topic)));
        }
        return data;
    }

    private static Map<Integer, Long> offsets(final long... offsets)
    {
        final Map<Integer, Long> byPartition = new HashMap<>();
        for (int p = 0; p < offsets.length; p++)
        {
            byPartition.put(p, offsets[p]);
        }
        return byPartition;
    }

    /** @return the partitions the response carries, checking each has no error. */
    private static Set<Integer> carried(final FetchResponseData response)
    {
        assertEquals(Errors.NONE.code(), response.errorCode());
        final Set<Integer> partitions = new TreeSet<>();
        for (final FetchResponseData.FetchableTopicResponse topic : response.responses())
        {
            for (final FetchResponseData.PartitionData partition : topic.partitions())
            {
                assertEquals(Errors.NONE.code(), partition.errorCode(), "partition " + partition.partitionIndex());
                partitions.add(partition.partitionIndex());
            }
        }
        return partitions;
    }

    private static FetchResponseData.PartitionData partition(final FetchResponseData response, final int index)
    {
        return response.responses().stream().flatMap(t -> t.partitions().stream()).filter(p -> p.partitionIndex() == index).findFirst()
            .orElseThrow();
    }

    private static void assertRefused(final Errors error, final FetchResponseData response)
    {
        assertEquals(error.code(), response.errorCode(), "top-level error");
        assertEquals(0, response.sessionId());
        assertTrue(response.responses().isEmpty(), "no partitions: " + response);
    }

    private static int port(final String bootstrap)
    {
        return Integer.parseInt(bootstrap.substring(bootstrap.lastIndexOf(':') + 1));
    }

    @ParameterizedTest
    @CsvSource({"tidemark, 12", "tidemark, 13", "kafka, 12", "kafka, 13"})
    void sessionsAreCreatedUpdatedForgottenAndRefusedAsKafkaDoes(final String broker, final short version) throws Exception
    {
        final String bootstrap = SharedBrokers.get(broker).bootstrap();
        final String topic = "fetch-session-rules-v" + version + "-" + broker;
        final Uuid id;
        try (Admin admin = SharedBrokers.admin(broker))
        {
            KafkaTopics.create(admin, KafkaTopics.topic(topic, 3, Map.of()));
            id = admin.describeTopics(List.of(topic)).allTopicNames().get(1, TimeUnit.MINUTES).get(topic).topicId();
        }
        final short other = (short)(version >= 13 ? 12 : 13);
        try (WireClient client = new WireClient(port(bootstrap)); KafkaProducer<String, String> producer = SharedBrokers.producer(broker))
        {
            // Sessionless (epoch -1): every partition, no session.
            FetchResponseData response = sessionless(client, topic, id, version);
            assertEquals(Set.of(0, 1, 2), carried(response));
            assertEquals(0, response.sessionId());

            // Epoch 0 creates a session; its full response carries every partition.
            final int session = createSession(client, topic, id, version).sessionId();

            // Only the partition with a new record.
            producer.send(new ProducerRecord<>(topic, 1, "k", "v")).get(1, TimeUnit.MINUTES);
            response = (FetchResponseData)client.send(request(new Fetch(session, 1, Map.of(), List.of()), topic, id, version), version);
            assertEquals(session, response.sessionId());
            assertEquals(Set.of(1), carried(response));
            assertTrue(partition(response, 1).records().sizeInBytes() > 0);
            assertEquals(1, partition(response, 1).highWatermark());

            // The client moves on; nothing changed, so nothing is carried.
            response = (FetchResponseData)client.send(request(new Fetch(session, 2, Map.of(1, 1L), List.of()), topic, id, version), version);
            assertEquals(Set.of(), carried(response));

            // A forgotten partition is not carried, however it changes.
            response = (FetchResponseData)client.send(request(new Fetch(session, 3, Map.of(), List.of(1)), topic, id, version), version);
            assertEquals(Set.of(), carried(response));
            producer.send(new ProducerRecord<>(topic, 1, "k", "v")).get(1, TimeUnit.MINUTES);
            producer.send(new ProducerRecord<>(topic, 2, "k", "v")).get(1, TimeUnit.MINUTES);
            response = (FetchResponseData)client.send(request(new Fetch(session, 4, Map.of(), List.of()), topic, id, version), version);
            assertEquals(Set.of(2), carried(response));

            // Refusals leave the session as it was.
            assertRefused(Errors.INVALID_FETCH_SESSION_EPOCH,
                (FetchResponseData)client.send(request(new Fetch(session, 9, Map.of(), List.of()), topic, id, version), version));
            assertRefused(Errors.FETCH_SESSION_TOPIC_ID_ERROR,
                (FetchResponseData)client.send(request(new Fetch(session, 5, Map.of(), List.of()), topic, id, other), other));
            assertRefused(Errors.FETCH_SESSION_ID_NOT_FOUND,
                (FetchResponseData)client.send(request(new Fetch(session == Integer.MAX_VALUE ? 1 : session + 1, 1, Map.of(), List.of()), topic, id,
                    version), version));
            assertRefused(Errors.FETCH_SESSION_ID_NOT_FOUND,
                (FetchResponseData)client.send(request(new Fetch(0, 3, Map.of(), List.of()), topic, id, version), version));
            assertRefused(Errors.FETCH_SESSION_ID_NOT_FOUND,
                (FetchResponseData)client.send(request(new Fetch(0, -5, Map.of(), List.of()), topic, id, version), version));
            response = (FetchResponseData)client.send(request(new Fetch(session, 5, Map.of(2, 1L), List.of()), topic, id, version), version);
            assertEquals(session, response.sessionId());
            assertEquals(Set.of(), carried(response));

            // Epoch -1 naming the session: a sessionless full fetch that closes it.
            response = (FetchResponseData)client.send(request(new Fetch(session, -1, offsets(0, 0, 0), List.of()), topic, id, version), version);
            assertEquals(0, response.sessionId());
            assertEquals(Set.of(0, 1, 2), carried(response));
            assertRefused(Errors.FETCH_SESSION_ID_NOT_FOUND,
                (FetchResponseData)client.send(request(new Fetch(session, 6, Map.of(), List.of()), topic, id, version), version));

            // Forgetting every partition closes a session too: answered without one.
            final int emptied = createSession(client, topic, id, version).sessionId();
            response = (FetchResponseData)client.send(request(new Fetch(emptied, 1, Map.of(), List.of(0, 1, 2)), topic, id, version), version);
            assertEquals(0, response.sessionId());
            assertEquals(Set.of(), carried(response));
            assertRefused(Errors.FETCH_SESSION_ID_NOT_FOUND,
                (FetchResponseData)client.send(request(new Fetch(emptied, 2, Map.of(), List.of()), topic, id, version), version));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tidemark", "kafka"})
    void anIncrementalFetchWaitsForRecordsAndCarriesOnlyTheirPartition(final String broker) throws Exception
    {
        final String bootstrap = SharedBrokers.get(broker).bootstrap();
        final String topic = "fetch-session-wait-" + broker;
        final short version = 12;
        try (Admin admin = SharedBrokers.admin(broker))
        {
            KafkaTopics.create(admin, KafkaTopics.topic(topic, 3, Map.of()));
        }
        try (WireClient client = new WireClient(port(bootstrap)); KafkaProducer<String, String> producer = SharedBrokers.producer(broker))
        {
            sessionless(client, topic, null, version);
            FetchResponseData response = createSession(client, topic, null, version);
            final int session = response.sessionId();
            // It names no partition, yet waits (up to 10 s) for a byte in any of the session's.
            final FetchRequestData waiting = request(new Fetch(session, 1, Map.of(), List.of()), topic, null, version).setMaxWaitMs(10_000)
                .setMinBytes(1);
            client.sendRaw(WireClient.frame(waiting, version, 1_000));
            producer.send(new ProducerRecord<>(topic, 2, "k", "v")).get(1, TimeUnit.MINUTES);
            final ByteBuffer frame = client.readFrame();
            ResponseHeader.parse(frame, ApiKeys.FETCH.responseHeaderVersion(version));
            response = new FetchResponseData();
            response.read(new ByteBufferAccessor(frame), version);
            assertEquals(Set.of(2), carried(response));
            assertTrue(partition(response, 2).records().sizeInBytes() > 0);
        }
    }

    /**
     * Two fetches of one session in flight (a client's two connections): the one waiting at
     * epoch 1, once a fetch at epoch 2 moved the session on, is answered as a stale epoch, with
     * nothing of the other's offsets, and tells the session nothing, so the next fetch still
     * carries the new record.
     */
    @Test
    void aWaitingFetchOvertakenByALaterEpochIsAnsweredStale() throws Exception
    {
        final String bootstrap = SharedBrokers.get("tidemark").bootstrap();
        final String topic = "fetch-session-overtaken";
        final short version = 12;
        try (Admin admin = SharedBrokers.admin("tidemark"))
        {
            KafkaTopics.create(admin, KafkaTopics.topic(topic, 3, Map.of()));
        }
        try (WireClient first = new WireClient(port(bootstrap)); WireClient second = new WireClient(port(bootstrap));
            KafkaProducer<String, String> producer = SharedBrokers.producer("tidemark"))
        {
            final int session = createSession(first, topic, null, version).sessionId();
            first.sendRaw(WireClient.frame(request(new Fetch(session, 1, Map.of(), List.of()), topic, null, version).setMaxWaitMs(20_000)
                .setMinBytes(1), version, 1_000));
            // Epoch 2 is accepted only once the waiting fetch took epoch 1.
            final FetchRequestData moved = request(new Fetch(session, 2, Map.of(0, 0L), List.of()), topic, null, version);
            final long deadline = System.nanoTime() + DEADLINE.toNanos();
            FetchResponseData response = (FetchResponseData)second.send(moved, version);
            while (response.errorCode() == Errors.INVALID_FETCH_SESSION_EPOCH.code())
            {
                assertTrue(System.nanoTime() < deadline, "the waiting fetch took epoch 1");
                Thread.sleep(20);
                response = (FetchResponseData)second.send(moved, version);
            }
            assertEquals(session, response.sessionId());
            assertEquals(Set.of(), carried(response));

            producer.send(new ProducerRecord<>(topic, 2, "k", "v")).get(1, TimeUnit.MINUTES);
            final ByteBuffer frame = first.readFrame();
            ResponseHeader.parse(frame, ApiKeys.FETCH.responseHeaderVersion(version));
            response = new FetchResponseData();
            response.read(new ByteBufferAccessor(frame), version);
            // As Kafka: the error, no partitions, and the session's id.
            assertEquals(Errors.INVALID_FETCH_SESSION_EPOCH.code(), response.errorCode());
            assertEquals(session, response.sessionId());
            assertTrue(response.responses().isEmpty(), "no partitions: " + response);

            response = (FetchResponseData)second.send(request(new Fetch(session, 3, Map.of(), List.of()), topic, null, version), version);
            assertEquals(Set.of(2), carried(response));
            assertTrue(partition(response, 2).records().sizeInBytes() > 0);
        }
    }

    /**
     * A session carries what moves under it without its client asking: the log start offset
     * after DeleteRecords, a partition CreatePartitions added once the client names it, and a
     * read-committed fetch's last stable offset when a transaction commits.
     */
    @ParameterizedTest
    @ValueSource(strings = {"tidemark", "kafka"})
    void aSessionCarriesLogStartPartitionsAddedAndTheLastStableOffset(final String broker) throws Exception
    {
        final String bootstrap = SharedBrokers.get(broker).bootstrap();
        final String topic = "fetch-session-moves-" + broker;
        final short version = 12;
        try (Admin admin = SharedBrokers.admin(broker); WireClient client = new WireClient(port(bootstrap));
            KafkaProducer<String, String> producer = SharedBrokers.producer(broker))
        {
            KafkaTopics.create(admin, KafkaTopics.topic(topic, 3, Map.of()));
            sessionless(client, topic, null, version);
            final int session = createSession(client, topic, null, version).sessionId();
            int epoch = 1;
            producer.send(new ProducerRecord<>(topic, 0, "k", "v")).get(1, TimeUnit.MINUTES);
            producer.send(new ProducerRecord<>(topic, 0, "k", "v")).get(1, TimeUnit.MINUTES);
            FetchResponseData response = (FetchResponseData)client.send(request(new Fetch(session, epoch++, Map.of(0, 2L), List.of()), topic, null,
                version), version);
            assertEquals(Set.of(0), carried(response));

            admin.deleteRecords(Map.of(new TopicPartition(topic, 0), RecordsToDelete.beforeOffset(1))).all().get(1, TimeUnit.MINUTES);
            response = (FetchResponseData)client.send(request(new Fetch(session, epoch++, Map.of(), List.of()), topic, null, version), version);
            assertEquals(Set.of(0), carried(response), "the log start offset moved");
            assertEquals(1, partition(response, 0).logStartOffset());

            admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(4))).all().get(1, TimeUnit.MINUTES);
            KafkaTopics.awaitLeaders(admin, topic);
            final long deadline = System.nanoTime() + DEADLINE.toNanos();
            do
            {
                assertTrue(System.nanoTime() < deadline, "partition 3 led");
                response = (FetchResponseData)client.send(request(new Fetch(session, epoch++, Map.of(3, 0L), List.of()), topic, null, version),
                    version);
            }
            while (notLed(response));
            assertEquals(Set.of(3), carried(response), "the added partition, new to the session");

            try (KafkaProducer<String, String> transactional = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, topic), new StringSerializer(), new StringSerializer()))
            {
                transactional.initTransactions();
                transactional.beginTransaction();
                transactional.send(new ProducerRecord<>(topic, 1, "k", "v")).get(1, TimeUnit.MINUTES);
                response = (FetchResponseData)client.send(request(new Fetch(session, epoch++, Map.of(), List.of()), topic, null, version)
                    .setIsolationLevel(IsolationLevel.READ_COMMITTED.id()), version);
                assertEquals(Set.of(1), carried(response), "the high watermark moved");
                assertEquals(0, partition(response, 1).lastStableOffset(), "the open transaction holds the last stable offset");
                assertEquals(0, partition(response, 1).records().sizeInBytes(), "nothing committed to read");
                transactional.commitTransaction();
            }
            // The marker may land a moment after the commit returns.
            long lastStable = 0;
            while (lastStable != 2)
            {
                assertTrue(System.nanoTime() < deadline, "the commit moved the last stable offset");
                response = (FetchResponseData)client.send(request(new Fetch(session, epoch++, Map.of(), List.of()), topic, null, version)
                    .setIsolationLevel(IsolationLevel.READ_COMMITTED.id()), version);
                if (carried(response).contains(1))
                {
                    lastStable = partition(response, 1).lastStableOffset();
                }
            }
            assertTrue(partition(response, 1).records().sizeInBytes() > 0, "the committed record");
        }
    }

    /** A session whose topic is deleted: its partitions are carried with the error, as a sessionless fetch's would be. */
    @ParameterizedTest
    @ValueSource(shorts = {12, 13})
    void aSessionOfADeletedTopicIsToldSo(final short version) throws Exception
    {
        final String bootstrap = SharedBrokers.get("tidemark").bootstrap();
        final String topic = "fetch-session-deleted-v" + version;
        final Uuid id;
        try (Admin admin = SharedBrokers.admin("tidemark"))
        {
            KafkaTopics.create(admin, KafkaTopics.topic(topic, 3, Map.of()));
            id = admin.describeTopics(List.of(topic)).allTopicNames().get(1, TimeUnit.MINUTES).get(topic).topicId();
            try (WireClient client = new WireClient(port(bootstrap)))
            {
                final FetchResponseData created = createSession(client, topic, id, version);
                admin.deleteTopics(List.of(topic)).all().get(1, TimeUnit.MINUTES);
                final FetchResponseData response = (FetchResponseData)client.send(request(new Fetch(created.sessionId(), 1, Map.of(), List.of()),
                    topic, id, version), version);
                final Errors expected = version >= 13 ? Errors.UNKNOWN_TOPIC_ID : Errors.UNKNOWN_TOPIC_OR_PARTITION;
                for (int p = 0; p < 3; p++)
                {
                    assertEquals(expected.code(), partition(response, p).errorCode(), "partition " + p);
                }
            }
        }
    }

    /**
     * @return a sessionless fetch of partitions 0-2, sent until none answers NOT_LEADER_OR_FOLLOWER: Kafka's broker may
     *         lead a new topic's partitions a moment after its controller describes them with a leader, each at its own time.
     */
    private static FetchResponseData sessionless(final WireClient client, final String topic, final Uuid id, final short version) throws Exception
    {
        return untilLed(client, request(new Fetch(0, -1, offsets(0, 0, 0), List.of()), topic, id, version), version);
    }

    /** @return the response to the fetch, sent again while a partition answers NOT_LEADER_OR_FOLLOWER, up to the deadline. */
    private static FetchResponseData untilLed(final WireClient client, final FetchRequestData fetch, final short version) throws Exception
    {
        final long deadline = System.nanoTime() + DEADLINE.toNanos();
        FetchResponseData response = (FetchResponseData)client.send(fetch, version);
        while (notLed(response))
        {
            assertTrue(System.nanoTime() < deadline, "every partition led: " + response);
            Thread.sleep(20);
            response = (FetchResponseData)client.send(fetch, version);
        }
        return response;
    }

    private static boolean notLed(final FetchResponseData response)
    {
        return response.responses().stream().flatMap(t -> t.partitions().stream())
            .anyMatch(p -> p.errorCode() == Errors.NOT_LEADER_OR_FOLLOWER.code());
    }

    /** @return the response of a full fetch with epoch 0 of partitions 0-2, checked to carry all three and a session id. */
    private static FetchResponseData createSession(final WireClient client, final String topic, final Uuid id, final short version) throws Exception
    {
        // A retry while a partition is not yet led opens another session; the one answered last is the one used.
        final FetchResponseData response = untilLed(client, request(new Fetch(0, 0, offsets(0, 0, 0), List.of()), topic, id, version), version);
        assertEquals(Set.of(0, 1, 2), carried(response));
        assertNotEquals(0, response.sessionId());
        return response;
    }

    /**
     * A session by name (Fetch 12) across its topic's deletion and creation under the same
     * name: the fetch past the new log's end is out of range, and once its client starts that
     * partition over, it reads the new topic's records.
     */
    @Test
    void aSessionByNameFollowsItsTopicDeletedAndCreatedAgain() throws Exception
    {
        final String bootstrap = SharedBrokers.get("tidemark").bootstrap();
        final String topic = "fetch-session-recreated";
        final short version = 12;
        try (Admin admin = SharedBrokers.admin("tidemark"); WireClient client = new WireClient(port(bootstrap)))
        {
            KafkaTopics.create(admin, KafkaTopics.topic(topic, 3, Map.of()));
            final int session = createSession(client, topic, null, version).sessionId();
            try (KafkaProducer<String, String> producer = SharedBrokers.producer("tidemark"))
            {
                producer.send(new ProducerRecord<>(topic, 0, "k", "old")).get(1, TimeUnit.MINUTES);
            }
            FetchResponseData response = (FetchResponseData)client.send(request(new Fetch(session, 1, Map.of(0, 1L), List.of()), topic, null,
                version), version);
            assertEquals(Set.of(0), carried(response));

            admin.deleteTopics(List.of(topic)).all().get(1, TimeUnit.MINUTES);
            KafkaTopics.create(admin, KafkaTopics.topic(topic, 3, Map.of()));
            response = (FetchResponseData)client.send(request(new Fetch(session, 2, Map.of(), List.of()), topic, null, version), version);
            assertEquals(session, response.sessionId());
            assertEquals(Errors.OFFSET_OUT_OF_RANGE.code(), partition(response, 0).errorCode());

            // A new producer: the old one's metadata is of the deleted topic.
            try (KafkaProducer<String, String> again = SharedBrokers.producer("tidemark"))
            {
                again.send(new ProducerRecord<>(topic, 0, "k", "new")).get(1, TimeUnit.MINUTES);
            }
            response = (FetchResponseData)client.send(request(new Fetch(session, 3, Map.of(0, 0L), List.of()), topic, null, version), version);
            assertEquals(Set.of(0), carried(response));
            assertEquals(1, partition(response, 0).highWatermark());
            assertTrue(partition(response, 0).records().sizeInBytes() > 0, "the new topic's record");
        }
    }

    /** Tidemark's own bound on the partitions all sessions hold: past it, fetches go on without a session. */
    @Test
    void sessionsStayWithinThePartitionBound() throws Exception
    {
        final String topic = "fetch-session-bound";
        try (TestServer server = TestServer.start(dataDir, Map.of(BrokerConfig.FETCH_SESSION_CACHE_MAX_PARTITIONS, "4"));
            Admin admin = Admin.create(Map.of("bootstrap.servers", server.bootstrap()));
            WireClient client = new WireClient(server.port()))
        {
            KafkaTopics.create(admin, KafkaTopics.topic(topic, 5, Map.of()));
            final short version = 12;
            final int session = createSession(client, topic, null, version).sessionId();

            // Growing to 5 would pass the bound: the session goes, and the client starts over.
            assertRefused(Errors.FETCH_SESSION_ID_NOT_FOUND, (FetchResponseData)client.send(request(new Fetch(session, 1, Map.of(3, 0L, 4, 0L),
                List.of()), topic, null, version), version));
            assertRefused(Errors.FETCH_SESSION_ID_NOT_FOUND,
                (FetchResponseData)client.send(request(new Fetch(session, 2, Map.of(), List.of()), topic, null, version), version));
            // A full fetch of 5 gets no session, but every partition.
            final FetchResponseData response = (FetchResponseData)client.send(request(new Fetch(0, 0, offsets(0, 0, 0, 0, 0), List.of()), topic, null,
                version), version);
            assertEquals(0, response.sessionId());
            assertEquals(Set.of(0, 1, 2, 3, 4), carried(response));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tidemark", "kafka"})
    void aConsumerOfManyPartitionsReadsEverythingInOrder(final String broker) throws Exception
    {
        final int partitions = 64;
        final int perPartition = 20;
        final String bootstrap = SharedBrokers.get(broker).bootstrap();
        final String topic = "fetch-session-consumer-" + broker;
        try (Admin admin = SharedBrokers.admin(broker); WireClient client = new WireClient(port(bootstrap)))
        {
            KafkaTopics.create(admin, KafkaTopics.topic(topic, partitions, Map.of()));
            // Every partition led by the broker, not only described with a leader, before anything is produced.
            untilLed(client, request(new Fetch(0, -1, offsets(new long[partitions]), List.of()), topic, null, (short)12), (short)12);
        }
        final Map<String, Double> before = broker.equals("tidemark") ? metrics() : Map.of();
        try (KafkaProducer<String, String> producer = SharedBrokers.producer(broker);
            KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "100"), new StringDeserializer(), new StringDeserializer()))
        {
            final List<TopicPartition> assigned = new ArrayList<>();
            for (int p = 0; p < partitions; p++)
            {
                assigned.add(new TopicPartition(topic, p));
            }
            consumer.assign(assigned);
            final Map<Integer, List<String>> read = new HashMap<>();
            // First half, then the second half while the consumer's session is established.
            produce(producer, topic, partitions, 0, perPartition / 2);
            consume(consumer, read, partitions * perPartition / 2);
            produce(producer, topic, partitions, perPartition / 2, perPartition);
            consume(consumer, read, partitions * perPartition);
            for (int p = 0; p < partitions; p++)
            {
                final List<String> expected = new ArrayList<>();
                for (int i = 0; i < perPartition; i++)
                {
                    expected.add(p + "-" + i);
                }
                assertEquals(expected, read.get(p), "partition " + p + " complete and in order");
            }
        }
        if (broker.equals("tidemark"))
        {
            final Map<String, Double> after = metrics();
            assertTrue(delta(before, after, "tidemark_fetch_sessions_created_total") >= 1, "the consumer's first fetch created a session");
            assertTrue(delta(before, after, "tidemark_fetch_incremental_total") >= 2, "later fetches were incremental");
            assertTrue(delta(before, after, "tidemark_fetch_incremental_partitions_left_out_total") >= partitions,
                "incremental responses left unchanged partitions out");
        }
    }

    private static void produce(final KafkaProducer<String, String> producer, final String topic, final int partitions, final int from,
        final int to) throws Exception
    {
        final List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (int i = from; i < to; i++)
        {
            for (int p = 0; p < partitions; p++)
            {
                sent.add(producer.send(new ProducerRecord<>(topic, p, null, p + "-" + i)));
            }
        }
        producer.flush();
        for (final Future<RecordMetadata> record : sent)
        {
            // A record the producer gave up on would otherwise pass for one the consumer missed.
            record.get(1, TimeUnit.MINUTES);
        }
    }

    private static void consume(final KafkaConsumer<String, String> consumer, final Map<Integer, List<String>> read, final int total)
    {
        final long deadline = System.nanoTime() + DEADLINE.toNanos();
        int count = read.values().stream().mapToInt(List::size).sum();
        while (count < total && System.nanoTime() < deadline)
        {
            for (final ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200)))
            {
                read.computeIfAbsent(record.partition(), p -> new ArrayList<>()).add(record.value());
                count++;
            }
        }
        assertEquals(total, count, "records consumed");
    }

    private static double delta(final Map<String, Double> before, final Map<String, Double> after, final String name)
    {
        return after.getOrDefault(name, 0.0) - before.getOrDefault(name, 0.0);
    }

    /** @return the shared Tidemark server's metrics without labels, by name. */
    private static Map<String, Double> metrics() throws Exception
    {
        final String api = ((TidemarkBrokerProcess)SharedBrokers.get("tidemark")).httpApi();
        final String url = api.substring(0, api.length() - "/api".length()) + "/metrics";
        final HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        final Map<String, Double> samples = new HashMap<>();
        final Matcher matcher = SAMPLE.matcher(response.body());
        while (matcher.find())
        {
            samples.put(matcher.group(1), Double.parseDouble(matcher.group(2)));
        }
        return samples;
    }
}
