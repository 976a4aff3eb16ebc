package io.tidemark.runtime.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The start's warm-up ({@link BrokerWarmUp}): it runs round trips on a scratch topic no client
 * sees, stops at the first client's request, which is served meanwhile, at its budget, or when
 * the server closes, and leaves no file behind.
 */
class BrokerWarmUpTest
{
    private static final Duration LONG = Duration.ofMinutes(1);
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dataDir;

    @Test
    void aClientIsServedDuringTheWarmUpWhichThenStopsWithoutATrace() throws Exception
    {
        try (TestServer server = TestServer.start(dataDir, Map.of()))
        {
            server.server().logs().createTopic("real", 1, Map.of());
            final BrokerWarmUp warmUp = server.server().warmUp(Integer.MAX_VALUE, LONG);
            awaitRoundTrips(warmUp, 100);
            final Path scratch = warmUp.directory();
            assertNotNull(scratch);
            assertTrue(Files.isDirectory(scratch), "its log is in a directory of its own");

            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producer(server.bootstrap())))
            {
                final RecordMetadata written = producer.send(new ProducerRecord<>("real", new byte[10])).get(WAIT.toSeconds(), TimeUnit.SECONDS);
                assertEquals(0, written.offset(), "the client's record is the topic's first");
            }
            assertTrue(warmUp.awaitEnd(WAIT), "the warm-up ends at the first client's request");
            assertEquals("a client's request", warmUp.endReason());
            final int roundTrips = warmUp.roundTrips();
            assertTrue(roundTrips >= 100 && roundTrips < Integer.MAX_VALUE, roundTrips + " round trips");
            assertFalse(Files.exists(scratch), "its scratch directory is deleted");

            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, server.bootstrap())))
            {
                assertEquals(Set.of("real"), admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get(WAIT.toSeconds(), TimeUnit.SECONDS),
                    "Metadata shows no topic of the warm-up's");
            }
            assertEquals(List.of("real"), server.server().logs().listTopics());
            try (Stream<Path> files = Files.walk(dataDir))
            {
                assertEquals(List.of(), files.filter(path -> path.toString().contains("warm-up")).toList(), "nothing of it in the data directory");
            }
        }
    }

    @Test
    void itRunsItsRoundTripsAndEnds() throws Exception
    {
        try (TestServer server = TestServer.start(dataDir, Map.of()))
        {
            final BrokerWarmUp warmUp = server.server().warmUp(300, LONG);
            assertTrue(warmUp.awaitEnd(WAIT), "ended");
            assertEquals("its round trips", warmUp.endReason());
            assertEquals(300, warmUp.roundTrips(), "every round trip brought its record back");
            assertFalse(Files.exists(warmUp.directory()), "its scratch directory is deleted");
        }
    }

    @Test
    void closingTheServerStopsIt() throws Exception
    {
        final BrokerWarmUp warmUp;
        try (TestServer server = TestServer.start(dataDir, Map.of()))
        {
            warmUp = server.server().warmUp(Integer.MAX_VALUE, LONG);
            awaitRoundTrips(warmUp, 1);
        }
        assertTrue(warmUp.awaitEnd(Duration.ZERO), "closed with the server");
        assertEquals("stopped", warmUp.endReason());
        assertFalse(Files.exists(warmUp.directory()), "its scratch directory is deleted");
    }

    private static void awaitRoundTrips(final BrokerWarmUp warmUp, final int count) throws InterruptedException
    {
        final long deadline = System.nanoTime() + WAIT.toNanos();
        while (warmUp.roundTrips() < count)
        {
            assertTrue(System.nanoTime() < deadline, "only " + warmUp.roundTrips() + " round trips after " + WAIT + " (" + warmUp.endReason() + ")");
            Thread.sleep(10);
        }
    }

    private static Properties producer(final String bootstrap)
    {
        final Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        properties.put(ProducerConfig.ACKS_CONFIG, "1");
        properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(WAIT.toMillis()));
        return properties;
    }
}
