package io.tidemark.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code tidemark topics|produce|consume|groups} run in-process against a broker process of
 * each kind with the same expectations: Apache Kafka 4.3.1 is the oracle, {@code tidemark
 * server} must answer alike, refusals included (each a one-line message naming the command).
 * Both brokers run once for the class, with {@code auto.create.topics.enable=false}; each test has its own
 * topics and groups, named after the broker.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClientCommandsTest
{
    private static final String NL = System.lineSeparator();
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @TempDir
    static Path dir;

    private final Map<String, BrokerUnderTest> brokers = new LinkedHashMap<>();

    /** What a command printed and how it exited. */
    private record Run(int code, String out, String err)
    {
        List<String> lines()
        {
            return out.lines().toList();
        }

        /** A failure: the exit code, and one line on stderr naming the command, with the reason. */
        Run failed(final int expectedCode, final String command, final String reason)
        {
            assertEquals(expectedCode, code, this::toString);
            assertEquals(1, err.lines().count(), "one line: " + err);
            assertTrue(err.startsWith("tidemark " + command + ": "), err);
            assertTrue(err.contains(reason), "expected '" + reason + "' in: " + err);
            assertFalse(err.contains("\tat "), err);
            return this;
        }

        Run succeeded()
        {
            assertEquals(0, code, this::toString);
            return this;
        }
    }

    @BeforeAll
    void startBrokers() throws Exception
    {
        // No delay before an empty group's first rebalance, on Tidemark as on the Kafka broker
        // (KafkaBrokerProcess sets it): the group test's members would wait 3 s each to join.
        final Map<String, String> config = Map.of("auto.create.topics.enable", "false", "group.initial.rebalance.delay.ms", "0");
        brokers.put("tidemark", new TidemarkBrokerProcess(dir.resolve("tidemark"), config));
        brokers.put("kafka", new KafkaBrokerProcess(dir.resolve("kafka"), config));
        BrokerUnderTest.onEach(brokers.values(), BrokerUnderTest::start, Duration.ofMinutes(3));
    }

    @AfterAll
    void stopBrokers() throws Exception
    {
        for (final BrokerUnderTest broker : brokers.values())
        {
            broker.close();
        }
    }

    /** Runs {@code tidemark ARGS --bootstrap-server BROKER}. */
    private Run run(final String broker, final String... args)
    {
        return runAlone(against(broker, args));
    }

    private static Run runAlone(final String... args)
    {
        final CommandOutput output = new CommandOutput();
        final int code = output.run(args);
        return new Run(code, output.out(), output.err());
    }

    /**
     * Runs commands that wait out a timeout (an idle consumer, an unreachable broker) side by
     * side, each on a thread of its own, instead of one timeout after the other.
     *
     * @return what each printed, in the order of the command lines.
     */
    private static List<Run> runSideBySide(final List<String[]> commandLines) throws Exception
    {
        final ExecutorService threads = Executors.newFixedThreadPool(commandLines.size());
        try
        {
            final List<Future<Run>> runs = new ArrayList<>();
            for (final String[] args : commandLines)
            {
                runs.add(threads.submit(() -> runAlone(args)));
            }
            final List<Run> done = new ArrayList<>();
            for (final Future<Run> run : runs)
            {
                done.add(run.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS));
            }
            return done;
        }
        finally
        {
            threads.shutdownNow();
        }
    }

    /** {@code ARGS --bootstrap-server BROKER}. */
    private String[] against(final String broker, final String... args)
    {
        final List<String> command = new ArrayList<>(Arrays.asList(args));
        command.addAll(List.of("--bootstrap-server", brokers.get(broker).bootstrap()));
        return command.toArray(String[]::new);
    }

    private static Path lines(final String name, final String... lines) throws Exception
    {
        return Files.writeString(dir.resolve(name), String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tidemark", "kafka"})
    void topicsAreCreatedListedDescribedAlteredAndDeleted(final String broker) throws Exception
    {
        final String topic = "topics-" + broker;
        assertEquals("Created topic " + topic + "." + NL,
            run(broker, "topics", "create", "--topic", topic, "--partitions", "3", "--config", "retention.bytes=1048576",
                "--config", "retention.ms=3600000").succeeded().out());
        run(broker, "topics", "create", "--topic", topic).failed(1, "topics create", "already exists");
        assertEquals("", run(broker, "topics", "create", "--topic", topic, "--if-not-exists").succeeded().out());

        final List<String> listed = run(broker, "topics", "list").succeeded().lines();
        assertTrue(listed.contains(topic), listed::toString);
        assertTrue(listed.stream().noneMatch(name -> name.startsWith("__")), "internal topics are left out: " + listed);

        final List<String> described = run(broker, "topics", "describe", "--topic", topic).succeeded().lines();
        assertEquals(4, described.size(), described::toString);
        // Kafka lists every key not at its built-in default (min.insync.replicas is a cluster default there).
        assertTrue(described.get(0).matches("Topic: " + topic + "(\tTopicId: \\S+)?\tPartitionCount: 3\tReplicationFactor: 1\t"
            + "Configs: (min.insync.replicas=1,)?retention.bytes=1048576,retention.ms=3600000"), described.get(0));
        for (int p = 0; p < 3; p++)
        {
            assertTrue(described.get(1 + p).matches("\tTopic: " + topic + "\tPartition: " + p + "\tLeader: (\\d+)\tReplicas: \\1\tIsr: \\1"),
                described.get(1 + p));
        }

        assertEquals("Increased the partitions of topic " + topic + " to 5." + NL,
            run(broker, "topics", "alter", "--topic", topic, "--partitions", "5").succeeded().out());
        run(broker, "topics", "alter", "--topic", topic, "--partitions", "2").failed(1, "topics alter", "5");
        final Run newConfig = run(broker, "topics", "alter", "--topic", topic, "--config", "retention.ms=7200000", "--delete-config", "retention.bytes");
        assertEquals("Updated the configuration of topic " + topic + "." + NL, newConfig.succeeded().out());
        final String first = run(broker, "topics", "describe", "--topic", topic).succeeded().lines().get(0);
        assertTrue(first.contains("\tPartitionCount: 5\t") && first.matches(".*\tConfigs: (min.insync.replicas=1,)?retention.ms=7200000"), first);
        run(broker, "topics", "alter", "--topic", topic, "--config", "retention.ms=soon").failed(1, "topics alter", "retention.ms");

        assertEquals("Deleted topic " + topic + "." + NL, run(broker, "topics", "delete", "--topic", topic).succeeded().out());
        final long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (run(broker, "topics", "list").succeeded().lines().contains(topic))
        {
            assertTrue(System.nanoTime() < deadline, "the deleted topic is still listed");
            Thread.sleep(100);
        }
        run(broker, "topics", "delete", "--topic", topic).failed(1, "topics delete", "no such topic: " + topic);
        run(broker, "topics", "describe", "--topic", topic).failed(1, "topics describe", "no such topic: " + topic);
        assertEquals("", run(broker, "topics", "delete", "--topic", topic, "--if-exists").succeeded().out());
    }

    @ParameterizedTest
    @ValueSource(strings = {"tidemark", "kafka"})
    void producedLinesComeBackWithTheirKeysHeadersPartitionsAndOffsets(final String broker) throws Exception
    {
        final String topic = "records-" + broker;
        run(broker, "topics", "create", "--topic", topic, "--partitions", "2").succeeded();
        final Path input = lines("records-" + broker, "source:web,n:0\tuser-0:clicked", "\tuser-1:paid:twice", "source:app\tuser-2:",
            "source:web,n:3\t:no key", "n:4\tuser-4:left");
        final Run produced = run(broker, "produce", "--topic", topic, "--input", input.toString(), "--headers", "--key-separator", ":",
            "--partition", "1").succeeded();
        assertEquals("", produced.out());
        assertEquals("Sent a total of 5 messages" + NL, produced.err());

        final Run consumed = run(broker, "consume", "--topic", topic, "--from-beginning", "--print-partition", "--print-offset", "--print-headers",
            "--print-key", "--max-messages", "5", "--timeout", "30s").succeeded();
        assertEquals(List.of(
            "Partition:1\tOffset:0\tsource:web,n:0\tuser-0\tclicked",
            "Partition:1\tOffset:1\tNO_HEADERS\tuser-1\tpaid:twice",
            "Partition:1\tOffset:2\tsource:app\tuser-2\t",
            "Partition:1\tOffset:3\tsource:web,n:3\t\tno key",
            "Partition:1\tOffset:4\tn:4\tuser-4\tleft"), consumed.lines());
        assertEquals("Processed a total of 5 messages" + NL, consumed.err());

        // Each of these reads until it saw nothing for 2 s; they read side by side.
        final List<Run> reads = runSideBySide(List.of(
            against(broker, "consume", "--topic", topic, "--partition", "1", "--offset", "3", "--timeout", "2s"),
            against(broker, "consume", "--topic", topic, "--partition", "1", "--offset", "4", "--property", "print.key=true",
                "--property", "key.separator==", "--timeout", "2s"),
            against(broker, "consume", "--topic", topic, "--from-time", "0", "--print-timestamp", "--timeout", "2s"),
            against(broker, "consume", "--topic", topic, "--from-time", "2999-01-01T00:00:00Z", "--timeout", "2s")));
        assertEquals(List.of("no key", "left"), reads.get(0).succeeded().lines());
        assertEquals(List.of("user-4=left"), reads.get(1).succeeded().lines());
        final List<String> timed = reads.get(2).succeeded().lines();
        assertEquals(5, timed.size(), timed::toString);
        assertTrue(timed.stream().allMatch(line -> line.matches("CreateTime:\\d+\t.*")), timed::toString);
        assertEquals(List.of(), reads.get(3).succeeded().lines());

        // A line the command cannot read stops it; the lines before it were sent, and are read back.
        final Path bad = lines("bad-" + broker, "k:first", "k:second", "no separator", "k:never sent");
        run(broker, "produce", "--topic", topic, "--input", bad.toString(), "--key-separator", ":", "--partition", "0")
            .failed(1, "produce", "line 3: no key separator ':'; 2 messages were sent");
        // So does a record larger than the producer's max.request.size.
        final Path large = lines("large-" + broker, "third", "x".repeat(1_100_000));
        run(broker, "produce", "--topic", topic, "--input", large.toString(), "--partition", "0")
            .failed(1, "produce", "line 2: ");
        assertEquals(List.of("first", "second", "third"), run(broker, "consume", "--topic", topic, "--partition", "0", "--offset", "earliest",
            "--timeout", "2s").succeeded().lines());

        // One transaction: read_committed readers see its records once it committed.
        final Path transactional = lines("txn-" + broker, "t1", "t2");
        run(broker, "produce", "--topic", topic, "--input", transactional.toString(), "--partition", "0", "--transactional-id", "tx-" + broker)
            .succeeded();
        assertEquals(List.of("t1", "t2"), run(broker, "consume", "--topic", topic, "--partition", "0", "--offset", "3", "--isolation", "read_committed",
            "--max-messages", "2", "--timeout", "30s").succeeded().lines());
    }

    @ParameterizedTest
    @ValueSource(strings = {"tidemark", "kafka"})
    void aGroupsLagFollowsItsConsumptionAndItsOffsetsReset(final String broker) throws Exception
    {
        final String topic = "lag-" + broker;
        final String group = "billing-" + broker;
        run(broker, "topics", "create", "--topic", topic, "--partitions", "2").succeeded();
        run(broker, "produce", "--topic", topic, "--input", lines("four-" + broker, "a", "b", "c", "d").toString(), "--partition", "0").succeeded();
        run(broker, "produce", "--topic", topic, "--input", lines("two-" + broker, "e", "f").toString(), "--partition", "1").succeeded();

        final Run consumed = run(broker, "consume", "--topic", topic, "--group", group, "--from-beginning", "--max-messages", "6", "--timeout", "30s");
        assertEquals(List.of("a", "b", "c", "d", "e", "f"), consumed.succeeded().lines().stream().sorted().toList());
        assertTrue(run(broker, "groups", "list").succeeded().lines().contains(group));

        final Run described = run(broker, "groups", "describe", "--group", group).succeeded();
        assertEquals("Consumer group '" + group + "' has no active members." + NL, described.err());
        assertEquals(List.of("GROUP", "TOPIC", "PARTITION", "CURRENT-OFFSET", "LOG-END-OFFSET", "LAG", "CONSUMER-ID", "HOST", "CLIENT-ID"),
            List.of(described.lines().get(0).split(" +")));
        assertEquals(3, described.lines().size(), described.out());
        assertEquals(List.of(group + " " + topic + " 0 4 4 0 - - -", group + " " + topic + " 1 2 2 0 - - -"), rows(described, group));
        assertEquals(rows(described, group), rows(run(broker, "groups", "describe", "--all-groups").succeeded(), group), "--all-groups shows the group too");

        run(broker, "produce", "--topic", topic, "--input", lines("three-" + broker, "g", "h", "i").toString(), "--partition", "0").succeeded();
        assertEquals(List.of(group + " " + topic + " 0 4 7 3 - - -", group + " " + topic + " 1 2 2 0 - - -"),
            rows(run(broker, "groups", "describe", "--group", group).succeeded(), group));

        // A dry run prints the plan and changes nothing.
        final Run plan = run(broker, "groups", "reset-offsets", "--group", group, "--topic", topic, "--to-earliest").succeeded();
        assertEquals(List.of(group + " " + topic + " 0 0", group + " " + topic + " 1 0"), rows(plan, group));
        assertTrue(plan.err().contains("--execute"), plan.err());
        assertEquals(List.of(group + " " + topic + " 0 4 7 3 - - -", group + " " + topic + " 1 2 2 0 - - -"),
            rows(run(broker, "groups", "describe", "--group", group).succeeded(), group));

        run(broker, "groups", "reset-offsets", "--group", group, "--topic", topic, "--to-earliest", "--execute").succeeded();
        assertEquals(List.of(group + " " + topic + " 0 0 7 7 - - -", group + " " + topic + " 1 0 2 2 - - -"),
            rows(run(broker, "groups", "describe", "--group", group).succeeded(), group));
        run(broker, "groups", "reset-offsets", "--group", group, "--topic", topic + ":0", "--shift-by", "5", "--execute").succeeded();
        assertEquals(List.of(group + " " + topic + " 0 7", group + " " + topic + " 1 2"), rows(run(broker, "groups", "reset-offsets", "--group", group,
            "--all-topics", "--to-offset", "99", "--dry-run").succeeded(), group), "an offset past the end is the end");
        assertEquals(List.of(group + " " + topic + " 0 0", group + " " + topic + " 1 0"), rows(run(broker, "groups", "reset-offsets", "--group", group,
            "--all-topics", "--to-datetime", "0", "--dry-run").succeeded(), group));
        assertEquals(List.of(group + " " + topic + " 0 7", group + " " + topic + " 1 2"), rows(run(broker, "groups", "reset-offsets", "--group", group,
            "--all-topics", "--to-datetime", "2999-01-01T00:00:00Z", "--dry-run").succeeded(), group), "no record that late: the end");
        assertEquals(List.of(group + " " + topic + " 0 5 7 2 - - -", group + " " + topic + " 1 0 2 2 - - -"),
            rows(run(broker, "groups", "describe", "--group", group).succeeded(), group));

        // A group with a member keeps its offsets: the reset is refused.
        try (KafkaConsumer<String, String> member = member(broker, group))
        {
            member.subscribe(List.of(topic));
            final long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (member.assignment().isEmpty())
            {
                assertTrue(System.nanoTime() < deadline, "the member got no partitions");
                member.poll(Duration.ofMillis(100));
            }
            run(broker, "groups", "reset-offsets", "--group", group, "--all-topics", "--to-latest", "--execute")
                .failed(1, "groups reset-offsets", "active members");
            final Run members = run(broker, "groups", "describe", "--group", group, "--members").succeeded();
            assertEquals(1, rows(members, group).size(), members.out());
            assertTrue(rows(members, group).get(0).endsWith(" member-" + broker + " 2"), members.out());
        }

        assertEquals("Deletion of requested consumer groups ('" + group + "') was successful." + NL,
            run(broker, "groups", "delete", "--group", group).succeeded().out());
        assertFalse(run(broker, "groups", "list").succeeded().lines().contains(group));
        run(broker, "groups", "describe", "--group", group).failed(1, "groups describe", "no such group: " + group);
        run(broker, "groups", "delete", "--group", group).failed(1, "groups delete", "no such group: " + group);
        run(broker, "groups", "describe", "--group", "no-such-group").failed(1, "groups describe", "no such group: no-such-group");
    }

    @ParameterizedTest
    @ValueSource(strings = {"tidemark", "kafka"})
    void anUnknownTopicIsNamedInOneLine(final String broker)
    {
        run(broker, "produce", "--topic", "missing", "--input", dir.resolve("no-such-input").toString())
            .failed(2, "produce", "'--input'");
        run(broker, "produce", "--topic", "missing").failed(1, "produce", "no such topic: missing (and the broker does not create topics automatically)");
        run(broker, "consume", "--topic", "missing", "--timeout", "1s").failed(1, "consume", "no such topic: missing");
        run(broker, "topics", "describe", "--topic", "missing").failed(1, "topics describe", "no such topic: missing");
        run(broker, "groups", "reset-offsets", "--group", "g", "--topic", "missing", "--to-latest")
            .failed(1, "groups reset-offsets", "no such topic: missing");
    }

    @Test
    void anUnreachableBrokerIsReportedInOneLineWithinTheRequestTimeout() throws Exception
    {
        final int port;
        try (ServerSocket socket = new ServerSocket(0))
        {
            port = socket.getLocalPort();
        }
        final String closed = "127.0.0.1:" + port;
        final String reason = "no answer from " + closed + " within 1000 ms";
        final List<List<String>> commands = List.of(List.of("topics", "list"), List.of("topics", "create", "--topic", "t"),
            List.of("produce", "--topic", "t"), List.of("consume", "--topic", "t"), List.of("groups", "describe", "--group", "g"));
        final List<String[]> commandLines = new ArrayList<>();
        for (final List<String> command : commands)
        {
            final List<String> args = new ArrayList<>(command);
            args.addAll(List.of("--bootstrap-server", closed, "--request-timeout", "1s"));
            commandLines.add(args.toArray(String[]::new));
        }
        final List<Run> runs = runSideBySide(commandLines);
        for (int i = 0; i < commands.size(); i++)
        {
            final List<String> command = commands.get(i);
            runs.get(i).failed(1, String.join(" ", command.subList(0, command.get(0).equals("topics")
                || command.get(0).equals("groups") ? 2 : 1)), reason);
        }
    }

    @Test
    void aBadCommandLineIsRefusedBeforeAnyConnection()
    {
        runAlone("topics").failed(2, "topics", "Missing required subcommand");
        runAlone("topics", "create", "--topic", "t", "--partitions", "0").failed(2, "topics create", "'--partitions'");
        runAlone("topics", "list", "--bootstrap-server", "no-port").failed(2, "topics list", "'--bootstrap-server'");
        runAlone("topics", "list", "--command-config", dir.resolve("missing.properties").toString()).failed(2, "topics list", "no such file");
        runAlone("produce", "--topic", "t", "--acks", "2").failed(2, "produce", "'--acks'");
        runAlone("consume", "--topic", "t", "--offset", "5").failed(2, "consume", "give --partition too");
        runAlone("consume", "--topic", "t", "--isolation", "dirty").failed(2, "consume", "'--isolation'");
        runAlone("consume", "--topic", "t", "--property", "print.colour=true").failed(2, "consume", "'--property'");
        runAlone("consume", "--topic", "t", "--from-time", "yesterday").failed(2, "consume", "'yesterday' is not a time");
        runAlone("groups", "reset-offsets", "--group", "g", "--topic", "t").failed(2, "groups reset-offsets", "--to-earliest");
        runAlone("groups", "reset-offsets", "--group", "g", "--to-latest").failed(2, "groups reset-offsets", "give --topic or --all-topics");
        runAlone("groups", "describe").failed(2, "groups describe", "--group");
        runAlone("groups", "describe", "--group", "g", "--all-groups").failed(2, "groups describe", "give --group or --all-groups");
    }

    @Test
    void everyCommandHelpsWithAnExample()
    {
        final List<List<String>> commands = List.of(List.of("topics"), List.of("topics", "create"), List.of("topics", "list"),
            List.of("topics", "describe"), List.of("topics", "alter"), List.of("topics", "delete"), List.of("produce"), List.of("consume"),
            List.of("groups"), List.of("groups", "list"), List.of("groups", "describe"), List.of("groups", "reset-offsets"),
            List.of("groups", "delete"));
        for (final List<String> command : commands)
        {
            final List<String> args = new ArrayList<>(command);
            args.add("--help");
            final Run help = runAlone(args.toArray(String[]::new)).succeeded();
            assertTrue(help.out().contains("Example:" + NL + "  ") || help.out().contains("Examples:" + NL + "  "), help.out());
            final String example = help.out().substring(help.out().lastIndexOf("Example"));
            assertTrue(example.contains("tidemark " + command.get(0) + " "), help.out());
            final boolean group = command.size() == 1 && (command.get(0).equals("topics") || command.get(0).equals("groups"));
            assertEquals(!group, help.out().contains("--bootstrap-server=HOST:PORT"), help.out());
        }
    }

    /** The table rows of a group, their cells separated by one space. */
    private static List<String> rows(final Run run, final String group)
    {
        return run.lines().stream().filter(line -> line.startsWith(group + " ")).map(line -> String.join(" ", line.split(" +"))).toList();
    }

    private KafkaConsumer<String, String> member(final String broker, final String group)
    {
        final Properties properties = new Properties();
        properties.setProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers.get(broker).bootstrap());
        properties.setProperty(ConsumerConfig.GROUP_ID_CONFIG, group);
        properties.setProperty(ConsumerConfig.CLIENT_ID_CONFIG, "member-" + broker);
        properties.setProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return new KafkaConsumer<>(properties, new StringDeserializer(), new StringDeserializer());
    }
}
