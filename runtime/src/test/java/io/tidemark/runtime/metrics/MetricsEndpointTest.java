package io.tidemark.runtime.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidemark.examples.ClickCounts;
import io.tidemark.runtime.broker.BrokerConfig;
import io.tidemark.runtime.broker.BrokerServer;
import io.tidemark.runtime.jobs.JobStatus;
import io.tidemark.runtime.jobs.JobSubmission;
import io.tidemark.runtime.jobs.OperatorStatus;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /metrics} of a real server running the built-in {@code click-counts} while a Kafka
 * producer writes clicks and a Kafka consumer reads and commits them: the text parses strictly,
 * and its figures are the system's own (records in as produced, the watermark moving with the
 * event time, end offsets as produced, one request counted per request made, lag as end minus
 * committed, operator figures equal to the job's JSON); other methods than GET are refused. The
 * dashboard's page is served, and its event stream pushes a snapshot of the same figures.
 */
class MetricsEndpointTest
{
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final String GROUP = "metrics-endpoint-test";
    private static final int USERS = 20;

    @TempDir
    Path dataDir;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void theMetricsAreTheServersOwnFiguresAndMoveWithIt() throws Exception
    {
        final Properties config = new Properties();
        config.put(BrokerConfig.HTTP_PORT, "0");
        config.put(BrokerConfig.GROUP_INITIAL_REBALANCE_DELAY_MS, "0");
        try (BrokerServer server = BrokerServer.start(BrokerConfig.parse(config, dataDir, "127.0.0.1", 0)))
        {
            final String bootstrap = "127.0.0.1:" + server.address().getPort();
            final String metricsUrl = "http://127.0.0.1:" + server.httpAddress().getPort() + "/metrics";
            final String job = server.jobs().submit(JobSubmission.builtin("click-counts", List.of("exactly-once", "tumbling"))).id();

            clicks(bootstrap, 0, 3_000);
            final PrometheusText first = until("the source's 3,000 records in /metrics", metricsUrl,
                m -> m.sum("tidemark_operator_records_in_total", "job", job, "operator", "clicks") == 3_000);
            assertEquals("counter", first.type("tidemark_operator_records_in_total"));
            assertEquals("histogram", first.type("tidemark_kafka_request_latency_seconds_bucket"));
            assertEquals(3_000, first.sum("tidemark_log_end_offset", "topic", ClickCounts.INPUT_TOPIC));
            assertTrue(first.sum("tidemark_operator_records_out_total", "job", job, "operator", "clicks") > 0);
            assertTrue(first.sum("jvm_threads_current") > 0, "the JVM's figures are there");
            final HttpResponse<String> refused = http.send(HttpRequest.newBuilder(URI.create(metricsUrl)).POST(HttpRequest.BodyPublishers.ofString("x")).build(),
                HttpResponse.BodyHandlers.ofString());
            assertEquals(405, refused.statusCode());
            assertEquals("GET", refused.headers().firstValue("Allow").orElseThrow());
            final double firstWatermark = watermark(first, job);

            // The JSON reads the same objects: once the job is quiet both say the same.
            final PrometheusText quiet = until("the job's JSON and /metrics agreeing", metricsUrl, m ->
            {
                final JobStatus status = server.jobs().list().stream().filter(s -> s.id().equals(job)).findFirst().orElseThrow();
                for (final OperatorStatus operator : status.operators())
                {
                    if (operator.recordsIn() != m.sum("tidemark_operator_records_in_total", "job", job, "operator", operator.name())
                        || operator.recordsOut() != m.sum("tidemark_operator_records_out_total", "job", job, "operator", operator.name()))
                    {
                        return false;
                    }
                }
                final OperatorStatus source = status.operators().get(0);
                return source.watermark() == Math.round(watermark(m, job) * 1000);
            });
            assertTrue(quiet.sum("tidemark_operator_records_in_total", "job", job) > 3_000, "the windows and the sink took records in too");

            // The dashboard: its page, and its event stream's snapshot holding the same figures.
            final String base = "http://127.0.0.1:" + server.httpAddress().getPort();
            final HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(base + "/")).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode());
            assertTrue(page.headers().firstValue("Content-Type").orElseThrow().startsWith("text/html"));
            assertTrue(page.body().contains("/uplot.js") && page.body().contains("/dashboard.js"), page.body());
            final HttpResponse<Stream<String>> events = http.send(HttpRequest.newBuilder(URI.create(base + "/events")).GET().build(),
                HttpResponse.BodyHandlers.ofLines());
            assertTrue(events.headers().firstValue("Content-Type").orElseThrow().startsWith("text/event-stream"));
            final String event;
            try (Stream<String> lines = events.body())
            {
                event = lines.filter(line -> line.startsWith("data: ")).findFirst().orElseThrow();
            }
            final JsonNode snapshot = new ObjectMapper().readTree(event.substring("data: ".length()));
            assertEquals(job, snapshot.get("jobs").get(0).get("status").get("id").asText());
            long sourceIn = 0;
            for (final JsonNode subtask : snapshot.get("jobs").get(0).get("subtasks"))
            {
                sourceIn += subtask.get("operator").asText().equals("clicks") ? subtask.get("recordsIn").asLong() : 0;
            }
            assertEquals(3_000, sourceIn);

            clicks(bootstrap, 3_000, 2_000);
            final PrometheusText second = until("the next 2,000 records", metricsUrl,
                m -> m.sum("tidemark_operator_records_in_total", "job", job, "operator", "clicks") == 5_000 && watermark(m, job) > firstWatermark);
            assertEquals(5_000, second.sum("tidemark_log_end_offset", "topic", ClickCounts.INPUT_TOPIC));
            assertTrue(second.sum("tidemark_kafka_requests_total", "api", "Produce") >= 2, "one producer per batch of clicks");

            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap)))
            {
                final double before = scrape(metricsUrl).sum("tidemark_kafka_requests_total", "api", "ListGroups");
                for (int i = 0; i < 3; i++)
                {
                    admin.listConsumerGroups().all().get(30, TimeUnit.SECONDS);
                }
                final PrometheusText after = scrape(metricsUrl);
                assertEquals(before + 3, after.value("tidemark_kafka_requests_total", "api", "ListGroups"));
                assertEquals(after.value("tidemark_kafka_requests_total", "api", "ListGroups"),
                    after.value("tidemark_kafka_request_latency_seconds_count", "api", "ListGroups"));
                assertEquals(after.value("tidemark_kafka_requests_total", "api", "ListGroups"),
                    after.value("tidemark_kafka_request_latency_seconds_bucket", "api", "ListGroups", "le", "+Inf"));
                assertEquals(0, after.value("tidemark_kafka_request_errors_total", "api", "ListGroups"));
                final double deletesRefused = after.sum("tidemark_kafka_request_errors_total", "api", "DeleteTopics");
                assertTrue(assertThrows(ExecutionException.class, () -> admin.deleteTopics(List.of("no-such-topic")).all().get(30, TimeUnit.SECONDS))
                    .getCause() instanceof UnknownTopicOrPartitionException);
                assertEquals(deletesRefused + 1, scrape(metricsUrl).value("tidemark_kafka_request_errors_total", "api", "DeleteTopics"),
                    "an answer whose one topic is unknown is an error, as the client sees it");

                // The JSON API serves the same registry: what did not move since is the same there.
                final JsonNode json = new ObjectMapper().readTree(http.send(HttpRequest.newBuilder(URI.create(base + "/api/metrics")).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body());
                final JsonNode requests = point(json, "tidemark_kafka_requests_total", "counter", "api", "ListGroups");
                assertEquals(after.value("tidemark_kafka_requests_total", "api", "ListGroups"), requests.get("value").asDouble());
                final JsonNode latency = point(json, "tidemark_kafka_request_latency_seconds", "histogram", "api", "ListGroups");
                assertEquals(after.value("tidemark_kafka_request_latency_seconds_count", "api", "ListGroups"), latency.get("count").asDouble());
                assertEquals(after.value("tidemark_kafka_request_latency_seconds_bucket", "api", "ListGroups", "le", "+Inf"),
                    latency.get("buckets").get("+Inf").asDouble());
                assertEquals(after.value("tidemark_kafka_request_latency_seconds_bucket", "api", "ListGroups", "le", "0.005"),
                    latency.get("buckets").get("0.005").asDouble(), "buckets are cumulative, as the text's le");
                for (int partition = 0; partition < 4; partition++)
                {
                    final String[] labels = {"topic", ClickCounts.INPUT_TOPIC, "partition", Integer.toString(partition)};
                    assertEquals(after.value("tidemark_log_end_offset", labels), point(json, "tidemark_log_end_offset", "gauge", labels).get("value").asDouble());
                }
                assertTrue(point(json, "jvm_threads_current", "gauge").get("value").asDouble() > 0, "the JVM's figures are there too");
            }

            try (KafkaConsumer<String, String> consumer = consumer(bootstrap))
            {
                consumer.subscribe(List.of(ClickCounts.INPUT_TOPIC));
                final long deadline = System.nanoTime() + DEADLINE.toNanos();
                int polled = 0;
                while (polled == 0)
                {
                    assertTrue(System.nanoTime() < deadline, "the consumer joined and read within " + DEADLINE);
                    polled += consumer.poll(Duration.ofMillis(100)).count();
                }
                // Half of each partition's records committed: the lag is the other half.
                final Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
                for (final TopicPartition partition : consumer.assignment())
                {
                    final long end = (long)second.value("tidemark_log_end_offset", "topic", partition.topic(), "partition",
                        Integer.toString(partition.partition()));
                    commits.put(partition, new OffsetAndMetadata(end / 2));
                }
                consumer.commitSync(commits);
                final PrometheusText groups = scrape(metricsUrl);
                assertEquals(1, groups.value("tidemark_group_members", "group", GROUP));
                assertTrue(groups.value("tidemark_group_generation", "group", GROUP) >= 1);
                assertTrue(groups.value("tidemark_group_rebalances_total", "group", GROUP) >= 1, "the consumer's joining was a rebalance");
                for (final Map.Entry<TopicPartition, OffsetAndMetadata> commit : commits.entrySet())
                {
                    final String[] labels = {"group", GROUP, "topic", commit.getKey().topic(), "partition", Integer.toString(commit.getKey().partition())};
                    final double end = groups.value("tidemark_log_end_offset", "topic", commit.getKey().topic(), "partition",
                        Integer.toString(commit.getKey().partition()));
                    assertEquals(commit.getValue().offset(), groups.value("tidemark_group_committed_offset", labels));
                    assertEquals(end - commit.getValue().offset(), groups.value("tidemark_group_lag", labels));
                }
            }
        }
    }

    /** The one point of a family of {@code GET /api/metrics} with these labels (and maybe others). */
    private static JsonNode point(final JsonNode json, final String name, final String type, final String... labels)
    {
        for (final JsonNode family : json.get("metrics"))
        {
            if (family.get("name").asText().equals(name))
            {
                assertEquals(type, family.get("type").asText(), name);
                JsonNode found = null;
                for (final JsonNode point : family.get("points"))
                {
                    boolean matches = true;
                    for (int i = 0; i < labels.length; i += 2)
                    {
                        matches &= labels[i + 1].equals(point.get("labels").path(labels[i]).asText(null));
                    }
                    if (matches)
                    {
                        assertTrue(found == null, "one point of " + name + " with " + List.of(labels));
                        found = point;
                    }
                }
                assertTrue(found != null, "a point of " + name + " with " + List.of(labels) + ": " + family);
                return found;
            }
        }
        throw new AssertionError("no family " + name + " in " + json);
    }

    /** The least watermark of the source's subtasks, seconds. */
    private static double watermark(final PrometheusText metrics, final String job)
    {
        return metrics.samples("tidemark_operator_watermark_seconds", "job", job, "operator", "clicks").stream()
            .mapToDouble(PrometheusText.Sample::value).min().orElse(Double.NEGATIVE_INFINITY);
    }

    private PrometheusText scrape(final String url) throws Exception
    {
        final HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElseThrow().startsWith("text/plain; version=0.0.4"),
            response.headers().toString());
        return new PrometheusText(response.body());
    }

    /** Scrapes until the figures satisfy the condition, and fails after the deadline. */
    private PrometheusText until(final String what, final String url, final Predicate<PrometheusText> condition) throws Exception
    {
        final long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (true)
        {
            final PrometheusText metrics = scrape(url);
            if (condition.test(metrics))
            {
                return metrics;
            }
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError("timed out after " + DEADLINE.toSeconds() + " s waiting for " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    /** Clicks of 20 users, one per millisecond of event time from the examples' start time plus {@code first}. */
    static void clicks(final String bootstrap, final int first, final int count)
    {
        final Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        properties.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(properties, new StringSerializer(), new StringSerializer()))
        {
            for (int i = first; i < first + count; i++)
            {
                final String user = "user-" + i % USERS;
                producer.send(new ProducerRecord<>(ClickCounts.INPUT_TOPIC, null, ClickCounts.START_TIME + i, user, user));
            }
            producer.flush();
        }
    }

    private static KafkaConsumer<String, String> consumer(final String bootstrap)
    {
        final Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return new KafkaConsumer<>(properties, new StringDeserializer(), new StringDeserializer());
    }
}
