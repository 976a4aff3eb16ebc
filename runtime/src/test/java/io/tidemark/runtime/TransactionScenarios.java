package io.tidemark.runtime;

import static io.tidemark.runtime.TransactionClients.createTopic;
import static io.tidemark.runtime.TransactionClients.producer;
import static io.tidemark.runtime.TransactionClients.readToEnd;
import static io.tidemark.runtime.TransactionClients.values;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Transactions as kafka-clients 4.3.1 sees them, the same scenarios against a broker process
 * of each kind: Apache Kafka 4.3.1 is the oracle, {@code tidemark server} must answer alike
 * (where Tidemark's documented rule differs, the scenario names the difference). One broker
 * per class; each scenario has its own topic and transactional id.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class TransactionScenarios
{
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);
    /** The coordinator looks for timed-out transactions this often (Kafka's key). */
    private static final String CLEANUP_INTERVAL_MS = "500";

    @TempDir
    static Path dir;

    private BrokerUnderTest broker;

    /** How a broker goes down before it is restarted. */
    enum Shutdown
    {
        SIGTERM,
        KILL9
    }

    /**
     * @param brokerDir an empty directory for the broker.
     * @param config broker configuration keys (Kafka's names).
     * @return the broker, not started.
     */
    abstract BrokerUnderTest newBroker(Path brokerDir, Map<String, String> config);

    @BeforeAll
    void startBroker() throws Exception
    {
        broker = newBroker(dir.resolve("broker"), Map.of("transaction.abort.timed.out.transaction.cleanup.interval.ms", CLEANUP_INTERVAL_MS));
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

    /**
     * An aborted transaction's records are skipped by read_committed readers, and only they: a
     * plain producer's record written between two of them is read; read_uncommitted reads all.
     */
    @Test
    void abortedTransactionsAreInvisibleToReadCommittedAndVisibleToReadUncommitted() throws Exception
    {
        final String topic = "aborted";
        createTopic(broker.bootstrap(), topic, 2);
        try (KafkaProducer<String, String> transactional = producer(broker.bootstrap(), "aborted-txn", Map.of());
             KafkaProducer<String, String> plain = producer(broker.bootstrap(), null, Map.of()))
        {
            transactional.initTransactions();
            transactional.beginTransaction();
            for (int p = 0; p < 2; p++)
            {
                transactional.send(new ProducerRecord<>(topic, p, "k", "aborted-a" + p)).get(1, TimeUnit.MINUTES);
                plain.send(new ProducerRecord<>(topic, p, "k", "plain-" + p)).get(1, TimeUnit.MINUTES);
                transactional.send(new ProducerRecord<>(topic, p, "k", "aborted-b" + p)).get(1, TimeUnit.MINUTES);
            }
            transactional.abortTransaction();
            transactional.beginTransaction();
            for (int p = 0; p < 2; p++)
            {
                transactional.send(new ProducerRecord<>(topic, p, "k", "committed-" + p));
            }
            transactional.commitTransaction();
            transactional.beginTransaction();
            transactional.send(new ProducerRecord<>(topic, 0, "k", "aborted-c0"));
            transactional.flush();
            transactional.abortTransaction();
        }
        assertEquals(List.of("plain-0", "committed-0", "plain-1", "committed-1"),
            values(readToEnd(broker.bootstrap(), topic, 2, IsolationLevel.READ_COMMITTED, READ_TIMEOUT)), broker.name());
        assertEquals(List.of("aborted-a0", "plain-0", "aborted-b0", "committed-0", "aborted-c0", "aborted-a1", "plain-1", "aborted-b1", "committed-1"),
            values(readToEnd(broker.bootstrap(), topic, 2, IsolationLevel.READ_UNCOMMITTED, READ_TIMEOUT)), broker.name());
    }

    /**
     * A second producer with the same transactional id fences the first: the first one's open
     * transaction is aborted, and its next write and commit fail as fenced.
     */
    @Test
    void aZombieProducerWithAnOldEpochIsFenced() throws Exception
    {
        final String topic = "zombie";
        createTopic(broker.bootstrap(), topic, 1);
        try (KafkaProducer<String, String> zombie = producer(broker.bootstrap(), "zombie-txn", Map.of());
             KafkaProducer<String, String> successor = producer(broker.bootstrap(), "zombie-txn", Map.of()))
        {
            zombie.initTransactions();
            zombie.beginTransaction();
            zombie.send(new ProducerRecord<>(topic, 0, "k", "zombie-1")).get(1, TimeUnit.MINUTES);

            successor.initTransactions();
            successor.beginTransaction();
            successor.send(new ProducerRecord<>(topic, 0, "k", "successor-1"));
            successor.commitTransaction();

            final ExecutionException write = assertThrows(ExecutionException.class,
                () -> zombie.send(new ProducerRecord<>(topic, 0, "k", "zombie-2")).get(1, TimeUnit.MINUTES));
            assertFenced(write.getCause());
            assertFenced(assertThrows(KafkaException.class, zombie::commitTransaction));
        }
        assertEquals(List.of("successor-1"), values(readToEnd(broker.bootstrap(), topic, 1, IsolationLevel.READ_COMMITTED, READ_TIMEOUT)));
        assertEquals(List.of("zombie-1", "successor-1"),
            values(readToEnd(broker.bootstrap(), topic, 1, IsolationLevel.READ_UNCOMMITTED, READ_TIMEOUT)), "the fenced write is not in the log");
    }

    /**
     * A transaction left open past its {@code transaction.timeout.ms} holds the last stable
     * offset back until the coordinator aborts it; then read_committed readers get past it to
     * the records written after it, and its producer is fenced.
     */
    @Test
    void aHungTransactionIsAbortedAfterItsTimeoutAndTheLastStableOffsetMovesOn() throws Exception
    {
        final String topic = "hung";
        final String transactionalId = "hung-txn";
        createTopic(broker.bootstrap(), topic, 1);
        final TopicPartition partition = new TopicPartition(topic, 0);
        try (KafkaProducer<String, String> hung = producer(broker.bootstrap(), transactionalId, Map.of(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 3_000));
             KafkaProducer<String, String> plain = producer(broker.bootstrap(), null, Map.of());
             Admin admin = TransactionClients.admin(broker.bootstrap()))
        {
            hung.initTransactions();
            hung.beginTransaction();
            hung.send(new ProducerRecord<>(topic, 0, "k", "hung-0")).get(1, TimeUnit.MINUTES);
            hung.send(new ProducerRecord<>(topic, 0, "k", "hung-1")).get(1, TimeUnit.MINUTES);
            for (int i = 0; i < 3; i++)
            {
                plain.send(new ProducerRecord<>(topic, 0, "k", "after-" + i)).get(1, TimeUnit.MINUTES);
            }
            final long lastStable = admin.listOffsets(Map.of(partition, OffsetSpec.latest()), new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                .partitionResult(partition).get(1, TimeUnit.MINUTES).offset();
            // Described after the offset was read: if the transaction is still open now, it was then.
            if (describe(admin, transactionalId).state() == TransactionState.ONGOING)
            {
                assertEquals(0, lastStable, "the open transaction's first offset holds the last stable offset back");
            }

            assertEquals(List.of("after-0", "after-1", "after-2"), values(readToEnd(broker.bootstrap(), topic, 1, IsolationLevel.READ_COMMITTED, READ_TIMEOUT)));
            awaitState(admin, transactionalId, TransactionState.COMPLETE_ABORT);
            assertFenced(assertThrows(KafkaException.class, hung::commitTransaction));
        }
        assertEquals(List.of("hung-0", "hung-1", "after-0", "after-1", "after-2"),
            values(readToEnd(broker.bootstrap(), topic, 1, IsolationLevel.READ_UNCOMMITTED, READ_TIMEOUT)));
    }

    /**
     * Committed and aborted transactions stay decided across a restart, and the coordinator
     * remembers the transactional id: its state and epoch are the same afterwards, and a new
     * producer instance carries on with a higher epoch.
     */
    @ParameterizedTest
    @EnumSource(Shutdown.class)
    void completedTransactionsAndTheCoordinatorsStateSurviveARestart(final Shutdown shutdown) throws Exception
    {
        final String topic = "completed-" + shutdown.name().toLowerCase(Locale.ROOT);
        final String transactionalId = topic + "-txn";
        createTopic(broker.bootstrap(), topic, 2);
        final TransactionDescription before;
        try (KafkaProducer<String, String> producer = producer(broker.bootstrap(), transactionalId, Map.of());
             Admin admin = TransactionClients.admin(broker.bootstrap()))
        {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, 0, "k", "committed-0"));
            producer.send(new ProducerRecord<>(topic, 1, "k", "committed-1"));
            producer.commitTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, 0, "k", "aborted-0"));
            producer.send(new ProducerRecord<>(topic, 1, "k", "aborted-1"));
            producer.flush();
            producer.abortTransaction();
            // Kafka answers EndTxn once PREPARE_ABORT is written, and completes after the markers.
            before = awaitState(admin, transactionalId, TransactionState.COMPLETE_ABORT);
        }

        restart(shutdown);

        assertEquals(List.of("committed-0", "committed-1"), values(readToEnd(broker.bootstrap(), topic, 2, IsolationLevel.READ_COMMITTED, READ_TIMEOUT)));
        assertEquals(List.of("committed-0", "aborted-0", "committed-1", "aborted-1"),
            values(readToEnd(broker.bootstrap(), topic, 2, IsolationLevel.READ_UNCOMMITTED, READ_TIMEOUT)));
        try (KafkaProducer<String, String> producer = producer(broker.bootstrap(), transactionalId, Map.of());
             Admin admin = TransactionClients.admin(broker.bootstrap()))
        {
            final TransactionDescription after = describe(admin, transactionalId);
            assertEquals(TransactionState.COMPLETE_ABORT, after.state(), "after " + shutdown);
            assertEquals(before.producerId(), after.producerId(), "after " + shutdown);
            assertEquals(before.producerEpoch(), after.producerEpoch(), "after " + shutdown);

            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, 0, "k", "committed-again"));
            producer.commitTransaction();
            assertTrue(describe(admin, transactionalId).producerEpoch() > before.producerEpoch(), "a new instance bumps the epoch");
        }
        assertEquals(List.of("committed-0", "committed-again", "committed-1"),
            values(readToEnd(broker.bootstrap(), topic, 2, IsolationLevel.READ_COMMITTED, READ_TIMEOUT)));
    }

    /**
     * A transaction still open when the broker goes down: its producer, which lives on, commits
     * it after the restart (both brokers reload it as ongoing until its timeout), and
     * read_committed readers see it whole.
     */
    @ParameterizedTest
    @EnumSource(Shutdown.class)
    void aTransactionOngoingAtARestartIsDecidedAfterIt(final Shutdown shutdown) throws Exception
    {
        final String topic = "ongoing-" + shutdown.name().toLowerCase(Locale.ROOT);
        createTopic(broker.bootstrap(), topic, 2);
        try (KafkaProducer<String, String> producer = producer(broker.bootstrap(), topic + "-txn", Map.of()))
        {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, 0, "k", "ongoing-0"));
            producer.send(new ProducerRecord<>(topic, 1, "k", "ongoing-1"));
            producer.flush();

            restart(shutdown);

            producer.commitTransaction();
            assertEquals(List.of("ongoing-0", "ongoing-1"),
                values(readToEnd(broker.bootstrap(), topic, 2, IsolationLevel.READ_COMMITTED, READ_TIMEOUT)), "after " + shutdown);
        }
        assertEquals(List.of("ongoing-0", "ongoing-1"),
            values(readToEnd(broker.bootstrap(), topic, 2, IsolationLevel.READ_UNCOMMITTED, READ_TIMEOUT)), "after " + shutdown);
    }

    private void restart(final Shutdown shutdown) throws Exception
    {
        if (shutdown == Shutdown.KILL9)
        {
            broker.kill9();
        }
        else
        {
            broker.stop();
        }
        broker.restart();
    }

    /**
     * @return the description once the transaction is in the state, within the read timeout.
     * @throws AssertionError with the last description if it does not get there.
     */
    private static TransactionDescription awaitState(final Admin admin, final String transactionalId, final TransactionState state)
        throws Exception
    {
        final long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
        TransactionDescription description = describe(admin, transactionalId);
        while (description.state() != state)
        {
            assertTrue(System.nanoTime() - deadline < 0, "not " + state + " within " + READ_TIMEOUT + ": " + description);
            Thread.sleep(20);
            description = describe(admin, transactionalId);
        }
        return description;
    }

    private static TransactionDescription describe(final Admin admin, final String transactionalId) throws Exception
    {
        return admin.describeTransactions(List.of(transactionalId)).description(transactionalId).get(1, TimeUnit.MINUTES);
    }

    /**
     * A fenced producer learns it as {@link ProducerFencedException} (InitProducerId, EndTxn,
     * and Produce under transaction version 1 answer PRODUCER_FENCED or INVALID_PRODUCER_EPOCH,
     * which the client maps to it or to {@link InvalidProducerEpochException}), possibly as the
     * cause of the error that a later call reports.
     */
    private static void assertFenced(final Throwable failure)
    {
        final List<Throwable> chain = new ArrayList<>();
        for (Throwable t = failure; t != null && !chain.contains(t); t = t.getCause())
        {
            chain.add(t);
        }
        assertTrue(chain.stream().anyMatch(t -> t instanceof ProducerFencedException || t instanceof InvalidProducerEpochException),
            "fenced, not " + chain);
    }
}
