package io.tidemark.runtime.broker;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tidemark.log.PartitionLog;
import io.tidemark.runtime.KafkaBrokerProcess;

/**
 * Apache Kafka's own {@code kafka-transactions} tool ({@code TransactionsCommand} of
 * kafka-tools 4.3.1, in a child JVM on the class path {@code benchmarks/kafka-broker/pom.xml}
 * resolves) against the server: {@code list}, {@code describe}, {@code describe-producers},
 * {@code find-hanging} by broker and by topic, and {@code abort} of a hanging transaction,
 * its tables parsed and checked field by field.
 */
class TransactionsCommandTest
{
    private static final long TOOL_TIMEOUT_SECONDS = 60;

    @TempDir
    Path dataDir;

    /** What one run of the tool printed and how it exited. */
    private record ToolRun(List<String> args, int exitCode, String out, String err)
    {
        /** The table on stdout: a row per line, cells by the header's names (the tool pads cells and ends each with a tab). */
        List<Map<String, String>> rows()
        {
            assertEquals(0, exitCode, this::toString);
            final List<String> lines = out.lines().filter(line -> !line.isBlank()).toList();
            final String[] header = cells(lines.get(0));
            final List<Map<String, String>> rows = new ArrayList<>();
            for (final String line : lines.subList(1, lines.size()))
            {
                final String[] cells = cells(line);
                assertEquals(header.length, cells.length, line);
                final Map<String, String> row = new HashMap<>();
                for (int i = 0; i < header.length; i++)
                {
                    row.put(header[i], cells[i]);
                }
                rows.add(row);
            }
            return rows;
        }

        private static String[] cells(final String line)
        {
            final String[] cells = line.split("\t");
            for (int i = 0; i < cells.length; i++)
            {
                cells[i] = cells[i].trim();
            }
            return cells;
        }
    }

    /** Starts the tool once per argument list, all at once (each is a JVM start), and waits for every one. */
    private static List<ToolRun> runTool(final TestServer server, final List<List<String>> argLists) throws Exception
    {
        final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        final List<Process> processes = new ArrayList<>();
        final List<Path> outs = new ArrayList<>();
        final List<Path> errs = new ArrayList<>();
        for (final List<String> args : argLists)
        {
            final List<String> command = new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", KafkaBrokerProcess.classpath(), "org.apache.kafka.tools.TransactionsCommand", "--bootstrap-server", server.bootstrap()));
            command.addAll(args);
            final Path out = Files.createTempFile("kafka-transactions", ".out");
            final Path err = Files.createTempFile("kafka-transactions", ".err");
            outs.add(out);
            errs.add(err);
            processes.add(new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start());
        }
        final List<ToolRun> runs = new ArrayList<>();
        for (int i = 0; i < processes.size(); i++)
        {
            final Process process = processes.get(i);
            if (!process.waitFor(TOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS))
            {
                process.destroyForcibly();
            }
            runs.add(new ToolRun(argLists.get(i), process.isAlive() ? -1 : process.exitValue(), Files.readString(outs.get(i), UTF_8),
                Files.readString(errs.get(i), UTF_8)));
            Files.delete(outs.get(i));
            Files.delete(errs.get(i));
        }
        return runs;
    }

    @Test
    void kafkasToolListsDescribesFindsAndAbortsAHangingTransaction() throws Exception
    {
        try (TestServer server = TestServer.start(dataDir, Map.of());
            Admin admin = KafkaClientsTest.admin(server))
        {
            server.server().logs().createTopic("tool", 2, Map.of());
            final TopicPartition open = new TopicPartition("tool", 0);
            final TopicPartition hanging = new TopicPartition("tool", 1);
            try (KafkaProducer<byte[], byte[]> done = KafkaTransactionsTest.transactional(server, "tool-done", Map.of());
                KafkaProducer<byte[], byte[]> ongoing = KafkaTransactionsTest.transactional(server, "tool-open", Map.of()))
            {
                done.beginTransaction();
                done.send(new ProducerRecord<>("tool", 0, null, "committed".getBytes(UTF_8))).get();
                done.commitTransaction();
                ongoing.beginTransaction();
                final long openOffset = ongoing.send(new ProducerRecord<>("tool", 0, null, "open".getBytes(UTF_8))).get().offset();

                // A transactional batch no coordinator knows of, appended below the wire (the
                // server verifies every transactional produce with its coordinator): what a lost
                // coordinator state leaves behind, and what the tool calls hanging.
                final PartitionLog hangingLog = server.server().logs().partition(new io.tidemark.log.TopicPartition("tool", 1));
                final long hangingProducer = server.server().logs().allocateProducerId();
                final long beforeAppend = System.currentTimeMillis();
                hangingLog.append(MemoryRecords.withTransactionalRecords(Compression.NONE, hangingProducer, (short)0, 0,
                    new SimpleRecord(beforeAppend - 60_000, null, "hanging".getBytes(UTF_8))).buffer());
                final long afterAppend = System.currentTimeMillis();

                final List<ToolRun> runs = runTool(server, List.of(
                    List.of("list"),
                    List.of("describe", "--transactional-id", "tool-open"),
                    List.of("describe-producers", "--topic", "tool", "--partition", "0"),
                    List.of("find-hanging", "--broker-id", "0", "--max-transaction-timeout", "0"),
                    List.of("find-hanging", "--topic", "tool"),
                    List.of("abort", "--topic", "tool", "--partition", "1", "--start-offset", "5")));

                final Map<String, Map<String, String>> listed = new HashMap<>();
                runs.get(0).rows().forEach(row -> listed.put(row.get("TransactionalId"), row));
                assertEquals(2, listed.size(), runs.get(0).toString());
                assertEquals("CompleteCommit", listed.get("tool-done").get("TransactionState"));
                assertEquals("Ongoing", listed.get("tool-open").get("TransactionState"));
                assertEquals("0", listed.get("tool-open").get("Coordinator"));
                final String openProducer = listed.get("tool-open").get("ProducerId");

                final List<Map<String, String>> described = runs.get(1).rows();
                assertEquals(1, described.size(), runs.get(1).toString());
                assertEquals("tool-open", described.get(0).get("TransactionalId"));
                assertEquals("Ongoing", described.get(0).get("TransactionState"));
                assertEquals(openProducer, described.get(0).get("ProducerId"));
                assertEquals("tool-0", described.get(0).get("TopicPartitions"));
                assertEquals("60000", described.get(0).get("TransactionTimeoutMs"));
                assertTrue(Long.parseLong(described.get(0).get("CurrentTransactionStartTimeMs")) > 0, runs.get(1).toString());

                final Map<String, Map<String, String>> producers = new HashMap<>();
                runs.get(2).rows().forEach(row -> producers.put(row.get("ProducerId"), row));
                assertEquals(2, producers.size(), runs.get(2).toString());
                assertEquals(String.valueOf(openOffset), producers.get(openProducer).get("CurrentTransactionStartOffset"));
                assertEquals("None", producers.get(listed.get("tool-done").get("ProducerId")).get("CurrentTransactionStartOffset"),
                    "the committed transaction holds nothing open");

                // Open longer than 0 minutes: both are candidates, but the coordinator vouches
                // for tool-open's partition, so only the batch no coordinator knows is hanging.
                final List<Map<String, String>> found = runs.get(3).rows();
                assertEquals(1, found.size(), runs.get(3).toString());
                assertEquals("tool", found.get(0).get("Topic"));
                assertEquals("1", found.get(0).get("Partition"));
                assertEquals(String.valueOf(hangingProducer), found.get(0).get("ProducerId"));
                assertEquals("0", found.get(0).get("ProducerEpoch"));
                assertEquals("0", found.get(0).get("StartOffset"));
                // Tidemark's producer state keeps the broker's time of the last append, not the
                // batch's (older) event time that Kafka reports: Duration(min) counts from it.
                final long lastTimestamp = Long.parseLong(found.get(0).get("LastTimestamp"));
                assertTrue(lastTimestamp >= beforeAppend && lastTimestamp <= afterAppend, runs.get(3).toString());
                assertEquals(List.of(), runs.get(4).rows(), "nothing open for the default 15 minutes: " + runs.get(4));

                assertEquals(1, runs.get(5).exitCode(), runs.get(5).toString());
                assertTrue(runs.get(5).err().contains("Could not find any open transactions starting at offset 5 on partition tool-1"),
                    runs.get(5).toString());
                assertEquals(1, hangingLog.logEndOffset(), "a refused abort writes nothing");

                final List<ToolRun> abort = runTool(server, List.of(List.of("abort", "--topic", "tool", "--partition", "1", "--start-offset", "0")));
                assertEquals(0, abort.get(0).exitCode(), abort.get(0).toString());
                assertEquals(2, hangingLog.logEndOffset(), "the abort marker");
                assertEquals(hangingLog.logEndOffset(), hangingLog.lastStableOffset(), "nothing holds read_committed readers back");
                assertTrue(admin.describeProducers(List.of(hanging)).partitionResult(hanging).get().activeProducers().stream()
                    .allMatch(producer -> producer.currentTransactionStartOffset().isEmpty()));
                try (KafkaConsumer<byte[], byte[]> committed = KafkaTransactionsTest.consumer(server, "read_committed", Map.of()))
                {
                    committed.assign(List.of(hanging));
                    assertEquals(2, committed.endOffsets(List.of(hanging)).get(hanging));
                    final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TOOL_TIMEOUT_SECONDS);
                    while (committed.position(hanging) < 2 && System.nanoTime() - deadline < 0)
                    {
                        final ConsumerRecords<byte[], byte[]> records = committed.poll(Duration.ofMillis(100));
                        assertTrue(records.isEmpty(), "the aborted record is skipped");
                    }
                    assertEquals(2, committed.position(hanging), "past the aborted transaction");
                }
                ongoing.commitTransaction();
            }
            assertEquals(List.of("committed", "open"), KafkaTransactionsTest.readAll(server, "read_committed", List.of(open)));
        }
    }
}
