package io.tidemark.examples;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

import io.tidemark.engine.api.JobContext;
import io.tidemark.engine.api.StreamExecutionEnvironment;
import io.tidemark.engine.api.StreamJob;
import io.tidemark.engine.checkpoint.CheckpointConfig;
import io.tidemark.engine.checkpoint.CheckpointStats;
import io.tidemark.engine.task.JobHandle;
import io.tidemark.engine.time.ManualClock;
import io.tidemark.log.IsolationLevel;
import io.tidemark.log.LogConfig;
import io.tidemark.log.PartitionLog;
import io.tidemark.log.consumer.Consumer;
import io.tidemark.log.consumer.ConsumerConfig;
import io.tidemark.log.consumer.ConsumerRecord;
import io.tidemark.log.consumer.OffsetReset;
import io.tidemark.log.group.GroupConfig;
import io.tidemark.log.group.GroupCoordinator;
import io.tidemark.log.producer.Producer;
import io.tidemark.log.producer.ProducerConfig;
import io.tidemark.log.producer.ProducerRecord;
import io.tidemark.log.topic.LogManager;
import io.tidemark.log.txn.TransactionConfig;
import io.tidemark.log.txn.TransactionCoordinator;
import org.agrona.concurrent.SystemEpochClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code window-counts} defined on an environment over an embedded log, as a server would:
 * its output, read committed, holds each window's count once; a partition that gets nothing
 * does not hold the windows back; bad arguments are refused before anything is made.
 */
class WindowCountsJobTest
{
    private static final String JOB_ID = "0a1b2c3d";

    @TempDir
    Path dataDir;

    private final ManualClock clock = new ManualClock(0);
    private LogManager logs;
    private GroupCoordinator groups;
    private TransactionCoordinator transactions;
    private JobHandle running;

    @BeforeEach
    void open()
    {
        logs = LogManager.open(dataDir, LogConfig.DEFAULTS);
        groups = new GroupCoordinator(logs, GroupConfig.defaults());
        transactions = new TransactionCoordinator(logs, groups, TransactionConfig.defaults(), SystemEpochClock.INSTANCE);
    }

    @AfterEach
    void close()
    {
        if (running != null)
        {
            running.cancel();
            assertTrue(running.awaitTermination(Duration.ofSeconds(30)));
        }
        transactions.close();
        groups.close();
        logs.close();
    }

    private JobContext context(final StreamExecutionEnvironment env, final String... args)
    {
        return new JobContext()
        {
            @Override
            public StreamExecutionEnvironment env()
            {
                return env;
            }

            @Override
            public LogManager logs()
            {
                return logs;
            }

            @Override
            public GroupCoordinator groups()
            {
                return groups;
            }

            @Override
            public TransactionCoordinator transactions()
            {
                return transactions;
            }

            @Override
            public List<String> args()
            {
                return List.of(args);
            }

            @Override
            public String jobId()
            {
                return JOB_ID;
            }
        };
    }

    /** Defines the job as a server would and starts it; {@link #close} cancels it. */
    private void start(final String... args) throws Exception
    {
        final StreamExecutionEnvironment env = environment(clock);
        new WindowCountsJob().define(context(env, args));
        running = env.executeAsync("window-counts");
    }

    private static StreamExecutionEnvironment environment(final ManualClock clock)
    {
        // The exactly-once sink commits when a checkpoint completes: the server always checkpoints its jobs.
        return StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(2).setClock(clock)
            .enableCheckpointing(CheckpointConfig.every(Duration.ofMillis(50)));
    }

    private void write(final String topic, final int partition, final String key, final String value, final long timestamp)
    {
        try (Producer producer = new Producer(logs, ProducerConfig.defaults()))
        {
            producer.send(new ProducerRecord(topic, partition, timestamp, key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                value.getBytes(StandardCharsets.UTF_8), null));
        }
    }

    /** @return the output's values as a read_committed reader sees them. */
    private List<String> committedOutput(final String topic)
    {
        final List<String> values = new ArrayList<>();
        try (Consumer reader = new Consumer(logs, ConsumerConfig.defaults().withAutoOffsetReset(OffsetReset.EARLIEST)
            .withIsolationLevel(IsolationLevel.READ_COMMITTED)))
        {
            for (final PartitionLog partition : logs.partitions(topic))
            {
                reader.assign(List.of(partition.topicPartition()));
                while (reader.position(partition.topicPartition()) < partition.lastStableOffset())
                {
                    for (final ConsumerRecord record : reader.poll(Duration.ofMillis(100)))
                    {
                        values.add(new String(record.value(), StandardCharsets.UTF_8));
                        assertEquals(new String(record.value(), StandardCharsets.UTF_8).split(",")[0], new String(record.key(), StandardCharsets.UTF_8),
                            "the key of a result is the counted key");
                    }
                }
            }
        }
        values.sort(null);
        return values;
    }

    /** @return what the running job says of itself, for a failure's message: its state, restarts, last failure and checkpoints. */
    private String jobReport()
    {
        final List<CheckpointStats> checkpoints = running.checkpointStats();
        return "job " + running.state() + ", " + running.restarts() + " restarts, last failure " + running.lastFailure() + ", operators " + running.metrics()
            + ", checkpoints by status "
            + checkpoints.stream().collect(Collectors.groupingBy(CheckpointStats::status, Collectors.counting())) + ", the last "
            + checkpoints.subList(Math.max(0, checkpoints.size() - 3), checkpoints.size());
    }

    /** Moves processing time (periodic watermarks, idleness) until the output holds {@code expected} results or 60 s pass. */
    private List<String> awaitOutput(final String topic, final int expected) throws InterruptedException
    {
        final long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        List<String> output = committedOutput(topic);
        while (output.size() < expected && System.nanoTime() < deadline)
        {
            clock.advance(100);
            Thread.sleep(5);   // the pace of processing time, not a wait for a condition
            output = committedOutput(topic);
        }
        return output;
    }

    @Test
    void countsEachKeyPerWindowOnceAndAQuietPartitionDoesNotHoldThemBack() throws Exception
    {
        logs.createTopic("clicks", 2, Map.of());
        // Partition 1 never gets a record: only idleness lets the watermark move.
        write("clicks", 0, "ann", "/", 100);
        write("clicks", 0, "ann", "/cart", 900);
        write("clicks", 0, null, "bob", 1_200);   // no key: counted under its value
        write("clicks", 0, "ann", "/", 1_999);
        write("clicks", 0, "ann", "/", 1_500);    // out of order, within the bound
        write("clicks", 0, "ann", "/", 2_000);
        write("clicks", 0, "zed", "/", 10_000);   // moves the watermark to 8,999: every window before it fires

        start("clicks", "click_counts", "1s", "1s");
        final List<String> expected = List.of("ann,0,1000,2", "ann,1000,2000,2", "ann,2000,3000,1", "bob,1000,2000,1");
        assertEquals(expected, awaitOutput("click_counts", expected.size()), this::jobReport);
        assertEquals(2, logs.partitions("click_counts").size(), "the output is made with the input's partitions");
    }

    @Test
    void aRecordLaterThanTheBoundIsDroppedAndTheDefaultsAreOneSecond() throws Exception
    {
        logs.createTopic("clicks", 1, Map.of());
        logs.createTopic("click_counts", 3, Map.of());
        write("clicks", 0, "ann", "/", 500);
        write("clicks", 0, "ann", "/", 2_500);   // watermark 1,499: window [0, 1000) fires

        start("clicks", "click_counts");
        assertEquals(List.of("ann,0,1000,1"), awaitOutput("click_counts", 1), this::jobReport);
        write("clicks", 0, "ann", "/", 999);     // its window has fired: late, dropped
        write("clicks", 0, "ann", "/", 5_000);
        final List<String> expected = List.of("ann,0,1000,1", "ann,2000,3000,1");
        assertEquals(expected, awaitOutput("click_counts", expected.size()), this::jobReport);
        assertEquals(3, logs.partitions("click_counts").size(), "an existing output topic is used as it is");
    }

    @Test
    void badArgumentsAreRefusedBeforeAnythingIsMade()
    {
        logs.createTopic("clicks", 1, Map.of());
        final StreamJob job = new WindowCountsJob();
        assertEquals("window-counts takes INPUT OUTPUT [WINDOW] [OUT-OF-ORDERNESS], got 1 argument",
            assertThrows(IllegalArgumentException.class, () -> job.define(context(environment(clock), "clicks"))).getMessage());
        assertEquals("WINDOW: 'soon' is not a duration: use 500ms, 1.5s, 5m, 1h30m or ISO-8601 such as PT1M",
            assertThrows(IllegalArgumentException.class, () -> job.define(context(environment(clock), "clicks", "out", "soon"))).getMessage());
        assertEquals("WINDOW must be longer than 0 ms: '0s'",
            assertThrows(IllegalArgumentException.class, () -> job.define(context(environment(clock), "clicks", "out", "0s"))).getMessage());
        assertEquals("OUT-OF-ORDERNESS: '-1s' is not a duration: use 500ms, 1.5s, 5m, 1h30m or ISO-8601 such as PT1M",
            assertThrows(IllegalArgumentException.class, () -> job.define(context(environment(clock), "clicks", "out", "1s", "-1s"))).getMessage());
        assertEquals("OUT-OF-ORDERNESS must not be negative: 'PT-1S'",
            assertThrows(IllegalArgumentException.class, () -> job.define(context(environment(clock), "clicks", "out", "1s", "PT-1S"))).getMessage());
        assertEquals("no topic 'nope' to read",
            assertThrows(IllegalArgumentException.class, () -> job.define(context(environment(clock), "nope", "out"))).getMessage());
        assertFalse(logs.listTopics().contains("out"), "a refused job makes no output topic");
    }

    @Test
    void isFoundAsABuiltInJob()
    {
        final StreamJob job = ServiceLoader.load(StreamJob.class).stream().map(ServiceLoader.Provider::get)
            .filter(found -> found instanceof WindowCountsJob).findFirst().orElseThrow();
        assertTrue(job.description().contains("INPUT OUTPUT [WINDOW, default 1s] [OUT-OF-ORDERNESS, default 1s]"), job.description());
    }
}
