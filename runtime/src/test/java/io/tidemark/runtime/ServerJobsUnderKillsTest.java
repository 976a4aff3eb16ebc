package io.tidemark.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

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
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built-in job {@code window-counts} in {@code tidemark server}, end to end, with the
 * server killed under it: the test starts the server as a child process, submits the job with
 * {@code tidemark job submit}, produces its input with kcat (librdkafka) while it runs, and
 * kills the server with SIGKILL {@value #DEFAULT_KILLS} times ({@code -Dtidemark.jobs.kills=N}
 * for more), each time after the job has committed output since the last start and while
 * input keeps coming, then starts it again on the same data directory, where the job resumes by
 * itself from its last checkpoint. Then an end-of-input record per partition, far ahead in
 * event time, moves the watermark past every window, and a read_committed Kafka consumer of the
 * output must find every window of the input exactly once with the count a batch computes from
 * the records the input topic holds: nothing lost, nothing doubled.
 *
 * <p>kcat's producer stamps each record with the time it was produced. Its rounds are run one
 * after the other, each ending when its records are acknowledged or, if the kill cuts it short,
 * when kcat gives up (the next round starts once the server is back), so a record reaches the
 * log at most one round's spread behind the newest timestamp there, well inside the job's
 * out-of-orderness bound of 1 s: no record is late, and the batch count of what the log holds
 * is what the windows must hold.
 */
class ServerJobsUnderKillsTest
{
    private static final int DEFAULT_KILLS = 3;
    private static final String INPUT = "input";
    private static final String OUTPUT = "output";
    private static final int PARTITIONS = 4;
    private static final int KEYS = 13;
    private static final int RECORDS_PER_ROUND = 100;
    private static final long WINDOW_MILLIS = 1_000;
    private static final String END_OF_INPUT = "end-of-input";
    private static final Pattern SUBMITTED = Pattern.compile("^submitted job [0-9a-f]{8} \\(window-counts\\)$", Pattern.MULTILINE);

    @TempDir
    Path dataDir;

    @Test
    void everyWindowOnceWithTheBatchCountAfterKillsOfTheServer() throws Exception
    {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/kcat")), "kcat is not installed (Debian package 'kcat'; .ci/run installs it): skipping");
        final int kills = Integer.getInteger("tidemark.jobs.kills", DEFAULT_KILLS);
        final long started = System.nanoTime();
        final int port = FreePorts.next();
        final String bootstrap = "127.0.0.1:" + port;
        ServerProcess server = new ServerProcess(dataDir, port, null);
        final AtomicBoolean producing = new AtomicBoolean(true);
        final AtomicInteger rounds = new AtomicInteger();
        final AtomicInteger failedRounds = new AtomicInteger();
        final AtomicReference<Throwable> producerFailure = new AtomicReference<>();
        Thread producer = null;
        try
        {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap)))
            {
                admin.createTopics(List.of(new NewTopic(INPUT, PARTITIONS, (short)1))).all().get(30, TimeUnit.SECONDS);
            }
            final CommandOutput submit = new CommandOutput();
            final String url = server.httpApi().substring(0, server.httpApi().length() - "/api".length());
            assertEquals(0, submit.run("job", "submit", "--server", url, "window-counts", INPUT, OUTPUT, "1s", "1s"), submit.err());
            assertTrue(SUBMITTED.matcher(submit.out()).find(), submit.out());

            producer = new Thread(() -> produceRounds(bootstrap, producing, rounds, failedRounds, producerFailure), "kcat-rounds");
            producer.start();

            int committed = awaitMoreOutput(bootstrap, 0, server);
            for (int kill = 1; kill <= kills; kill++)
            {
                server.kill9();
                server = new ServerProcess(dataDir, port, null);
                assertTrue(server.output().stream().anyMatch(line -> line.contains("; 1 job resumed); HTTP API on")), "resumed by itself: " + server.output());
                // The job resumes by itself: new output is committed after the restart, from input produced across it.
                committed = awaitMoreOutput(bootstrap, committed, server);
            }
            producing.set(false);
            producer.join(TimeUnit.SECONDS.toMillis(120));
            if (producerFailure.get() != null)
            {
                throw new AssertionError("kcat rounds failed", producerFailure.get());
            }

            final Map<String, Long> expected = batchCounts(bootstrap);
            markEndOfInput(bootstrap);
            final Map<String, List<Long>> output = awaitWindows(bootstrap, expected.keySet(), server);
            final List<String> wrong = new ArrayList<>();
            for (final Map.Entry<String, List<Long>> window : output.entrySet())
            {
                final Long batch = expected.get(window.getKey());
                if (window.getValue().size() != 1 || !window.getValue().get(0).equals(batch))
                {
                    wrong.add(window.getKey() + ": output " + window.getValue() + ", batch " + batch);
                }
            }
            assertTrue(wrong.isEmpty(), kills + " kills, " + rounds.get() + " rounds of " + RECORDS_PER_ROUND + " records, " + expected.size()
                + " windows; wrong: " + wrong);
            assertEquals(expected.keySet(), output.keySet(), "every window of the input, and no other");
            System.out.printf(Locale.ROOT, "window-counts under %d kills of the server: %,d records from %d kcat rounds (%d more failed with the server down), "
                + "%,d windows each once, in %.0f s%n", kills, expected.values().stream().mapToLong(Long::longValue).sum(), rounds.get(), failedRounds.get(),
                expected.size(), (System.nanoTime() - started) / 1e9);
        }
        finally
        {
            producing.set(false);
            if (producer != null)
            {
                producer.join(TimeUnit.SECONDS.toMillis(60));
            }
            server.close();
        }
    }

    /**
     * Runs kcat producers one after the other, each with {@value #RECORDS_PER_ROUND} keyed
     * records, until told to stop. A round that fails (the server went down under it, or was
     * down when it started) is left to what the log holds: the expected counts are read from
     * there.
     */
    private static void produceRounds(final String bootstrap, final AtomicBoolean producing, final AtomicInteger rounds, final AtomicInteger failedRounds,
        final AtomicReference<Throwable> failure)
    {
        try
        {
            while (producing.get())
            {
                final int round = rounds.get() + failedRounds.get();
                final StringBuilder lines = new StringBuilder();
                for (int i = 0; i < RECORDS_PER_ROUND; i++)
                {
                    lines.append("key-").append((round * RECORDS_PER_ROUND + i) % KEYS).append(':').append("r").append(round).append('-').append(i).append('\n');
                }
                final Process kcat = new ProcessBuilder("/usr/bin/kcat", "-P", "-b", bootstrap, "-t", INPUT, "-K:")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                try (OutputStream in = kcat.getOutputStream())
                {
                    in.write(lines.toString().getBytes(StandardCharsets.UTF_8));
                }
                if (!kcat.waitFor(120, TimeUnit.SECONDS))
                {
                    kcat.destroyForcibly();
                    throw new IllegalStateException("kcat round " + round + " did not end within 120 s");
                }
                if (kcat.exitValue() == 0)
                {
                    rounds.incrementAndGet();
                }
                else
                {
                    // kcat gives up at once when no broker answers: the server is down, so is the input until it is back.
                    failedRounds.incrementAndGet();
                    Thread.sleep(100);   // the pace of retries, not a wait for a condition
                }
            }
        }
        catch (final IOException | RuntimeException e)
        {
            failure.set(e);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            failure.set(e);
        }
    }

    /** Waits until the output holds more committed records than {@code before}. */
    private static int awaitMoreOutput(final String bootstrap, final int before, final ServerProcess server) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline)
        {
            final int now = read(bootstrap, OUTPUT, "read_committed").size();
            if (now > before)
            {
                return now;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no new committed output within 90 s (had " + before + "): " + server.output());
    }

    /** @return the count per window of the input, {@code key,start,end} to count, the end-of-input records left out. */
    private static Map<String, Long> batchCounts(final String bootstrap)
    {
        final Map<String, Long> counts = new TreeMap<>();
        for (final ConsumerRecord<String, String> record : read(bootstrap, INPUT, "read_uncommitted"))
        {
            final long start = Math.floorDiv(record.timestamp(), WINDOW_MILLIS) * WINDOW_MILLIS;
            counts.merge(record.key() + "," + start + "," + (start + WINDOW_MILLIS), 1L, Long::sum);
        }
        return counts;
    }

    /**
     * Appends a record to every partition of the input, a minute of event time after its
     * newest record: every partition's watermark passes every window of the input, and the
     * records' own window never closes.
     */
    private static void markEndOfInput(final String bootstrap) throws Exception
    {
        long newest = Long.MIN_VALUE;
        for (final ConsumerRecord<String, String> record : read(bootstrap, INPUT, "read_uncommitted"))
        {
            newest = Math.max(newest, record.timestamp());
        }
        final Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config))
        {
            for (int p = 0; p < PARTITIONS; p++)
            {
                producer.send(new ProducerRecord<>(INPUT, p, newest + 60_000, END_OF_INPUT, END_OF_INPUT)).get(30, TimeUnit.SECONDS);
            }
        }
    }

    /** Waits until the committed output holds every expected window, then returns the counts per window, each as often as it came. */
    private static Map<String, List<Long>> awaitWindows(final String bootstrap, final Set<String> expected, final ServerProcess server)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        Map<String, List<Long>> windows = Map.of();
        while (System.nanoTime() < deadline)
        {
            windows = new TreeMap<>();
            for (final ConsumerRecord<String, String> record : read(bootstrap, OUTPUT, "read_committed"))
            {
                final int comma = record.value().lastIndexOf(',');
                assertEquals(record.key(), record.value().substring(0, record.value().indexOf(',')), "a result is keyed by its key");
                windows.computeIfAbsent(record.value().substring(0, comma), window -> new ArrayList<>())
                    .add(Long.parseLong(record.value().substring(comma + 1)));
            }
            if (windows.keySet().containsAll(expected))
            {
                return windows;
            }
            Thread.sleep(200);
        }
        final Map<String, List<Long>> seen = windows;
        throw new AssertionError("windows missing after 90 s: " + expected.stream().filter(window -> !seen.containsKey(window)).limit(20).toList()
            + "; server: " + server.output());
    }

    /** @return every record of a topic up to its end (the last stable offset for read_committed), end-of-input records left out. */
    private static List<ConsumerRecord<String, String>> read(final String bootstrap, final String topic, final String isolation)
    {
        final Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        final List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config))
        {
            final List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(info -> new TopicPartition(topic, info.partition())).toList();
            if (partitions.isEmpty())
            {
                return records;
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            final Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (partitions.stream().anyMatch(partition -> consumer.position(partition) < ends.get(partition)) && System.nanoTime() < deadline)
            {
                for (final ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200)))
                {
                    if (!END_OF_INPUT.equals(record.key()))
                    {
                        records.add(record);
                    }
                }
            }
        }
        return records;
    }
}
