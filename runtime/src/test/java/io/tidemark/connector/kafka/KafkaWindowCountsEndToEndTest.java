package io.tidemark.connector.kafka;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import io.tidemark.runtime.BrokerUnderTest;
import io.tidemark.runtime.KafkaCluster;
import io.tidemark.runtime.TidemarkBrokerProcess;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A windowed count from a Kafka topic to a Kafka topic, exactly once, end to end, with
 * {@link KafkaSource} and {@link KafkaSink} in a child JVM ({@link WindowCountsChild}) against a
 * three-node Apache Kafka cluster ({@link KafkaCluster}) and against {@code tidemark server},
 * with the same expectations.
 *
 * <p>Under kills: the test produces deterministic keyed records (event time one millisecond
 * per record, about as fast as the wall clock) while the job runs, kills the child with
 * SIGKILL {@value #DEFAULT_KILLS} times ({@code -Dtidemark.kafka.kills=N}), each after the job
 * committed output since its last start and a random moment more, and starts it again on the
 * same checkpoint directory; after the first kill the input grows from 4 to 6 partitions, which
 * the producer and the job find while both run; on the cluster one node is killed with -9 and
 * restarted while the job runs. At the end a far-future record per partition moves event time
 * past every window, and a read_committed consumer must find every window of the input once,
 * with the count a batch computes over what the input topic holds.
 *
 * <p>From a timestamp, with an idle partition: the job starts at a timestamp in the middle of
 * the input, of which one partition holds nothing; once the job has committed the offsets of
 * the end of the others to its group, the far-future records go to those only, and every
 * window must still come out, counted over the records at or after the timestamp alone.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KafkaWindowCountsEndToEndTest
{
    private static final int DEFAULT_KILLS = 3;
    /** Kafka's hash puts some of 17 keys in every partition of 4 and of 6: none is left idle. */
    private static final int KEYS = 17;
    private static final int RECORDS_PER_ROUND = 50;
    private static final long ROUND_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final long EVENT_TIME_ZERO = 1_700_000_000_000L;
    private static final long FAR_FUTURE = EVENT_TIME_ZERO + TimeUnit.DAYS.toMillis(365);
    private static final String END_OF_INPUT = "end-of-input";
    private static final Duration DEADLINE = Duration.ofMinutes(2);

    @TempDir
    static Path dir;

    private final Map<String, BrokerUnderTest> brokers = new LinkedHashMap<>();
    private final long seed = System.nanoTime();
    private final Random random = new Random(seed);

    @BeforeAll
    void startBrokers() throws Exception
    {
        brokers.put("tidemark", new TidemarkBrokerProcess(dir.resolve("tidemark"), Map.of()));
        brokers.put("kafka-cluster", new KafkaCluster(dir.resolve("kafka-cluster"), Map.of(), 2));
        final List<CompletableFuture<Void>> started = new ArrayList<>();
        for (final BrokerUnderTest broker : brokers.values())
        {
            started.add(CompletableFuture.runAsync(() ->
            {
                try
                {
                    broker.start();
                }
                catch (final Exception e)
                {
                    throw new IllegalStateException(broker.name() + " did not start", e);
                }
            }));
        }
        CompletableFuture.allOf(started.toArray(CompletableFuture[]::new)).get(4, TimeUnit.MINUTES);
    }

    @AfterAll
    void stopBrokers() throws Exception
    {
        for (final BrokerUnderTest broker : brokers.values())
        {
            broker.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tidemark", "kafka-cluster"})
    void everyWindowOnceUnderKillsWhileTheInputGainsPartitions(final String name) throws Exception
    {
        final BrokerUnderTest broker = brokers.get(name);
        final int kills = Integer.getInteger("tidemark.kafka.kills", DEFAULT_KILLS);
        final String input = "kills-in-" + name;
        final String output = "kills-out-" + name;
        final long started = System.nanoTime();
        createTopics(broker, input, 4, output);
        final AtomicBoolean producing = new AtomicBoolean(true);
        final AtomicLong produced = new AtomicLong();
        final AtomicReference<Throwable> producerFailure = new AtomicReference<>();
        final Thread producer = new Thread(() -> produce(broker.bootstrap(), input, producing, produced, producerFailure), "producer-" + name);
        producer.start();
        // No idleness: every partition gets records, and a partition read late after a restart must not be overtaken.
        Child child = new Child(broker, input, output, "earliest", "kills", Duration.ZERO);
        try
        {
            long committed = child.awaitMoreOutput(0);
            for (int kill = 1; kill <= kills; kill++)
            {
                Thread.sleep(random.nextInt(700));   // a random moment after the job committed output
                child.kill9();
                child = child.restart();
                committed = child.awaitMoreOutput(committed);
                if (kill == 1)
                {
                    try (Admin admin = admin(broker))
                    {
                        admin.createPartitions(Map.of(input, NewPartitions.increaseTo(6))).all().get(1, TimeUnit.MINUTES);
                    }
                    committed = child.awaitMoreOutput(committed);
                }
                if (kill == Math.min(2, kills) && broker instanceof KafkaCluster cluster)
                {
                    final int node = random.nextInt(KafkaCluster.NODES);
                    cluster.killNode(node);
                    committed = child.awaitMoreOutput(committed);
                    cluster.restartNode(node);
                }
            }
            committed = child.awaitMoreOutput(committed);
            producing.set(false);
            producer.join(TimeUnit.MINUTES.toMillis(2));
            if (producerFailure.get() != null)
            {
                throw new AssertionError("the producer failed", producerFailure.get());
            }
            final Map<String, Long> expected = batchCounts(broker, input, Long.MIN_VALUE);
            assertEquals(6, partitions(broker, input), "the input grew");
            markEndOfInput(broker, input, 6);
            assertWindowsOnce(broker, output, expected, child);
            System.out.printf(Locale.ROOT, "kafka window counts on %s under %d kills of the job%s (seed %d): %,d records, %,d windows each once, in %.0f s%n",
                name, kills, broker instanceof KafkaCluster ? " and one of a node" : "", seed, produced.get(), expected.size(),
                (System.nanoTime() - started) / 1e9);
        }
        finally
        {
            producing.set(false);
            producer.join(TimeUnit.MINUTES.toMillis(1));
            child.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tidemark", "kafka-cluster"})
    void aJobFromATimestampReadsOnlyWhatFollowsItAndAnIdlePartitionStallsNothing(final String name) throws Exception
    {
        final BrokerUnderTest broker = brokers.get(name);
        final String input = "from-in-" + name;
        final String output = "from-out-" + name;
        createTopics(broker, input, 3, output);
        // Partitions 0 and 1 only: partition 2 stays empty for the whole run.
        final Properties config = producerConfig(broker.bootstrap());
        final long from = EVENT_TIME_ZERO + 5_500;
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer()))
        {
            final List<Future<RecordMetadata>> sends = new ArrayList<>();
            for (int i = 0; i < 10_000; i++)
            {
                sends.add(producer.send(new ProducerRecord<>(input, i % 2, EVENT_TIME_ZERO + i, key(i), "v" + i)));
            }
            for (final Future<RecordMetadata> send : sends)
            {
                send.get(1, TimeUnit.MINUTES);
            }
        }
        final Map<String, Long> expected = batchCounts(broker, input, from);
        assertTrue(expected.keySet().stream().noneMatch(window -> Long.parseLong(window.split(",")[1]) < EVENT_TIME_ZERO + 5_000),
            "no window before the timestamp's: " + expected.keySet());
        final Child child = new Child(broker, input, output, Long.toString(from), "from", Duration.ofSeconds(1));
        try
        {
            // Once the job has read all of partitions 0 and 1 (and checkpointed it), the far-future
            // records move event time on: partition 2, idle, holds nothing back.
            try (Admin admin = admin(broker))
            {
                final Map<TopicPartition, Long> ends = Map.of(new TopicPartition(input, 0), 5_000L, new TopicPartition(input, 1), 5_000L);
                final long deadline = System.nanoTime() + DEADLINE.toNanos();
                while (!admin.listConsumerGroupOffsets("e2e-from").partitionsToOffsetAndMetadata().get(1, TimeUnit.MINUTES).entrySet().stream()
                    .filter(entry -> entry.getValue() != null).collect(Collectors.toMap(Map.Entry::getKey, entry -> entry.getValue().offset()))
                    .entrySet().containsAll(ends.entrySet()))
                {
                    assertTrue(System.nanoTime() < deadline, () -> "the job did not read the input within " + DEADLINE + "; " + child.errors());
                    child.assertAlive();
                    Thread.sleep(100);
                }
            }
            markEndOfInput(broker, input, 2);
            assertWindowsOnce(broker, output, expected, child);
        }
        finally
        {
            child.close();
        }
    }

    private static String key(final long sequence)
    {
        return "k" + (sequence * 7 % KEYS);
    }

    private Admin admin(final BrokerUnderTest broker)
    {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap()));
    }

    /**
     * The input with {@code partitions}, the output with 2, each with the broker's replication factor, kept
     * forever: the records carry event times of 2023, and Kafka rolls a segment whose first record is older than
     * {@code segment.ms} and deletes it at its next retention check, which would take records from the batch count.
     */
    private void createTopics(final BrokerUnderTest broker, final String input, final int partitions, final String output) throws Exception
    {
        final Map<String, String> forever = Map.of("retention.ms", "-1");
        try (Admin admin = admin(broker))
        {
            admin.createTopics(List.of(new NewTopic(input, Optional.of(partitions), Optional.empty()).configs(forever),
                new NewTopic(output, Optional.of(2), Optional.empty()).configs(forever))).all().get(1, TimeUnit.MINUTES);
        }
    }

    private int partitions(final BrokerUnderTest broker, final String topic) throws Exception
    {
        try (Admin admin = admin(broker))
        {
            return admin.describeTopics(List.of(topic)).allTopicNames().get(1, TimeUnit.MINUTES).get(topic).partitions().size();
        }
    }

    private static Properties producerConfig(final String bootstrap)
    {
        final Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        config.put(ProducerConfig.METADATA_MAX_AGE_CONFIG, "500");
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "120000");
        return config;
    }

    /**
     * Rounds of {@value #RECORDS_PER_ROUND} keyed records, event time one millisecond per
     * record, each round acknowledged before the next, one round per 50 ms at most: a record
     * reaches the log at most a round behind the newest event time there, far inside the job's
     * out-of-orderness bound, so none is late.
     */
    private static void produce(final String bootstrap, final String topic, final AtomicBoolean producing, final AtomicLong produced,
        final AtomicReference<Throwable> failure)
    {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig(bootstrap), new StringSerializer(), new StringSerializer()))
        {
            long next = System.nanoTime();
            final List<Future<RecordMetadata>> sends = new ArrayList<>();
            while (producing.get())
            {
                sends.clear();
                for (int i = 0; i < RECORDS_PER_ROUND; i++)
                {
                    final long sequence = produced.getAndIncrement();
                    sends.add(producer.send(new ProducerRecord<>(topic, null, EVENT_TIME_ZERO + sequence, key(sequence), "v" + sequence)));
                }
                for (final Future<RecordMetadata> send : sends)
                {
                    send.get(2, TimeUnit.MINUTES);
                }
                next += ROUND_NANOS;
                final long wait = next - System.nanoTime();
                if (wait > 0)
                {
                    TimeUnit.NANOSECONDS.sleep(wait);   // the pace of event time, not a wait for a condition
                }
                else
                {
                    next = System.nanoTime();
                }
            }
        }
        catch (final Throwable e)
        {
            failure.set(e);
        }
    }

    /** A record per partition of the input with a far-future timestamp: event time passes every window. */
    private static void markEndOfInput(final BrokerUnderTest broker, final String topic, final int partitions) throws Exception
    {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig(broker.bootstrap()), new StringSerializer(),
            new StringSerializer()))
        {
            for (int p = 0; p < partitions; p++)
            {
                producer.send(new ProducerRecord<>(topic, p, FAR_FUTURE, END_OF_INPUT, END_OF_INPUT)).get(1, TimeUnit.MINUTES);
            }
        }
    }

    private static KafkaConsumer<String, String> consumer(final BrokerUnderTest broker)
    {
        final Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
    }

    /** Every record of the topic up to the end offsets at the call (the last stable offsets). */
    private static List<ConsumerRecord<String, String>> readAll(final BrokerUnderTest broker, final String topic)
    {
        try (KafkaConsumer<String, String> consumer = consumer(broker))
        {
            final List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofMinutes(1)).stream()
                .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            final Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofMinutes(1));
            final List<ConsumerRecord<String, String>> records = new ArrayList<>();
            final long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (partitions.stream().anyMatch(partition -> consumer.position(partition, Duration.ofMinutes(1)) < ends.get(partition)))
            {
                assertTrue(System.nanoTime() < deadline, "the topic " + topic + " is not read to its end offsets " + ends);
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }

    /** @return the committed output's end offsets summed: grows with every committed transaction. */
    private static long committedOutput(final BrokerUnderTest broker, final String topic)
    {
        try (KafkaConsumer<String, String> consumer = consumer(broker))
        {
            final List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofMinutes(1)).stream()
                .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            return consumer.endOffsets(partitions, Duration.ofMinutes(1)).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /**
     * The batch computation over the input: counts per key and window of the records at or
     * after {@code from}, as {@code key,windowStart,windowEnd}.
     */
    private static Map<String, Long> batchCounts(final BrokerUnderTest broker, final String topic, final long from)
    {
        final long window = WindowCountsChild.WINDOW.toMillis();
        final Map<String, Long> counts = new TreeMap<>();
        for (final ConsumerRecord<String, String> record : readAll(broker, topic))
        {
            if (record.timestamp() >= from && !record.key().equals(END_OF_INPUT))
            {
                final long start = Math.floorDiv(record.timestamp(), window) * window;
                counts.merge(record.key() + "," + start + "," + (start + window), 1L, Long::sum);
            }
        }
        return counts;
    }

    /** Waits until the committed output holds every expected window, then checks each is there once with its batch count. */
    private static void assertWindowsOnce(final BrokerUnderTest broker, final String output, final Map<String, Long> expected, final Child child)
        throws Exception
    {
        final long deadline = System.nanoTime() + DEADLINE.toNanos();
        Map<String, List<Long>> windows = new HashMap<>();
        while (!windows.keySet().containsAll(expected.keySet()))
        {
            assertTrue(System.nanoTime() < deadline, () ->
            {
                final Map<String, List<Long>> found = windowsSoFar(broker, output);
                final List<String> missing = expected.keySet().stream().filter(window -> !found.containsKey(window)).toList();
                return missing.size() + " of " + expected.size() + " windows missing after " + DEADLINE + ", the first by key: " +
                    missing.stream().collect(Collectors.groupingBy(window -> window.substring(0, window.indexOf(',')), TreeMap::new,
                        Collectors.reducing((a, b) -> a))) + "\n" + child.errors();
            });
            child.assertAlive();
            windows = windowsSoFar(broker, output);
        }
        final List<String> wrong = new ArrayList<>();
        for (final Map.Entry<String, List<Long>> window : windows.entrySet())
        {
            final Long batch = expected.get(window.getKey());
            if (window.getValue().size() != 1 || !window.getValue().get(0).equals(batch))
            {
                wrong.add(window.getKey() + ": output " + window.getValue() + ", batch " + batch);
            }
        }
        assertEquals(List.of(), wrong, expected.size() + " windows");
        assertEquals(expected.keySet(), windows.keySet(), "every window of the input, and no other");
    }

    private static Map<String, List<Long>> windowsSoFar(final BrokerUnderTest broker, final String output)
    {
        final Map<String, List<Long>> windows = new TreeMap<>();
        for (final ConsumerRecord<String, String> record : readAll(broker, output))
        {
            final int last = record.value().lastIndexOf(',');
            windows.computeIfAbsent(record.value().substring(0, last), window -> new ArrayList<>())
                .add(Long.parseLong(record.value().substring(last + 1)));
        }
        return windows;
    }

    /** The job's JVM, started on the test's checkpoint directory. */
    private static final class Child implements AutoCloseable
    {
        private final BrokerUnderTest broker;
        private final List<String> arguments;
        private final Path own;
        private final Process process;

        Child(final BrokerUnderTest broker, final String input, final String output, final String start, final String name, final Duration idleTimeout)
            throws IOException
        {
            this(broker, List.of(broker.bootstrap(), input, output, dir.resolve("job-" + name + "-" + broker.name()).resolve("checkpoints").toString(),
                start, "e2e-" + name, Long.toString(idleTimeout.toMillis())), dir.resolve("job-" + name + "-" + broker.name()));
        }

        private Child(final BrokerUnderTest broker, final List<String> arguments, final Path own) throws IOException
        {
            this.broker = broker;
            this.arguments = arguments;
            this.own = own;
            Files.createDirectories(own);
            final List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), WindowCountsChild.class.getName()));
            command.addAll(arguments);
            process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(own.resolve("stderr.txt").toFile())).start();
            final String first = new String(process.getInputStream().readNBytes("RUNNING".length()), StandardCharsets.UTF_8);
            assertEquals("RUNNING", first, () -> "the job did not start: " + errors());
        }

        /** Polls until the committed output grew past {@code before}. */
        long awaitMoreOutput(final long before) throws Exception
        {
            final long deadline = System.nanoTime() + DEADLINE.toNanos();
            long committed = committedOutput(broker, arguments.get(2));
            while (committed <= before)
            {
                assertTrue(System.nanoTime() < deadline, () -> "no output committed since " + before + " within " + DEADLINE + "; " + errors());
                assertAlive();
                Thread.sleep(100);
                committed = committedOutput(broker, arguments.get(2));
            }
            return committed;
        }

        void assertAlive()
        {
            assertTrue(process.isAlive(), () -> "the job's JVM ended by itself; " + errors());
        }

        void kill9() throws InterruptedException
        {
            process.destroyForcibly();
            assertTrue(process.waitFor(1, TimeUnit.MINUTES), "the job's JVM is gone");
        }

        /** @return a new JVM of the job on the same checkpoint directory. */
        Child restart() throws IOException
        {
            return new Child(broker, arguments, own);
        }

        String errors()
        {
            try
            {
                final Path err = own.resolve("stderr.txt");
                final List<String> lines = Files.exists(err) ? Files.readAllLines(err) : List.of();
                // The temporary directory goes with the test; the whole log stays for a look at a failure.
                Files.write(Path.of("target", "e2e-" + own.getFileName() + "-stderr.txt"), lines);
                return "the job's stderr: " + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
            }
            catch (final IOException e)
            {
                return "(the job's stderr is unreadable: " + e + ")";
            }
        }

        @Override
        public void close() throws InterruptedException
        {
            kill9();
        }
    }
}
