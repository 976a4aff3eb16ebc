package io.tidemark.runtime;

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
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * Apache Kafka's {@code kafka-transactions} tool ({@code TransactionsCommand} of kafka-tools
 * 4.3.1) in child JVMs, on the class path {@link KafkaBrokerProcess#classpath()} resolves, and
 * its tables read back by column name.
 */
public final class TransactionsTool
{
    private static final long TIMEOUT_SECONDS = 180;
    private static final String TOPIC = "tool";

    /** Writes a transaction no coordinator knows of, the hanging one, in a way the broker under test allows. */
    @FunctionalInterface
    public interface HangingWriter
    {
        /**
         * Appends one transactional record at offset 0 of partition 1 of the topic
         * {@code tool} (no marker will follow), for a producer id the coordinator has no
         * transactional id for.
         *
         * @return the producer id of the batch.
         * @throws Exception if the broker refuses it.
         */
        long writeHangingTransaction() throws Exception;
    }

    private TransactionsTool()
    {
    }

    /**
     * What one run of the tool printed and how it exited.
     *
     * @param args the tool's class, then its command and options.
     * @param exitCode the exit status (a run still going after a minute is killed).
     * @param out its standard output, the table.
     * @param err its standard error: the clients' log and the tool's error messages.
     */
    public record Run(List<String> args, int exitCode, String out, String err)
    {
        /**
         * @return the table on standard output, a map per row from the header's names to the
         *         cells (the tool pads each cell and ends it with a tab); empty if only the
         *         header was printed.
         */
        public List<Map<String, String>> rows()
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

    /**
     * The scenario of the tool's documentation, on a broker with nothing on it yet: a committed
     * transaction (tool-done) and an ongoing one (tool-open) on partition 0 of the topic
     * {@code tool}, and a hanging one on partition 1; then {@code list}, {@code describe},
     * {@code describe-producers}, {@code find-hanging} by broker and by topic, an {@code abort}
     * at a start offset no transaction has (refused, writes nothing) and at the hanging one's,
     * after which read_committed consumers read to the log end.
     *
     * @param bootstrap host:port of the broker.
     * @param brokerId its node id, for {@code find-hanging --broker-id}.
     * @param hanging writes the hanging transaction.
     * @throws Exception if the broker or the tool fails; assertion errors carry the tool's output.
     */
    public static void listDescribeFindAndAbort(final String bootstrap, final int brokerId, final HangingWriter hanging) throws Exception
    {
        TransactionClients.createTopic(bootstrap, TOPIC, 2);
        final TopicPartition hangingPartition = new TopicPartition(TOPIC, 1);
        try (KafkaProducer<String, String> done = TransactionClients.producer(bootstrap, "tool-done", Map.of());
            KafkaProducer<String, String> ongoing = TransactionClients.producer(bootstrap, "tool-open", Map.of()))
        {
            done.initTransactions();
            done.beginTransaction();
            done.send(new ProducerRecord<>(TOPIC, 0, null, "committed")).get();
            done.commitTransaction();
            ongoing.initTransactions();
            ongoing.beginTransaction();
            final long openOffset = ongoing.send(new ProducerRecord<>(TOPIC, 0, null, "open")).get().offset();
            final long beforeAppend = System.currentTimeMillis();
            final long hangingProducer = hanging.writeHangingTransaction();
            final long afterAppend = System.currentTimeMillis();

            final List<Run> runs = run(bootstrap, List.of(
                List.of("list"),
                List.of("describe", "--transactional-id", "tool-open"),
                List.of("describe-producers", "--topic", TOPIC, "--partition", "0"),
                List.of("find-hanging", "--broker-id", String.valueOf(brokerId), "--max-transaction-timeout", "0"),
                List.of("find-hanging", "--topic", TOPIC),
                List.of("abort", "--topic", TOPIC, "--partition", "1", "--start-offset", "5")));

            final Map<String, Map<String, String>> listed = new HashMap<>();
            runs.get(0).rows().forEach(row -> listed.put(row.get("TransactionalId"), row));
            assertEquals(Set.of("tool-done", "tool-open"), listed.keySet(), runs.get(0).toString());
            assertEquals("CompleteCommit", listed.get("tool-done").get("TransactionState"));
            assertEquals("Ongoing", listed.get("tool-open").get("TransactionState"));
            assertEquals(String.valueOf(brokerId), listed.get("tool-open").get("Coordinator"));
            final String openProducer = listed.get("tool-open").get("ProducerId");

            final List<Map<String, String>> described = runs.get(1).rows();
            assertEquals(1, described.size(), runs.get(1).toString());
            assertEquals("tool-open", described.get(0).get("TransactionalId"));
            assertEquals("Ongoing", described.get(0).get("TransactionState"));
            assertEquals(openProducer, described.get(0).get("ProducerId"));
            assertEquals(TOPIC + "-0", described.get(0).get("TopicPartitions"));
            assertEquals("60000", described.get(0).get("TransactionTimeoutMs"));
            assertTrue(Long.parseLong(described.get(0).get("CurrentTransactionStartTimeMs")) > 0, runs.get(1).toString());

            final Map<String, Map<String, String>> producers = new HashMap<>();
            runs.get(2).rows().forEach(row -> producers.put(row.get("ProducerId"), row));
            assertEquals(Set.of(openProducer, listed.get("tool-done").get("ProducerId")), producers.keySet(), runs.get(2).toString());
            assertEquals(String.valueOf(openOffset), producers.get(openProducer).get("CurrentTransactionStartOffset"));
            assertEquals("None", producers.get(listed.get("tool-done").get("ProducerId")).get("CurrentTransactionStartOffset"),
                "the committed transaction holds nothing open");

            // Open longer than 0 minutes: both are candidates, but the coordinator vouches for
            // tool-open's partition, so only the batch no coordinator knows is hanging.
            final List<Map<String, String>> found = runs.get(3).rows();
            assertEquals(1, found.size(), runs.get(3).toString());
            assertEquals(TOPIC, found.get(0).get("Topic"));
            assertEquals("1", found.get(0).get("Partition"));
            assertEquals(String.valueOf(hangingProducer), found.get(0).get("ProducerId"));
            assertEquals("0", found.get(0).get("ProducerEpoch"));
            assertEquals("0", found.get(0).get("StartOffset"));
            // The writers give the batch an event time a minute old; Tidemark reports the
            // broker's time of the append instead (its producer state keeps that, not the
            // batch's), so only an upper bound holds for both brokers.
            assertTrue(Long.parseLong(found.get(0).get("LastTimestamp")) <= afterAppend, runs.get(3).toString());
            assertTrue(Long.parseLong(found.get(0).get("LastTimestamp")) >= beforeAppend - 120_000, runs.get(3).toString());
            assertEquals(List.of(), runs.get(4).rows(), "nothing open for the default 15 minutes: " + runs.get(4));

            assertEquals(1, runs.get(5).exitCode(), runs.get(5).toString());
            assertTrue(runs.get(5).err().contains("Could not find any open transactions starting at offset 5 on partition tool-1"),
                runs.get(5).toString());
            assertEquals(1L, TransactionClients.logEndOffsets(bootstrap, List.of(hangingPartition)).get(hangingPartition),
                "a refused abort writes nothing");

            final Run abort = run(bootstrap, List.of(List.of("abort", "--topic", TOPIC, "--partition", "1", "--start-offset", "0"))).get(0);
            assertEquals(0, abort.exitCode(), abort.toString());
            assertEquals(2L, TransactionClients.logEndOffsets(bootstrap, List.of(hangingPartition)).get(hangingPartition), "the abort marker");
            ongoing.commitTransaction();
        }
        assertEquals(List.of("committed", "open"),
            TransactionClients.values(TransactionClients.readToEnd(bootstrap, TOPIC, 2, IsolationLevel.READ_COMMITTED, Duration.ofSeconds(TIMEOUT_SECONDS))),
            "read_committed readers reach the log end of both partitions, past the aborted one");
    }

    /**
     * Runs the tool once per argument list, all at the same time (a JVM start each is most of
     * a run), and waits for every one.
     *
     * @param bootstrap host:port of the broker, given as {@code --bootstrap-server}.
     * @param argLists a command and its options per run, such as {@code list}.
     * @return the runs, in the order of the argument lists.
     * @throws Exception if a process cannot be started or its output read.
     */
    public static List<Run> run(final String bootstrap, final List<List<String>> argLists) throws Exception
    {
        return run("org.apache.kafka.tools.TransactionsCommand", bootstrap, argLists);
    }

    /**
     * Runs one of Kafka's command-line tools once per argument list, as {@link #run(String, List)}
     * runs {@code kafka-transactions}.
     *
     * @param mainClass the tool's class, such as {@code kafka.admin.ConfigCommand}.
     * @param bootstrap host:port of the broker, given as {@code --bootstrap-server}.
     * @param argLists the options per run.
     * @return the runs, in the order of the argument lists.
     * @throws Exception if a process cannot be started or its output read.
     */
    public static List<Run> run(final String mainClass, final String bootstrap, final List<List<String>> argLists) throws Exception
    {
        final List<List<String>> commands = new ArrayList<>();
        for (final List<String> args : argLists)
        {
            final List<String> command = new ArrayList<>(List.of(mainClass, "--bootstrap-server", bootstrap));
            command.addAll(args);
            commands.add(command);
        }
        return runTools(commands);
    }

    /**
     * Runs Kafka's command-line tools, one child JVM per command, all at the same time, and
     * waits for every one.
     *
     * @param commands per run the tool's class (such as {@code org.apache.kafka.tools.GetOffsetShell})
     *        and its arguments.
     * @return the runs, in the order of the commands.
     * @throws Exception if a process cannot be started or its output read.
     */
    public static List<Run> runTools(final List<List<String>> commands) throws Exception
    {
        final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        final List<Process> processes = new ArrayList<>();
        final List<Path> outs = new ArrayList<>();
        final List<Path> errs = new ArrayList<>();
        for (final List<String> args : commands)
        {
            // No hsperfdata file: the JVM warns on stdout, mixed into the tool's output, when it finds
            // the file of its pid locked by a process elsewhere (pids are reused across containers).
            final List<String> command = new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:-UsePerfData",
                "-cp", KafkaBrokerProcess.classpath()));
            command.addAll(args);
            final Path out = Files.createTempFile("kafka-tool", ".out");
            final Path err = Files.createTempFile("kafka-tool", ".err");
            outs.add(out);
            errs.add(err);
            processes.add(new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start());
        }
        final List<Run> runs = new ArrayList<>();
        for (int i = 0; i < processes.size(); i++)
        {
            final Process process = processes.get(i);
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS))
            {
                process.destroyForcibly().waitFor();
            }
            runs.add(new Run(commands.get(i), process.exitValue(), Files.readString(outs.get(i), UTF_8), Files.readString(errs.get(i), UTF_8)));
            Files.delete(outs.get(i));
            Files.delete(errs.get(i));
        }
        return runs;
    }
}
