package io.tidemark.runtime.broker;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input on many connections at once: random frames, valid requests with flipped bytes,
 * truncated bodies, bad and huge sizes, bad API keys. Meanwhile a real producer appends to
 * its own topic. The server must answer or close each bad connection, never stop serving,
 * lose no acknowledged record and store nothing corrupt (a restart's recovery finds nothing
 * to repair).
 */
class FrameFuzzTest
{
    private static final int FUZZ_THREADS = 6;
    private static final int CONNECTIONS_PER_THREAD = 40;
    private static final int FRAMES_PER_CONNECTION = 25;

    @TempDir
    Path dataDir;

    @Test
    void badFramesNeverHurtTheServerOrItsData() throws Exception
    {
        try (TestServer server = TestServer.start(dataDir, Map.of("socket.request.max.bytes", Integer.toString(1 << 20))))
        {
            server.server().logs().createTopic("steady", 1, Map.of());
            server.server().logs().createTopic("fuzz", 2, Map.of());
            final List<byte[]> seeds = seeds();

            final AtomicBoolean fuzzing = new AtomicBoolean(true);
            final List<Integer> acknowledged = new ArrayList<>();
            final ExecutorService threads = Executors.newFixedThreadPool(FUZZ_THREADS + 1);
            final Future<?> steady = threads.submit(() ->
            {
                try (KafkaProducer<byte[], byte[]> producer = KafkaClientsTest.producer(server, Map.of(ProducerConfig.LINGER_MS_CONFIG, 0)))
                {
                    for (int i = 0; fuzzing.get() || i < 100; i++)
                    {
                        producer.send(new ProducerRecord<>("steady", Integer.toString(i).getBytes(UTF_8))).get(30, TimeUnit.SECONDS);
                        acknowledged.add(i);
                    }
                }
                return null;
            });
            final AtomicLong answered = new AtomicLong();
            final AtomicLong closed = new AtomicLong();
            final List<Future<?>> fuzzers = new ArrayList<>();
            for (int t = 0; t < FUZZ_THREADS; t++)
            {
                final long seed = 0x71de_0000L + t;
                fuzzers.add(threads.submit(() ->
                {
                    fuzz(new Random(seed), server.port(), seeds, answered, closed);
                    return null;
                }));
            }
            for (final Future<?> fuzzer : fuzzers)
            {
                fuzzer.get(5, TimeUnit.MINUTES);
            }
            fuzzing.set(false);
            steady.get(2, TimeUnit.MINUTES);
            threads.shutdown();
            assertTrue(answered.get() > 0 && closed.get() > 0, "some frames were answered (" + answered + "), some connections closed (" + closed + ")");

            // Still serving: a new connection gets its answer.
            try (WireClient client = new WireClient(server.port()))
            {
                assertFalse(((ApiVersionsResponseData)client.send(new ApiVersionsRequestData(), (short)3)).apiKeys().isEmpty());
            }
            // Every acknowledged record, once, in order.
            assertEquals(acknowledged, readSteady(server));

            // Nothing corrupt was stored: reopening repairs nothing, and the data reads back.
            server.restart();
            assertTrue(server.server().logs().recoveryReports().isEmpty(), () -> "recovery repaired " + server.server().logs().recoveryReports());
            assertEquals(acknowledged, readSteady(server));
            try (KafkaConsumer<byte[], byte[]> consumer = KafkaClientsTest.consumer(server))
            {
                consumer.assign(KafkaClientsTest.partitions("fuzz", 2));
                final long stored = server.server().logs().partitions("fuzz").stream().mapToLong(p -> p.logEndOffset()).sum();
                assertEquals(stored, KafkaClientsTest.pollAll(consumer, (int)stored).size(), "the fuzz topic's batches all read back");
            }
        }
    }

    private static List<Integer> readSteady(final TestServer server)
    {
        try (KafkaConsumer<byte[], byte[]> consumer = KafkaClientsTest.consumer(server))
        {
            consumer.assign(KafkaClientsTest.partitions("steady", 1));
            final int count = (int)server.server().logs().partitions("steady").get(0).logEndOffset();
            final List<Integer> values = new ArrayList<>();
            for (final ConsumerRecord<byte[], byte[]> record : KafkaClientsTest.pollAll(consumer, count))
            {
                values.add(Integer.parseInt(new String(record.value(), UTF_8)));
            }
            return values;
        }
    }

    private static List<byte[]> seeds()
    {
        final List<byte[]> seeds = new ArrayList<>();
        seeds.add(WireClient.frame(new ApiVersionsRequestData().setClientSoftwareName("fuzz").setClientSoftwareVersion("1"), (short)3, 1));
        seeds.add(WireClient.frame(new MetadataRequestData().setTopics(List.of(new MetadataRequestData.MetadataRequestTopic().setName("fuzz"))), (short)12, 2));
        seeds.add(WireClient.frame(ProtocolErrorsTest.produce("fuzz", 0, (short)1), (short)9, 3));
        seeds.add(WireClient.frame(ProtocolErrorsTest.produce("fuzz", 1, (short)0), (short)12, 4));
        seeds.add(WireClient.frame(ProtocolErrorsTest.fetch("fuzz", 0, 0, 10, 1), (short)12, 5));
        seeds.add(WireClient.frame(new ListOffsetsRequestData().setReplicaId(-1).setTopics(List.of(new ListOffsetsRequestData.ListOffsetsTopic()
            .setName("fuzz").setPartitions(List.of(new ListOffsetsRequestData.ListOffsetsPartition().setTimestamp(-2))))), (short)6, 6));
        seeds.add(WireClient.frame(new DescribeConfigsRequestData().setResources(List.of(new DescribeConfigsRequestData.DescribeConfigsResource()
            .setResourceType((byte)2).setResourceName("fuzz"))), (short)4, 7));
        seeds.add(WireClient.frame(new InitProducerIdRequestData().setTransactionalId(null).setTransactionTimeoutMs(1000), (short)4, 8));
        return seeds;
    }

    private static void fuzz(final Random random, final int port, final List<byte[]> seeds, final AtomicLong answered, final AtomicLong closed)
        throws IOException
    {
        for (int c = 0; c < CONNECTIONS_PER_THREAD; c++)
        {
            try (Socket socket = new Socket("127.0.0.1", port))
            {
                socket.setSoTimeout(100);
                final OutputStream out = socket.getOutputStream();
                final InputStream in = socket.getInputStream();
                for (int f = 0; f < FRAMES_PER_CONNECTION; f++)
                {
                    final byte[] frame = badFrame(random, seeds.get(random.nextInt(seeds.size())));
                    try
                    {
                        out.write(frame);
                        out.flush();
                    }
                    catch (final IOException e)
                    {
                        closed.incrementAndGet();
                        break;
                    }
                    final int outcome = drain(in);
                    if (outcome < 0)
                    {
                        closed.incrementAndGet();
                        break;
                    }
                    if (outcome > 0)
                    {
                        answered.incrementAndGet();
                    }
                }
            }
        }
    }

    /** @return -1 if the server closed the connection, else the bytes it sent within the timeout. */
    private static int drain(final InputStream in) throws IOException
    {
        final byte[] buffer = new byte[64 * 1024];
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

    private static byte[] badFrame(final Random random, final byte[] seed)
    {
        final byte[] frame = Arrays.copyOf(seed, seed.length);
        switch (random.nextInt(7))
        {
            case 0 ->
            {
                // Random bytes behind a plausible size.
                final byte[] body = new byte[random.nextInt(200)];
                random.nextBytes(body);
                return ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).array();
            }
            case 1 ->
            {
                // Flip a few bytes of a valid request, past the size.
                for (int i = 1 + random.nextInt(8); i > 0; i--)
                {
                    frame[4 + random.nextInt(frame.length - 4)] ^= (byte)(1 + random.nextInt(255));
                }
                return frame;
            }
            case 2 ->
            {
                // A body cut short, with a size that says it is complete.
                final int cut = 4 + random.nextInt(frame.length - 4);
                final byte[] truncated = Arrays.copyOf(frame, cut);
                ByteBuffer.wrap(truncated).putInt(0, cut - 4);
                return truncated;
            }
            case 3 ->
            {
                // A size that lies: negative, zero, huge, or just off.
                final int[] sizes = {-1, Integer.MIN_VALUE, 0, Integer.MAX_VALUE, (1 << 20) + 1, frame.length - 4 + 1 + random.nextInt(16)};
                ByteBuffer.wrap(frame).putInt(0, sizes[random.nextInt(sizes.length)]);
                return frame;
            }
            case 4 ->
            {
                // An API key or version nobody serves.
                ByteBuffer.wrap(frame).putShort(4 + random.nextInt(2) * 2, (short)(random.nextInt(65536) - 32768));
                return frame;
            }
            case 5 ->
            {
                // A string or array length inflated.
                final int at = 8 + random.nextInt(frame.length - 10);
                ByteBuffer.wrap(frame).putShort(at, (short)(0x7ff0 + random.nextInt(15)));
                return frame;
            }
            default ->
            {
                return frame;   // a valid request, so some connections live a while
            }
        }
    }
}
