package io.tidemark.runtime.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The HTTP API of a real server, with Kafka's own clients writing what it shows: topics and
 * their offsets, groups and their lag; and the HTTP side itself: unknown paths, wrong methods,
 * malformed and oversized bodies, requests in pieces, pipelined requests on one connection.
 */
class HttpApiTest
{
    @TempDir
    Path dataDir;

    private TestApi api;

    @BeforeEach
    void start()
    {
        api = new TestApi(dataDir);
    }

    @AfterEach
    void stop()
    {
        api.close();
    }

    private Properties clientProperties()
    {
        final Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, api.bootstrap());
        return properties;
    }

    private KafkaProducer<byte[], byte[]> producer(final Map<String, Object> overrides)
    {
        final Properties properties = clientProperties();
        properties.putAll(overrides);
        return new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private void createTopic(final String name, final int partitions, final Map<String, String> configs) throws Exception
    {
        try (Admin admin = Admin.create(clientProperties()))
        {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short)1).configs(configs))).all().get(30, TimeUnit.SECONDS);
        }
    }

    private void produce(final String topic, final int partition, final int records) throws Exception
    {
        try (KafkaProducer<byte[], byte[]> producer = producer(Map.of()))
        {
            for (int i = 0; i < records; i++)
            {
                producer.send(new ProducerRecord<>(topic, partition, null, ("record-" + i).getBytes(StandardCharsets.UTF_8))).get(30, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void theOverviewNamesTheKafkaListenerAndCountsTopicsAndGroups() throws Exception
    {
        final JsonNode before = api.get("/api").json();
        assertEquals("tidemark", before.path("name").asText());
        assertEquals(api.bootstrap(), before.path("kafka").asText());
        assertFalse(before.path("version").asText().isEmpty());
        assertTrue(before.has("jobs"), before.toString());
        assertTrue(before.path("serverTimeMs").asLong() >= before.path("startedAtMs").asLong(), before.toString());
        final int topics = before.path("topics").asInt();

        createTopic("overview", 1, Map.of());
        final TestApi.Answer after = api.get("/api/");
        assertEquals(200, after.status());
        assertEquals(topics + 1, after.json().path("topics").asInt(), after.json().toString());
        assertEquals("application/json; charset=utf-8", after.response().headers().firstValue("content-type").orElseThrow());
    }

    /**
     * Offsets as the log has them: the log end after each partition's records, a last stable
     * offset held back by an open transaction, the configuration with the topic's own keys.
     */
    @Test
    void aTopicShowsEachPartitionsOffsetsSizeAndConfiguration() throws Exception
    {
        createTopic("orders", 3, Map.of("retention.ms", "3600000"));
        produce("orders", 0, 10);
        produce("orders", 2, 4);
        try (KafkaProducer<byte[], byte[]> transactional = producer(Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "open-txn")))
        {
            transactional.initTransactions();
            transactional.beginTransaction();
            for (int i = 0; i < 3; i++)
            {
                transactional.send(new ProducerRecord<>("orders", 1, null, new byte[] {(byte)i})).get(30, TimeUnit.SECONDS);
            }

            final TestApi.Answer answer = api.get("/api/topics/orders");
            assertEquals(200, answer.status(), answer.json().toString());
            final JsonNode topic = answer.json();
            assertEquals("orders", topic.path("name").asText());
            final JsonNode partitions = topic.path("partitions");
            assertEquals(3, partitions.size());
            assertPartition(partitions.get(0), 0, 0, 10, 10);
            assertPartition(partitions.get(1), 1, 0, 3, 0);
            assertPartition(partitions.get(2), 2, 0, 4, 4);
            assertTrue(partitions.get(0).path("sizeBytes").asLong() > 0, partitions.toString());
            assertEquals("3600000", topic.path("configs").path("retention.ms").asText(), topic.toString());
            assertEquals("3600000", topic.path("overrides").path("retention.ms").asText(), topic.toString());
            assertTrue(topic.path("configs").has("segment.bytes"), "the defaults too: " + topic);
            transactional.abortTransaction();
        }

        final JsonNode list = api.get("/api/topics").json().path("topics");
        JsonNode orders = null;
        for (final JsonNode topic : list)
        {
            if (topic.path("name").asText().equals("orders"))
            {
                orders = topic;
            }
        }
        assertTrue(orders != null, list.toString());
        assertEquals(3, orders.path("partitions").asInt());
        assertFalse(orders.path("internal").asBoolean());
        assertTrue(orders.path("records").asLong() >= 17, "10 + 4 + 3 and the abort marker: " + orders);

        final TestApi.Answer unknown = api.get("/api/topics/no-such-topic");
        assertEquals(404, unknown.status());
        assertEquals("no topic 'no-such-topic'", unknown.error());
    }

    private static void assertPartition(final JsonNode partition, final int number, final long start, final long end, final long stable)
    {
        assertEquals(number, partition.path("partition").asInt(), partition.toString());
        assertEquals(start, partition.path("logStartOffset").asLong(), partition.toString());
        assertEquals(end, partition.path("logEndOffset").asLong(), partition.toString());
        assertEquals(stable, partition.path("lastStableOffset").asLong(), partition.toString());
    }

    /**
     * A consumer that has committed everything has no lag; records produced after its commit
     * are its lag, per partition and in total, while it is still a member with its assignment.
     */
    @Test
    void aGroupShowsItsMembersCommittedOffsetsAndLag() throws Exception
    {
        createTopic("clicks", 2, Map.of());
        produce("clicks", 0, 6);
        produce("clicks", 1, 4);
        final Properties properties = clientProperties();
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "reports");
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, "report-writer");
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer()))
        {
            consumer.subscribe(List.of("clicks"));
            int read = 0;
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (read < 10)
            {
                assertTrue(System.nanoTime() < deadline, "read " + read + " of 10 records within 60 s");
                read += consumer.poll(Duration.ofMillis(200)).count();
            }
            consumer.commitSync();

            final JsonNode caughtUp = api.get("/api/groups/reports").json();
            assertEquals(0, caughtUp.path("totalLag").asLong(), caughtUp.toString());
            assertEquals(6, offsetsOf(caughtUp, "clicks", 0).path("committedOffset").asLong(), caughtUp.toString());

            produce("clicks", 0, 5);
            produce("clicks", 1, 2);
            final TestApi.Answer answer = api.get("/api/groups/reports");
            assertEquals(200, answer.status());
            final JsonNode group = answer.json();
            assertEquals("Stable", group.path("state").asText(), group.toString());
            assertEquals("consumer", group.path("protocolType").asText());
            assertEquals(1, group.path("members").size(), group.toString());
            final JsonNode member = group.path("members").get(0);
            assertEquals("report-writer", member.path("clientId").asText());
            assertEquals("/127.0.0.1", member.path("clientHost").asText(), "Kafka's form of the address");
            try (Admin admin = Admin.create(clientProperties()))
            {
                final MemberDescription described = admin.describeConsumerGroups(List.of("reports")).all().get(30, TimeUnit.SECONDS)
                    .get("reports").members().iterator().next();
                assertEquals("/127.0.0.1", described.host(), "DescribeGroups gives the same host");
            }
            assertEquals(2, member.path("assignment").size(), member.toString());
            assertLag(offsetsOf(group, "clicks", 0), 6, 11, 5);
            assertLag(offsetsOf(group, "clicks", 1), 4, 6, 2);
            assertEquals(7, group.path("totalLag").asLong());

            JsonNode listed = null;
            for (final JsonNode g : api.get("/api/groups").json().path("groups"))
            {
                if (g.path("groupId").asText().equals("reports"))
                {
                    listed = g;
                }
            }
            assertTrue(listed != null);
            assertEquals(7, listed.path("totalLag").asLong(), listed.toString());
            assertEquals(1, listed.path("members").asInt(), listed.toString());
        }
        final TestApi.Answer unknown = api.get("/api/groups/nobody");
        assertEquals(404, unknown.status());
        assertEquals("no group 'nobody'", unknown.error());
    }

    private static JsonNode offsetsOf(final JsonNode group, final String topic, final int partition)
    {
        for (final JsonNode offsets : group.path("offsets"))
        {
            if (offsets.path("topic").asText().equals(topic) && offsets.path("partition").asInt() == partition)
            {
                return offsets;
            }
        }
        throw new AssertionError("no offsets of " + topic + "-" + partition + " in " + group);
    }

    private static void assertLag(final JsonNode offsets, final long committed, final long logEnd, final long lag)
    {
        assertEquals(committed, offsets.path("committedOffset").asLong(), offsets.toString());
        assertEquals(logEnd, offsets.path("logEndOffset").asLong(), offsets.toString());
        assertEquals(lag, offsets.path("lag").asLong(), offsets.toString());
    }

    @Test
    void unknownPathsAndWrongMethodsAreRefusedInOneLine() throws Exception
    {
        final TestApi.Answer unknown = api.get("/api/nothing/here");
        assertEquals(404, unknown.status());
        assertEquals("no such path: /api/nothing/here", unknown.error());
        assertEquals(404, api.get("/index.html").status());

        final TestApi.Answer delete = api.send("DELETE", "/api/topics");
        assertEquals(405, delete.status());
        assertEquals("GET", delete.response().headers().firstValue("allow").orElseThrow());
        assertTrue(delete.error().startsWith("DELETE is not allowed on /api/topics"), delete.error());

        final TestApi.Answer jobs = api.send("PUT", "/api/jobs");
        assertEquals(405, jobs.status());
        assertEquals("GET, POST", jobs.response().headers().firstValue("allow").orElseThrow());
    }

    @Test
    void aMalformedBodyIsRefusedWithTheReason() throws Exception
    {
        final TestApi.Answer broken = api.post("/api/jobs", "{\"builtin\": ");
        assertEquals(400, broken.status());
        assertTrue(broken.error().startsWith("malformed JSON: "), broken.error());
        assertFalse(broken.error().contains("\n"), broken.error());

        final TestApi.Answer notAnObject = api.post("/api/jobs", "[1, 2]");
        assertEquals(400, notAnObject.status());
        assertEquals("the body must be a JSON object", notAnObject.error());
        assertEquals(200, api.get("/api").status(), "the server carries on");
    }

    /** A body declared too large is refused before it is read, and the connection closed. */
    @Test
    void aBodyOverTheLimitIsRefusedWith413() throws Exception
    {
        try (RawHttp http = new RawHttp(api.httpPort()))
        {
            http.send("POST /api/jobs HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: " + (HttpApi.MAX_JSON_BYTES + 1) + "\r\n\r\n");
            final RawHttp.Response response = http.read();
            assertEquals(413, response.status());
            assertEquals("the body is larger than " + HttpApi.MAX_JSON_BYTES + " bytes", response.json().path("error").asText());
            assertTrue(http.closedByServer());
        }
        try (RawHttp http = new RawHttp(api.httpPort()))
        {
            http.send("POST /api/jars HTTP/1.1\r\nHost: x\r\nContent-Length: " + (HttpApi.MAX_JAR_BYTES + 1) + "\r\n\r\n");
            assertEquals(413, http.read().status());
        }
        // Chunked: the size is known only as the chunks arrive.
        try (RawHttp http = new RawHttp(api.httpPort()))
        {
            http.send("POST /api/jobs HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
            final int chunk = HttpApi.MAX_JSON_BYTES / 4 + 1;
            for (int i = 0; i < 4; i++)
            {
                http.send(Integer.toHexString(chunk) + "\r\n" + " ".repeat(chunk) + "\r\n");
            }
            final RawHttp.Response response = http.read();
            assertEquals(413, response.status());
            assertTrue(http.closedByServer());
        }
        assertEquals(200, api.get("/api").status());
    }

    @Test
    void aRequestSplitOverManyWritesIsAnsweredWhole() throws Exception
    {
        createTopic("pieces", 1, Map.of());
        final String request = "GET /api/topics/pieces HTTP/1.1\r\nHost: x\r\n\r\n";
        try (RawHttp http = new RawHttp(api.httpPort()))
        {
            for (int i = 0; i < request.length(); i += 3)
            {
                http.send(request.substring(i, Math.min(request.length(), i + 3)));
            }
            final RawHttp.Response response = http.read();
            assertEquals(200, response.status());
            assertEquals("pieces", response.json().path("name").asText());

            // A body in pieces too, and the same connection kept for it.
            final String body = "{\"builtin\": ";
            http.send("POST /api/jobs HTTP/1.1\r\nHost: x\r\nContent-Length: " + body.length() + "\r\n\r\n");
            for (final char c : body.toCharArray())
            {
                http.send(String.valueOf(c));
            }
            final RawHttp.Response malformed = http.read();
            assertEquals(400, malformed.status());
            assertTrue(malformed.json().path("error").asText().startsWith("malformed JSON"), malformed.json().toString());
        }
    }

    /** Pipelined requests are answered in their order on the kept-alive connection; Connection: close is honoured. */
    @Test
    void pipelinedRequestsAreAnsweredInOrderOnOneConnection() throws Exception
    {
        createTopic("first", 1, Map.of());
        createTopic("second", 1, Map.of());
        try (RawHttp http = new RawHttp(api.httpPort()))
        {
            http.send("GET /api/topics/first HTTP/1.1\r\nHost: x\r\n\r\nGET /api/nothing HTTP/1.1\r\nHost: x\r\n\r\n" +
                "GET /api/topics/second HTTP/1.1\r\nHost: x\r\n\r\n");
            final RawHttp.Response first = http.read();
            final RawHttp.Response missing = http.read();
            final RawHttp.Response second = http.read();
            assertEquals("first", first.json().path("name").asText());
            assertEquals(404, missing.status());
            assertEquals("second", second.json().path("name").asText());

            // Many at once (fewer than the 128 unanswered requests Netty's codec allows): an
            // answer that is ready early must still wait for those before it.
            final StringBuilder many = new StringBuilder();
            for (int i = 0; i < 120; i++)
            {
                many.append(i % 3 == 2 ? "GET /api/nothing" : "GET /api/topics/" + (i % 3 == 0 ? "first" : "second")).append(" HTTP/1.1\r\nHost: x\r\n\r\n");
            }
            http.send(many.toString());
            for (int i = 0; i < 120; i++)
            {
                final RawHttp.Response response;
                try
                {
                    response = http.read();
                }
                catch (final IOException e)
                {
                    throw new IOException("answer " + i + ": " + e.getMessage(), e);
                }
                if (i % 3 == 2)
                {
                    assertEquals(404, response.status(), "answer " + i);
                }
                else
                {
                    assertEquals(i % 3 == 0 ? "first" : "second", response.json().path("name").asText(), "answer " + i);
                }
            }

            http.send("GET /api HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            final RawHttp.Response last = http.read();
            assertEquals(200, last.status());
            assertEquals("close", last.headers().get("connection"));
            assertTrue(http.closedByServer());
        }
    }

    @Test
    void aHalfSentRequestIsClosedAfterTheIdleTimeout(@TempDir final Path otherDir) throws Exception
    {
        try (TestApi quick = new TestApi(otherDir, Map.of("connections.max.idle.ms", "300")); RawHttp http = new RawHttp(quick.httpPort()))
        {
            http.send("GET /api HTTP/1.1\r\nHost: x\r\n");
            assertTrue(http.closedByServer(), "closed, not left waiting for the rest");
        }
    }

    @Test
    void aMalformedRequestIsRefusedAndTheConnectionClosed() throws Exception
    {
        try (RawHttp http = new RawHttp(api.httpPort()))
        {
            http.send("GET /api HTTP/1.1\r\nHost: x\r\nContent-Length: lots\r\n\r\n");
            final RawHttp.Response response = http.read();
            assertEquals(400, response.status());
            assertTrue(response.json().path("error").asText().startsWith("malformed HTTP request"), response.json().toString());
            assertTrue(http.closedByServer());
        }
        // A chunk whose size is not hex: the body is broken, and nothing of it is acted on.
        try (RawHttp http = new RawHttp(api.httpPort()))
        {
            http.send("POST /api/jobs HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\nzz\r\n");
            final RawHttp.Response response = http.read();
            assertEquals(400, response.status());
            assertTrue(response.json().path("error").asText().startsWith("malformed HTTP request body"), response.json().toString());
            assertTrue(http.closedByServer());
        }
    }
}
