package io.tidemark.runtime.broker;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Long-polling fetches that can never be satisfied (min.bytes and max.wait.ms of 2^31-1), many
 * of them, on a partition a producer writes to: the producer keeps being served, the fetches
 * of closed connections are dropped with everything they held, a fetch's wait and minimum are
 * capped, and the server closes within seconds while they wait.
 */
class ParkedFetchTest
{
    private static final int PARKED = 100;

    @TempDir
    Path dataDir;

    /** @return the open file descriptors of this process, the in-process server's among them. */
    static long openFileDescriptors()
    {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd")))
        {
            return fds.count();
        }
        catch (final IOException e)
        {
            throw new IllegalStateException("cannot list /proc/self/fd", e);
        }
    }

    /** Polls until {@code value} is at most {@code bound}; @return its last value. */
    static long awaitAtMost(final LongSupplier value, final long bound, final Duration deadline) throws InterruptedException
    {
        final long end = System.nanoTime() + deadline.toNanos();
        long last = value.getAsLong();
        while (last > bound && System.nanoTime() < end)
        {
            Thread.sleep(50);
            last = value.getAsLong();
        }
        return last;
    }

    @Test
    void parkedFetchesNeitherStallAProducerNorOutliveTheirConnections() throws Exception
    {
        final TestServer server = TestServer.start(dataDir, Map.of());
        try
        {
            server.server().logs().createTopic("busy", 1, Map.of());
            try (KafkaProducer<byte[], byte[]> producer = KafkaClientsTest.producer(server, Map.of(ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000)))
            {
                producer.send(new ProducerRecord<>("busy", "first".getBytes(UTF_8))).get(30, TimeUnit.SECONDS);
                final long baseline = openFileDescriptors();

                final List<WireClient> parked = new ArrayList<>();
                final byte[] fetch = WireClient.frame(WireClient.parkedFetch("busy"), (short)12, 1);
                for (int i = 0; i < PARKED; i++)
                {
                    final WireClient client = new WireClient(server.port());
                    client.sendRaw(fetch);
                    parked.add(client);
                }
                assertAcknowledged(producer, 300, "while " + PARKED + " fetches wait");

                for (final WireClient client : parked)
                {
                    client.close();
                }
                assertAcknowledged(producer, 300, "after the waiting fetches' connections closed");
                final long open = awaitAtMost(ParkedFetchTest::openFileDescriptors, baseline, Duration.ofSeconds(30));
                assertTrue(open <= baseline, "open file descriptors back to " + baseline + " after the fetches' connections closed: " + open);
            }
        }
        finally
        {
            assertTimeoutPreemptively(Duration.ofSeconds(15), server::close, "close() with fetches that waited");
        }
    }

    private static void assertAcknowledged(final KafkaProducer<byte[], byte[]> producer, final int count, final String when) throws Exception
    {
        final List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (int i = 0; i < count; i++)
        {
            sent.add(producer.send(new ProducerRecord<>("busy", new byte[100])));
        }
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        int acknowledged = 0;
        for (final Future<RecordMetadata> record : sent)
        {
            try
            {
                record.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                acknowledged++;
            }
            catch (final java.util.concurrent.TimeoutException e)
            {
                break;
            }
        }
        assertEquals(count, acknowledged, "records acknowledged within 30 s " + when);
    }

    @Test
    void aMinimumBeyondTheFetchMaximumIsAnsweredOnceTheMaximumIsThere() throws Exception
    {
        try (TestServer server = TestServer.start(dataDir, Map.of()))
        {
            server.server().logs().createTopic("capped", 1, Map.of());
            try (KafkaProducer<byte[], byte[]> producer = KafkaClientsTest.producer(server, Map.of());
                WireClient client = new WireClient(server.port()))
            {
                producer.send(new ProducerRecord<>("capped", new byte[1000])).get(30, TimeUnit.SECONDS);
                final FetchRequestData request = WireClient.parkedFetch("capped").setMaxBytes(500);
                final long start = System.nanoTime();
                final FetchResponseData response = (FetchResponseData)client.send(request, (short)12);
                assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(9), "answered at once, not after max.wait.ms");
                assertTrue(response.responses().get(0).partitions().get(0).records().sizeInBytes() > 0, "with the batch");
            }
        }
    }

    @Test
    void closeReturnsWithinSecondsWhileFetchesWait() throws Exception
    {
        final TestServer server = TestServer.start(dataDir, Map.of());
        final List<WireClient> parked = new ArrayList<>();
        try
        {
            server.server().logs().createTopic("quiet", 1, Map.of());
            final byte[] fetch = WireClient.frame(WireClient.parkedFetch("quiet"), (short)12, 1);
            for (int i = 0; i < PARKED; i++)
            {
                final WireClient client = new WireClient(server.port());
                client.sendRaw(fetch);
                parked.add(client);
            }
            try (KafkaProducer<byte[], byte[]> producer = KafkaClientsTest.producer(server, Map.of()))
            {
                producer.send(new ProducerRecord<>("quiet", new byte[10])).get(30, TimeUnit.SECONDS);
            }
            final long start = System.nanoTime();
            assertTimeoutPreemptively(Duration.ofSeconds(15), server::close, "close() while fetches wait");
            final long took = System.nanoTime() - start;
            assertTrue(took < TimeUnit.SECONDS.toNanos(10), "closed in " + took / 1_000_000 + " ms");
            for (final WireClient client : parked)
            {
                assertTrue(client.closedByServer(), "a waiting fetch's connection is closed with the server");
            }
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
