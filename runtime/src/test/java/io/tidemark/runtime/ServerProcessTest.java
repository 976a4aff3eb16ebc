package io.tidemark.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import io.tidemark.log.LogConfig;
import io.tidemark.log.topic.LogManager;
import io.tidemark.runtime.broker.WireClient;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tidemark server} as a separate process: killed with SIGKILL in the middle of an
 * acks=all produce with a flush per write, it loses no acknowledged record; stopped with
 * SIGTERM, it says so and exits; a bad configuration is refused with a clear message.
 */
class ServerProcessTest
{
    private static final int PARTITIONS = 3;

    @TempDir
    Path dir;

    private record Acked(int partition, long offset, long value)
    {
    }

    @Test
    void everyAcknowledgedRecordSurvivesKillNine() throws Exception
    {
        final Path dataDir = dir.resolve("data");
        final Path config = dir.resolve("server.properties");
        Files.writeString(config, "log.flush.interval.messages=1\nnum.partitions=" + PARTITIONS + "\n");
        final ConcurrentLinkedQueue<Acked> acked = new ConcurrentLinkedQueue<>();
        try (ServerProcess server = new ServerProcess(dataDir, config))
        {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, server.bootstrap())))
            {
                admin.createTopics(List.of(new NewTopic("durable", PARTITIONS, (short)1))).all().get();
            }
            final Map<String, Object> properties = new HashMap<>();
            properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, server.bootstrap());
            properties.put(ProducerConfig.ACKS_CONFIG, "all");
            properties.put(ProducerConfig.LINGER_MS_CONFIG, 1);
            properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 5_000);
            properties.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000);
            properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
            final KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer());
            try
            {
                long value = 0;
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (acked.size() < 3_000 && System.nanoTime() < deadline)
                {
                    final long v = value++;
                    producer.send(new ProducerRecord<>("durable", ByteBuffer.allocate(8).putLong(v).array(), ByteBuffer.allocate(8).putLong(v).array()),
                        (metadata, failure) ->
                        {
                            if (failure == null)
                            {
                                acked.add(new Acked(metadata.partition(), metadata.offset(), v));
                            }
                        });
                }
                // Mid-produce: records are in flight while the process dies.
                server.kill9();
            }
            finally
            {
                producer.close(Duration.ZERO);
            }
        }
        assertTrue(acked.size() >= 3_000, "acknowledged before the kill: " + acked.size());

        try (ServerProcess server = new ServerProcess(dataDir, config))
        {
            final Map<TopicPartition, Map<Long, Long>> stored = new HashMap<>();
            final Properties properties = new Properties();
            properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, server.bootstrap());
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer()))
            {
                final List<TopicPartition> partitions = new ArrayList<>();
                for (int p = 0; p < PARTITIONS; p++)
                {
                    partitions.add(new TopicPartition("durable", p));
                }
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                final Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
                final long total = ends.values().stream().mapToLong(Long::longValue).sum();
                int read = 0;
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (read < total && System.nanoTime() < deadline)
                {
                    for (final ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200)))
                    {
                        stored.computeIfAbsent(new TopicPartition(record.topic(), record.partition()), tp -> new HashMap<>())
                            .put(record.offset(), ByteBuffer.wrap(record.value()).getLong());
                        read++;
                    }
                }
            }
            for (final Acked record : acked)
            {
                final Map<Long, Long> partition = stored.getOrDefault(new TopicPartition("durable", record.partition()), Map.of());
                assertEquals(record.value(), partition.get(record.offset()), "acknowledged " + record);
            }

            assertEquals(143, server.terminate(), "SIGTERM: the JVM's exit code for a terminated process");
            assertTrue(server.output().stream().anyMatch(line -> line.startsWith("tidemark server stopped")), server.output().toString());
        }
    }

    @Test
    void sigtermStopsTheServerWithinSecondsWhileFetchesWait() throws Exception
    {
        try (ServerProcess server = new ServerProcess(dir.resolve("data"), null))
        {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, server.bootstrap())))
            {
                admin.createTopics(List.of(new NewTopic("parked", 1, (short)1))).all().get();
            }
            final List<WireClient> parked = new ArrayList<>();
            try
            {
                final byte[] fetch = WireClient.frame(WireClient.parkedFetch("parked"), (short)12, 1);
                for (int i = 0; i < 100; i++)
                {
                    final WireClient client = new WireClient(server.port());
                    client.sendRaw(fetch);
                    parked.add(client);
                }
                try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, server.bootstrap()),
                    new ByteArraySerializer(), new ByteArraySerializer()))
                {
                    for (int i = 0; i < 50; i++)
                    {
                        producer.send(new ProducerRecord<>("parked", new byte[100])).get(30, TimeUnit.SECONDS);
                    }
                }
                final long start = System.nanoTime();
                assertEquals(143, server.terminate(), "SIGTERM: the JVM's exit code for a terminated process");
                final long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertTrue(tookMs < 15_000, "exited " + tookMs + " ms after SIGTERM with 100 fetches waiting");
                assertTrue(server.output().stream().anyMatch(line -> line.startsWith("tidemark server stopped")), server.output().toString());
            }
            finally
            {
                for (final WireClient client : parked)
                {
                    client.close();
                }
            }
        }
    }

    /**
     * A data directory with a damaged topic still starts: the ready line says how many topics
     * could not be opened, and the others are served.
     */
    @Test
    void aServerStartsBesideADamagedTopicAndSaysSo() throws Exception
    {
        final Path data = dir.resolve("data");
        try (LogManager logs = LogManager.open(data, LogConfig.DEFAULTS))
        {
            logs.createTopic("whole", 1, Map.of());
            logs.createTopic("damaged", 1, Map.of());
        }
        final Path segment = data.resolve("topics/damaged/0/00000000000000000000.log");
        Files.delete(segment);
        Files.createDirectory(segment);
        try (ServerProcess server = new ServerProcess(data, null))
        {
            assertTrue(server.output().stream().anyMatch(line -> line.startsWith("tidemark server ready") &&
                line.contains(" topics; 1 could not be opened and are not served")), server.output().toString());
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, server.bootstrap())))
            {
                assertTrue(admin.listTopics().names().get(30, TimeUnit.SECONDS).contains("whole"));
            }
        }
    }

    /**
     * A request for an API nobody serves is refused (the connection closed) and logged at INFO
     * with the client's address and id; {@code --log-level WARN} leaves such lines, and the
     * configuration block, out.
     */
    @Test
    void refusalsAreLoggedWithTheClientAndTheLogLevelDecidesWhatIsShown() throws Exception
    {
        final String refusal = "refused a request from /127.0.0.1:";
        try (ServerProcess server = new ServerProcess(dir.resolve("info"), null))
        {
            assertTrue(sendUnsupportedApi(server), "the connection is closed");
            awaitLine(server, refusal);
            final String line = server.output().stream().filter(l -> l.contains(refusal)).findFirst().orElseThrow();
            assertTrue(line.contains(" INFO ") && line.contains("(client id 'refusal-test')") && line.contains("unsupported API"), line);
            assertTrue(server.output().stream().anyMatch(l -> l.contains(" INFO ") && l.contains("configuration:")), server.output().toString());
        }
        try (ServerProcess server = new ServerProcess(dir.resolve("warn"), null, "--log-level", "WARN"))
        {
            assertTrue(sendUnsupportedApi(server), "the connection is closed");
            assertEquals(143, server.terminate());
            assertTrue(server.output().stream().noneMatch(l -> l.contains(" INFO ")), "nothing below WARN: " + server.output());
        }
    }

    /** @return whether the server closed the connection after a frame for API key 99. */
    private static boolean sendUnsupportedApi(final ServerProcess server) throws Exception
    {
        final byte[] clientId = "refusal-test".getBytes(StandardCharsets.UTF_8);
        final ByteBuffer frame = ByteBuffer.allocate(4 + 10 + clientId.length);
        frame.putInt(frame.capacity() - 4).putShort((short)99).putShort((short)0).putInt(7).putShort((short)clientId.length).put(clientId);
        try (WireClient client = new WireClient(server.port()))
        {
            client.sendRaw(frame.array());
            return client.closedByServer();
        }
    }

    private static void awaitLine(final ServerProcess server, final String text) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (server.output().stream().noneMatch(line -> line.contains(text)))
        {
            assertTrue(System.nanoTime() < deadline, "no line with '" + text + "' within 30 s: " + server.output());
            Thread.sleep(20);
        }
    }

    @Test
    void kafkasStockServerPropertiesStartsTheServerAndItsIgnoredKeysAreWarnedAboutOnce() throws Exception
    {
        final Path config = dir.resolve("server.properties");
        try (InputStream stock = ServerProcessTest.class.getResourceAsStream("/kafka/server.properties"))
        {
            Files.copy(stock, config);
        }
        try (ServerProcess server = new ServerProcess(dir.resolve("data"), config))
        {
            final Properties properties = new Properties();
            properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, server.bootstrap());
            try (Admin admin = Admin.create(properties))
            {
                admin.createTopics(List.of(new NewTopic("served", 1, (short)1))).all().get(30, TimeUnit.SECONDS);
                assertTrue(admin.listTopics().names().get(30, TimeUnit.SECONDS).contains("served"));
            }
            final List<String> output = List.copyOf(server.output());
            for (final String key : List.of("process.roles", "node.id", "controller.quorum.bootstrap.servers", "advertised.listeners",
                "inter.broker.listener.name", "controller.listener.names", "listener.security.protocol.map", "socket.send.buffer.bytes",
                "socket.receive.buffer.bytes", "num.recovery.threads.per.data.dir", "offsets.topic.replication.factor",
                "share.coordinator.state.topic.replication.factor", "share.coordinator.state.topic.min.isr",
                "transaction.state.log.replication.factor", "transaction.state.log.min.isr"))
            {
                assertEquals(1, output.stream().filter(line -> line.contains(" WARN ") && line.contains("ignoring " + key + "=")).count(),
                    key + " in " + output);
            }
            assertTrue(output.contains("  log.retention.ms = 604800000 (file, as log.retention.hours=168)"), "the effective configuration: " + output);
            assertTrue(output.contains("  num.partitions = 1 (file)"), output.toString());
            assertTrue(output.contains("  listeners = PLAINTEXT://127.0.0.1:0 (command line)"), output.toString());
            assertTrue(output.contains("  http.host = 127.0.0.1 (default)"), output.toString());
            assertTrue(output.contains("  http.port = 0 (command line)"), output.toString());
            assertTrue(output.stream().noneMatch(line -> line.contains("SLF4J")), "a logging backend is bound: " + output);
            assertEquals(143, server.terminate());
        }
    }

    @Test
    void aBadConfigurationIsRefusedWithAClearMessage() throws Exception
    {
        final Path config = dir.resolve("bad.properties");
        Files.writeString(config, "log.retention.ms=forever\n");
        assertRefused("invalid value 'forever' for log.retention.ms", "server", "--config", config.toString(), "--data-dir", dir.resolve("d").toString());
        Files.writeString(config, "log.retention.msec=1\n");
        assertRefused("unknown server configuration key 'log.retention.msec'; did you mean 'log.retention.ms'?", "server", "--config", config.toString(), "--data-dir", dir.resolve("d").toString());
        assertRefused("for option '--config': no such file", "server", "--config", dir.resolve("missing.properties").toString());
        assertRefused("Unknown option", "server", "--partitions", "3");
    }

    private static void assertRefused(final String message, final String... args)
    {
        final PrintStream err = System.err;
        final ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        final int code;
        try
        {
            code = Tidemark.run(args);
        }
        finally
        {
            System.setErr(err);
        }
        final String printed = captured.toString(StandardCharsets.UTF_8);
        assertEquals(2, code, printed);
        assertTrue(printed.contains(message), "expected '" + message + "' in: " + printed);
    }
}
