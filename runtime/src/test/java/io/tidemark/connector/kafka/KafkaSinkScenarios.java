package io.tidemark.connector.kafka;

import static io.tidemark.connector.kafka.KafkaSinkChild.RECORDS;
import static io.tidemark.connector.kafka.KafkaSinkChild.SUBTASKS;
import static io.tidemark.connector.kafka.KafkaSinkChild.prefix;
import static io.tidemark.connector.kafka.SinkTopics.input;
import static io.tidemark.connector.kafka.SinkTopics.records;
import static io.tidemark.connector.kafka.SinkTopics.snapshot;
import static io.tidemark.connector.kafka.SinkTopics.sorted;
import static io.tidemark.connector.kafka.SinkTopics.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.DataInput;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import io.tidemark.connector.txn.PendingTransaction;
import io.tidemark.engine.api.StreamExecutionEnvironment;
import io.tidemark.engine.checkpoint.CheckpointConfig;
import io.tidemark.engine.checkpoint.DeliveryGuarantee;
import io.tidemark.engine.sink.SinkWriter;
import io.tidemark.engine.source.GeneratorSource;
import io.tidemark.engine.task.JobExecutionException;
import io.tidemark.engine.time.WatermarkStrategy;
import io.tidemark.runtime.BrokerUnderTest;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Kafka sink against one broker, started once for the class: at least once through a job,
 * exactly once through the checkpoint calls a sink operator makes, across a kill -9 of the JVM
 * that held two subtasks ({@link KafkaSinkChild}) and restored at another parallelism, the
 * recovery's abort of lingering transactions, the transaction timeout check and a record the
 * broker refuses. Each test writes its own topic under its own transactional id prefix.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
abstract class KafkaSinkScenarios
{
    /** The brokers' {@code transaction.max.timeout.ms} in these tests: below the sink's default. */
    static final int MAX_TIMEOUT_MS = 600_000;
    static final Map<String, String> BROKER_CONFIG = Map.of("transaction.max.timeout.ms", Integer.toString(MAX_TIMEOUT_MS));

    @TempDir
    static Path dir;

    private BrokerUnderTest broker;

    /**
     * @param brokerDir an empty directory for the broker.
     * @return the broker, not started, with {@link #BROKER_CONFIG}.
     */
    abstract BrokerUnderTest newBroker(Path brokerDir);

    @BeforeAll
    void startBroker() throws Exception
    {
        broker = newBroker(dir.resolve("broker"));
        broker.start();
    }

    @AfterAll
    void stopBroker() throws Exception
    {
        if (broker != null)
        {
            broker.close();
        }
    }

    @Test
    void atLeastOnceAJobDeliversEveryRecord() throws Exception
    {
        final SinkTopics topic = SinkTopics.create(broker.bootstrap(), "at-least-once");
        final int count = 5_000;
        final StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(2);
        env.fromSource(GeneratorSource.of(count, i -> "r-" + i), WatermarkStrategy.noWatermarks(), "numbers")
            .sinkTo(topic.sink().property("linger.ms", "5").build());
        env.execute("at-least-once");
        assertEquals(sorted(records("r", count)), sorted(topic.readCommitted()));
    }

    @Test
    void exactlyOnceAJobWithCheckpointsCommitsEveryRecordOnce() throws Exception
    {
        final SinkTopics topic = SinkTopics.create(broker.bootstrap(), "exactly-once-job");
        final int count = 20_000;
        final StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(2);
        env.enableCheckpointing(CheckpointConfig.every(Duration.ofMillis(100)).withDirectory(dir.resolve("checkpoints-" + broker.name()))
            .withGuarantee(DeliveryGuarantee.EXACTLY_ONCE));
        env.fromSource(GeneratorSource.of(count, i -> "r-" + i), WatermarkStrategy.noWatermarks(), "numbers")
            .sinkTo(topic.sink().exactlyOnce("job-" + broker.name()).build());
        env.execute("exactly-once");
        assertEquals(sorted(records("r", count)), sorted(topic.readCommitted()));
        assertFalse(topic.somethingLingers(), "the end of the input committed everything");
    }

    @Test
    void eachCheckpointsOutputBecomesVisibleWhenTheCheckpointCompletesAndThePoolReusesItsIds() throws Exception
    {
        final SinkTopics topic = SinkTopics.create(broker.bootstrap(), "cycle");
        final String prefix = "cycle-" + broker.name();
        final SinkWriter<String> writer = topic.sink().exactlyOnce(prefix).build().createWriter(0, 1);
        try (Admin admin = SinkTopics.admin(broker.bootstrap()))
        {
            write(writer, "c1", 100);
            writer.preCommit(1);
            snapshot(writer, 1);
            write(writer, "c2", 50);
            writer.preCommit(2);
            assertEquals(List.of(), topic.readCommitted(), "nothing before the checkpoint completes");
            writer.commit(1);
            assertEquals(sorted(records("c1", 100)), sorted(topic.readCommitted()));
            assertTrue(topic.somethingLingers(), "checkpoint 2's records are written, not committed");
            final List<String> expected = new ArrayList<>(records("c1", 100));
            expected.addAll(records("c2", 50));
            for (long checkpoint = 2; checkpoint <= 8; checkpoint++)
            {
                snapshot(writer, checkpoint);
                writer.commit(checkpoint);
                write(writer, "c" + (checkpoint + 1), 10);
                writer.preCommit(checkpoint + 1);
                expected.addAll(records("c" + (checkpoint + 1), 10));
            }
            snapshot(writer, 9);
            writer.commit(9);
            assertEquals(sorted(expected), sorted(topic.readCommitted()));
            assertFalse(topic.somethingLingers());
            final List<String> ids = admin.listTransactions().all().get().stream().map(TransactionListing::transactionalId)
                .filter(id -> id.startsWith(prefix + "-")).sorted().toList();
            assertEquals(List.of(prefix + "-0-0", prefix + "-0-1", prefix + "-0-2"), ids, "three ids are enough when every checkpoint completes");
        }
        finally
        {
            writer.close();
        }
    }

    /**
     * Checkpoint 3 completed before the kill; the writers heard of it (and committed) or not.
     * The restored sink commits it (again), aborts checkpoint 4 and what followed, and the
     * replay after checkpoint 3 then commits every record once.
     */
    @ParameterizedTest(name = "{0}, restored with parallelism {1}")
    @CsvSource({"uncommitted, 1", "committed, 2", "uncommitted, 3"})
    void afterAKillNineEveryRecordIsCommittedOnce(final String heard, final int parallelism) throws Exception
    {
        final String name = "killed-" + heard + "-" + parallelism;
        final SinkTopics topic = SinkTopics.create(broker.bootstrap(), name);
        final String prefix = name + "-" + broker.name();
        final Path snapshots = Files.createDirectories(dir.resolve(name + "-" + broker.name()));
        runAndKill(topic, prefix, heard, snapshots);
        assertEquals(sorted(upTo("committed".equals(heard) ? 3 : 1)), sorted(topic.readCommitted()), "committed before the kill");
        assertTrue(topic.somethingLingers(), "the kill left transactions open");

        final KafkaSink<String> sink = topic.sink().exactlyOnce(prefix).build();
        final List<SinkWriter<String>> writers = new ArrayList<>();
        for (int i = 0; i < parallelism; i++)
        {
            final List<DataInput> inherited = new ArrayList<>();
            for (int j = i; j < SUBTASKS; j += parallelism)
            {
                inherited.add(input(Files.readAllBytes(snapshots.resolve("s" + j))));
            }
            writers.add(inherited.isEmpty() ? sink.createWriter(i, parallelism) : sink.restoreWriter(i, parallelism, inherited));
        }
        assertFalse(topic.somethingLingers(), "the restored sink aborted what the killed run left open: the last stable offsets moved on");
        assertEquals(sorted(upTo(3)), sorted(topic.readCommitted()), "checkpoint 3 and the aborted 2 committed, nothing after");

        for (int checkpoint = 4; checkpoint <= 5; checkpoint++)
        {
            for (int s = 0; s < SUBTASKS; s++)
            {
                write(writers.get(s % parallelism), prefix(checkpoint, s), RECORDS);
            }
        }
        for (final SinkWriter<String> writer : writers)
        {
            writer.preCommit(4);
            snapshot(writer, 4);
        }
        for (final SinkWriter<String> writer : writers)
        {
            writer.commit(4);
            writer.close();
        }
        assertEquals(sorted(upTo(5)), sorted(topic.readCommitted()), "every record exactly once");
        assertFalse(topic.somethingLingers());
    }

    @Test
    void aFreshStartAtLowerParallelismAbortsWhatTheFailedRunLeftOpen() throws Exception
    {
        final SinkTopics topic = SinkTopics.create(broker.bootstrap(), "lingering");
        final KafkaSink<String> sink = topic.sink().exactlyOnce("lingering-" + broker.name()).build();
        for (int s = 0; s < 3; s++)
        {
            final SinkWriter<String> old = sink.createWriter(s, 3);
            write(old, "old-s" + s, 10);
            old.preCommit(1);
            // The run fails before checkpoint 1 completes: the pending transaction stays open.
            old.close();
        }
        assertTrue(topic.somethingLingers(), "the pending transactions hold the last stable offsets back");
        assertEquals(List.of(), topic.readCommitted());

        final List<SinkWriter<String>> writers = List.of(sink.createWriter(0, 2), sink.createWriter(1, 2));
        assertFalse(topic.somethingLingers(), "subtask 0 of 2 inherits the ids of old subtasks 0 and 2, subtask 1 those of 1; all aborted");
        for (final SinkWriter<String> writer : writers)
        {
            write(writer, "new", 10);
            writer.flush();
            writer.close();
        }
        assertEquals(sorted(concat(records("new", 10), records("new", 10))), sorted(topic.readCommitted()));
        assertEquals(50, topic.readUncommitted().size(), "the aborted records stay in the log, invisible to read_committed");
    }

    private static List<String> concat(final List<String> first, final List<String> second)
    {
        final List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    /**
     * The recovery's commit of another instance's transaction: it commits, a repeated commit
     * succeeds again (the coordinator answers it as a retry), and a transaction the coordinator
     * aborted meanwhile is reported lost, not committed.
     */
    @Test
    void endTxnCommitsAnotherInstancesTransactionAndARepeatedCommitSucceeds() throws Exception
    {
        final SinkTopics topic = SinkTopics.create(broker.bootstrap(), "end-txn");
        final EndTxnClient client = new EndTxnClient(broker.bootstrap(), Duration.ofSeconds(60));
        final PendingTransaction committed = openTransaction(topic, "end-txn-commit-" + broker.name(), "committed");
        assertTrue(client.commit(committed));
        assertEquals(sorted(records("committed", 5)), sorted(topic.readCommitted()));
        assertTrue(client.commit(committed), "a repeated commit succeeds");
        assertFalse(topic.somethingLingers());

        final String aborted = "end-txn-abort-" + broker.name();
        final PendingTransaction abortedLater = openTransaction(topic, aborted, "aborted");
        try (KafkaProducer<byte[], byte[]> fencing = fencingProducer(aborted))
        {
            fencing.initTransactions();
        }
        assertFalse(client.commit(abortedLater), "a transaction aborted by a new instance of its id is lost, not committed");
        assertEquals(sorted(records("committed", 5)), sorted(topic.readCommitted()));
    }

    /** Writes five records in a transaction of a producer that is then closed with the transaction left open. */
    private PendingTransaction openTransaction(final SinkTopics topic, final String transactionalId, final String prefix) throws Exception
    {
        try (KafkaProducer<byte[], byte[]> producer = fencingProducer(transactionalId); Admin admin = SinkTopics.admin(broker.bootstrap()))
        {
            producer.initTransactions();
            producer.beginTransaction();
            for (final String value : records(prefix, 5))
            {
                producer.send(new ProducerRecord<>(topic.topic(), value.getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
            final TransactionDescription described = admin.describeTransactions(List.of(transactionalId)).description(transactionalId).get();
            producer.close(Duration.ZERO);
            return new PendingTransaction(transactionalId, described.producerId(), (short)described.producerEpoch(), 1);
        }
    }

    private KafkaProducer<byte[], byte[]> fencingProducer(final String transactionalId)
    {
        final Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        properties.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new KafkaProducer<>(properties);
    }

    @Test
    void aTransactionTimeoutAboveTheBrokersMaximumIsRefusedAtStart() throws Exception
    {
        final SinkTopics topic = SinkTopics.create(broker.bootstrap(), "timeout");
        final KafkaSink<String> tooLong = topic.sink().exactlyOnce("timeout-" + broker.name()).transactionTimeout(Duration.ofHours(1)).build();
        final IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> tooLong.createWriter(0, 1));
        assertTrue(refused.getMessage().contains("3600000 ms") && refused.getMessage().contains("transaction.max.timeout.ms of " +
            MAX_TIMEOUT_MS + " ms"), refused.getMessage());
        try (Admin admin = SinkTopics.admin(broker.bootstrap()))
        {
            assertEquals(MAX_TIMEOUT_MS, topic.sink().exactlyOnce("timeout-" + broker.name()).build().transactionTimeoutMs(admin),
                "the default of 15 minutes is lowered to the broker's maximum");
            assertEquals(60_000, topic.sink().exactlyOnce("timeout-" + broker.name()).transactionTimeout(Duration.ofMinutes(1)).build()
                .transactionTimeoutMs(admin));
        }
        assertEquals(List.of(), topic.readUncommitted(), "nothing written");
    }

    @Test
    void aRecordTooLargeForTheBrokerFailsTheJobWithTheBrokersReason() throws Exception
    {
        final SinkTopics topic = SinkTopics.create(broker.bootstrap(), "too-large");
        final String large = "x".repeat(2 * 1024 * 1024);
        final StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(1);
        // The large record comes last: a batch whose first record alone is too large but has more
        // behind it is split and retried by the producer, again and again, until delivery.timeout.ms.
        env.fromSource(GeneratorSource.of(3, i -> i == 2 ? large : "small-" + i), WatermarkStrategy.noWatermarks(), "records")
            // Past the client's own check: the broker refuses the record.
            .sinkTo(topic.sink().property("max.request.size", Integer.toString(8 * 1024 * 1024)).build());
        final JobExecutionException failed = assertThrows(JobExecutionException.class, () -> env.execute("too-large"));
        Throwable cause = failed;
        while (cause != null && !(cause instanceof RecordTooLargeException))
        {
            cause = cause.getCause();
        }
        assertInstanceOf(RecordTooLargeException.class, cause, "the broker's refusal is the job's failure: " + failed);
        assertTrue(stackMessages(failed).contains("writing to Kafka topic 'too-large' failed"), stackMessages(failed));
        assertFalse(topic.readUncommitted().contains(large));
    }

    private static String stackMessages(final Throwable failure)
    {
        final StringBuilder messages = new StringBuilder();
        for (Throwable cause = failure; cause != null; cause = cause.getCause())
        {
            messages.append(cause).append('\n');
        }
        return messages.toString();
    }

    /** Every record of checkpoints 1 to {@code last}, of both old subtasks. */
    private static List<String> upTo(final int last)
    {
        final List<String> all = new ArrayList<>();
        LongStream.rangeClosed(1, last).forEach(checkpoint ->
        {
            for (int s = 0; s < SUBTASKS; s++)
            {
                all.addAll(records(prefix((int)checkpoint, s), RECORDS));
            }
        });
        return all;
    }

    private void runAndKill(final SinkTopics topic, final String prefix, final String heard, final Path snapshots) throws Exception
    {
        final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        final Path err = snapshots.resolve("child.err");
        final Process child = new ProcessBuilder(java, "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            "-cp", System.getProperty("java.class.path"), KafkaSinkChild.class.getName(), broker.bootstrap(), topic.topic(), prefix, heard,
            snapshots.toString())
            .redirectError(err.toFile())
            .start();
        try
        {
            final BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("READY", out.readLine(), "the child went through its checkpoints; its stderr: " + Files.readString(err));
            assertTrue(child.toHandle().destroyForcibly(), "SIGKILL sent");
            assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child died");
            assertEquals(128 + 9, child.exitValue(), "killed by SIGKILL: no close");
        }
        finally
        {
            child.destroyForcibly();
        }
    }
}
