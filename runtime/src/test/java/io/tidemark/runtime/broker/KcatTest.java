package io.tidemark.runtime.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.CompressionType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kcat (librdkafka, the C client) against the server: metadata listing, produce and consume
 * with keys and headers, compressed batches, and a transactional producer and read-committed consumer. CI installs kcat ({@code .ci/run}); where it is missing the
 * tests are skipped, saying so.
 */
class KcatTest
{
    @TempDir
    Path dataDir;

    @BeforeAll
    static void kcatInstalled()
    {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/kcat")) || onPath(),
            "kcat is not installed (Debian package 'kcat'; .ci/run installs it): skipping the kcat tests");
    }

    private static boolean onPath()
    {
        for (final String dir : System.getenv().getOrDefault("PATH", "").split(":"))
        {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "kcat")))
            {
                return true;
            }
        }
        return false;
    }

    private static String kcat(final String input, final String... args) throws IOException, InterruptedException
    {
        final List<String> command = new ArrayList<>();
        command.add("kcat");
        command.addAll(List.of(args));
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (input != null)
        {
            process.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        }
        process.getOutputStream().close();
        final byte[] output = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "kcat finished");
        final String text = new String(output, StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), "kcat " + String.join(" ", args) + ": " + text);
        return text;
    }

    /**
     * @return {@code count} lines, the prefix followed by 0, 1, ...
     */
    private static String lines(final String prefix, final int count)
    {
        final StringBuilder lines = new StringBuilder();
        for (int i = 0; i < count; i++)
        {
            lines.append(prefix).append(i).append('\n');
        }
        return lines.toString();
    }

    @Test
    void listsMetadata() throws Exception
    {
        try (TestServer server = TestServer.start(dataDir, Map.of()))
        {
            server.server().logs().createTopic("listed", 4, Map.of());
            final String metadata = kcat(null, "-b", server.bootstrap(), "-L");
            assertTrue(metadata.contains("broker 0 at 127.0.0.1:" + server.port()), metadata);
            assertTrue(metadata.contains("topic \"listed\" with 4 partitions"), metadata);
            assertTrue(metadata.contains("partition 3, leader 0, replicas: 0, isrs: 0"), metadata);
        }
    }

    @Test
    void producesAndConsumesKeysAndHeaders() throws Exception
    {
        try (TestServer server = TestServer.start(dataDir, Map.of("num.partitions", "1")))
        {
            final StringBuilder input = new StringBuilder();
            for (int i = 0; i < 100; i++)
            {
                input.append("key-").append(i).append(":value-").append(i).append('\n');
            }
            kcat(input.toString(), "-b", server.bootstrap(), "-P", "-t", "kc", "-K", ":", "-H", "source=kcat", "-H", "run=1",
                "-X", "enable.idempotence=true");
            final String consumed = kcat(null, "-b", server.bootstrap(), "-C", "-t", "kc", "-o", "beginning", "-e", "-q",
                "-f", "%p|%o|%k|%s|%h\n");
            final String[] lines = consumed.strip().split("\n");
            assertEquals(100, lines.length, consumed);
            for (int i = 0; i < 100; i++)
            {
                assertEquals("0|" + i + "|key-" + i + "|value-" + i + "|source=kcat,run=1", lines[i]);
            }
            // Reading from an offset in the middle, and the end offset by query.
            final String tail = kcat(null, "-b", server.bootstrap(), "-C", "-t", "kc", "-o", "98", "-e", "-q", "-f", "%k\n");
            assertEquals("key-98\nkey-99", tail.strip());
            final String offsets = kcat(null, "-b", server.bootstrap(), "-Q", "-t", "kc:0:-1");
            assertTrue(offsets.contains("kc [0] offset 100"), offsets);
        }
    }

    /**
     * Older librdkafka releases (Debian's kcat) compress only if the broker advertises Produce
     * from version 0, as Kafka 4 does while refusing 0-2; otherwise they log "not compressing
     * batch" and send the records plain.
     */
    @Test
    void compressesItsBatches() throws Exception
    {
        try (TestServer server = TestServer.start(dataDir, Map.of("num.partitions", "1")))
        {
            final String input = lines("compressed-", 100);
            final String debug = kcat(input, "-b", server.bootstrap(), "-P", "-t", "kclz4", "-z", "lz4", "-X", "debug=protocol,msg");
            assertFalse(debug.contains("not compressing"), debug);

            try (WireClient client = new WireClient(server.port()))
            {
                final FetchResponseData fetched = (FetchResponseData)client.send(ProtocolErrorsTest.fetch("kclz4", 0, 0, 0, 1), (short)12);
                final FetchResponseData.PartitionData partition = fetched.responses().get(0).partitions().get(0);
                assertEquals(Errors.NONE.code(), partition.errorCode());
                long records = 0;
                long compressed = 0;
                for (final RecordBatch batch : ((MemoryRecords)partition.records()).batches())
                {
                    final long count = batch.nextOffset() - batch.baseOffset();
                    // librdkafka sends a batch plain when compressing made it larger, as it does for a lone small record.
                    if (count > 1)
                    {
                        assertEquals(CompressionType.LZ4, batch.compressionType(), "batch at " + batch.baseOffset());
                    }
                    compressed += batch.compressionType() == CompressionType.LZ4 ? count : 0;
                    records += count;
                }
                assertEquals(100, records);
                assertTrue(compressed >= 90, compressed + " of 100 records in lz4 batches");
            }
            final String consumed = kcat(null, "-b", server.bootstrap(), "-C", "-t", "kclz4", "-o", "beginning", "-e", "-q", "-f", "%s\n");
            assertEquals(input.strip(), consumed.strip());
        }
    }

    @Test
    void aTransactionalProducerCommitsAndAReadCommittedConsumerStopsAtAnOpenTransaction() throws Exception
    {
        try (TestServer server = TestServer.start(dataDir, Map.of("num.partitions", "1")))
        {
            // kcat sends everything in one transaction and commits it when its input ends.
            kcat(lines("committed-", 50), "-b", server.bootstrap(), "-P", "-t", "kctx", "-X", "transactional.id=kcat-tx");
            try (KafkaProducer<byte[], byte[]> open = KafkaTransactionsTest.transactional(server, "java-tx", Map.of()))
            {
                open.beginTransaction();
                open.send(new ProducerRecord<>("kctx", 0, null, "open".getBytes(StandardCharsets.UTF_8))).get();
                final String committed = kcat(null, "-b", server.bootstrap(), "-C", "-t", "kctx", "-o", "beginning", "-e", "-q",
                    "-X", "isolation.level=read_committed", "-f", "%s\n");
                final String[] lines = committed.strip().split("\n");
                assertEquals(50, lines.length, committed);
                for (int i = 0; i < 50; i++)
                {
                    assertEquals("committed-" + i, lines[i]);
                }
                final String uncommitted = kcat(null, "-b", server.bootstrap(), "-C", "-t", "kctx", "-o", "beginning", "-e", "-q",
                    "-X", "isolation.level=read_uncommitted", "-f", "%s\n");
                assertTrue(uncommitted.strip().endsWith("open"), uncommitted);
                open.abortTransaction();
            }
            final String afterAbort = kcat(null, "-b", server.bootstrap(), "-C", "-t", "kctx", "-o", "beginning", "-e", "-q",
                "-X", "isolation.level=read_committed", "-f", "%s\n");
            assertEquals(50, afterAbort.strip().split("\n").length, afterAbort);
        }
    }
}
