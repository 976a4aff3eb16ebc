package io.tidemark.log.producer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import io.tidemark.log.IsolationLevel;
import io.tidemark.log.TopicPartition;
import io.tidemark.log.TransactionResult;
import io.tidemark.log.errors.InvalidConfigurationException;
import io.tidemark.log.errors.LogException;
import io.tidemark.log.errors.ProducerFencedException;
import io.tidemark.log.errors.TransactionAbortedException;
import io.tidemark.log.txn.ProducerIdAndEpoch;
import io.tidemark.log.txn.TransactionDescription;
import io.tidemark.log.txn.TransactionState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TransactionalProducerTest
{
    private static final TopicPartition P0 = new TopicPartition("events", 0);
    private static final TopicPartition P1 = new TopicPartition("events", 1);

    @TempDir
    Path dataDir;

    private EmbeddedTransactions embedded;

    @BeforeEach
    void open()
    {
        embedded = new EmbeddedTransactions(dataDir);
        embedded.logs().createTopic("events", 2, Map.of());
    }

    @AfterEach
    void close()
    {
        embedded.close();
    }

    private static CompletableFuture<RecordMetadata> send(final Producer producer, final TopicPartition partition, final String value)
    {
        return producer.send(new ProducerRecord(partition.topic(), partition.partition(), null, null, value.getBytes(StandardCharsets.UTF_8),
            null));
    }

    @Test
    void closingLeavingTheTransactionOpenLetsItsProducerIdAndEpochCommitItAfterARestart()
    {
        final Producer producer = embedded.transactionalProducer("left");
        producer.beginTransaction();
        send(producer, P0, "kept");
        producer.flush();
        final TransactionDescription open = embedded.transactions().describe("left");
        producer.closeLeavingTransactionOpen();
        assertEquals(TransactionState.ONGOING, embedded.transactions().describe("left").state());
        embedded.restart();
        assertEquals(List.of(), embedded.readAll(IsolationLevel.READ_COMMITTED, List.of(P0), 0));
        final ProducerIdAndEpoch holder = new ProducerIdAndEpoch(open.producerId(), open.producerEpoch());
        embedded.transactions().endTransaction("left", holder, TransactionResult.COMMIT);
        embedded.transactions().endTransaction("left", holder, TransactionResult.COMMIT);
        assertEquals(List.of("kept"), embedded.readAll(IsolationLevel.READ_COMMITTED, List.of(P0), 1));
    }

    @Test
    void readCommittedSeesCommittedTransactionsOnlyAndReadUncommittedSeesAll()
    {
        try (Producer producer = embedded.transactionalProducer("tx"))
        {
            producer.beginTransaction();
            send(producer, P0, "a");
            send(producer, P1, "b");
            producer.commitTransaction();
            producer.beginTransaction();
            send(producer, P0, "aborted-1");
            send(producer, P1, "aborted-2");
            producer.flush();
            producer.abortTransaction();
            producer.beginTransaction();
            send(producer, P0, "c");
            producer.commitTransaction();
        }
        assertEquals(List.of("a", "c"), embedded.readAll(IsolationLevel.READ_COMMITTED, List.of(P0), 2));
        assertEquals(List.of("b"), embedded.readAll(IsolationLevel.READ_COMMITTED, List.of(P1), 1));
        assertEquals(List.of("a", "aborted-1", "c"), embedded.readAll(IsolationLevel.READ_UNCOMMITTED, List.of(P0), 3));
        assertEquals(List.of("b", "aborted-2"), embedded.readAll(IsolationLevel.READ_UNCOMMITTED, List.of(P1), 2));
    }

    @Test
    void abortFailsTheRecordsNotYetWrittenAndWritesNone()
    {
        final ProducerConfig lingering = ProducerConfig.defaults().withLingerMs(60_000).withTransactionalId("slow", 60_000);
        try (Producer producer = embedded.producer(lingering))
        {
            producer.initTransactions();
            producer.beginTransaction();
            final CompletableFuture<RecordMetadata> unsent = send(producer, P0, "never");
            producer.abortTransaction();
            final CompletionException failed = assertThrows(CompletionException.class, unsent::join);
            assertInstanceOf(TransactionAbortedException.class, failed.getCause());
            producer.beginTransaction();
            send(producer, P0, "kept");
            producer.commitTransaction();
        }
        assertEquals(List.of("kept"), embedded.readAll(IsolationLevel.READ_UNCOMMITTED, List.of(P0), 1));
    }

    @Test
    void callsOutOfOrderAreRefusedAsKafkaRefusesThem()
    {
        try (Producer plain = embedded.producer(ProducerConfig.defaults()))
        {
            assertThrows(IllegalStateException.class, plain::initTransactions);
            assertThrows(IllegalStateException.class, plain::beginTransaction);
        }
        try (Producer producer = embedded.producer(ProducerConfig.defaults().withLingerMs(0).withTransactionalId("order", 60_000)))
        {
            assertThrows(IllegalStateException.class, () -> send(producer, P0, "before init"));
            assertThrows(IllegalStateException.class, producer::beginTransaction);
            assertThrows(IllegalStateException.class, producer::commitTransaction);
            producer.initTransactions();
            assertThrows(IllegalStateException.class, producer::initTransactions);
            assertThrows(IllegalStateException.class, () -> send(producer, P0, "outside a transaction"));
            assertThrows(IllegalStateException.class, producer::commitTransaction);
            assertThrows(IllegalStateException.class, producer::abortTransaction);
            producer.beginTransaction();
            assertThrows(IllegalStateException.class, producer::beginTransaction);
            send(producer, P0, "inside").join();
            producer.commitTransaction();
            assertThrows(IllegalStateException.class, producer::commitTransaction);
        }
        assertEquals(List.of("inside"), embedded.readAll(IsolationLevel.READ_UNCOMMITTED, List.of(P0), 1));
    }

    @Test
    void aTransactionalIdNeedsIdempotenceAndACoordinator()
    {
        final InvalidConfigurationException noIdempotence = assertThrows(InvalidConfigurationException.class,
            () -> ProducerConfig.fromMap(Map.of("transactional.id", "t", "enable.idempotence", "false")));
        assertTrue(noIdempotence.getMessage().contains("enable.idempotence"), noIdempotence.getMessage());
        assertThrows(InvalidConfigurationException.class, () -> ProducerConfig.fromMap(Map.of("transaction.timeout.ms", "0")));
        final ProducerConfig config = ProducerConfig.fromMap(Map.of("transactional.id", "t", "transaction.timeout.ms", "1234"));
        assertEquals("t", config.transactionalId());
        assertEquals(1234, config.transactionTimeoutMs());
        assertEquals(60_000, ProducerConfig.defaults().transactionTimeoutMs());
        assertThrows(IllegalArgumentException.class, () -> new Producer(embedded.logs(), config));
    }

    @Test
    void aNewInstanceFencesTheZombieWhoseOpenTransactionIsAborted()
    {
        final Producer zombie = embedded.transactionalProducer("copier");
        try
        {
            zombie.beginTransaction();
            send(zombie, P0, "zombie").join();
            try (Producer successor = embedded.transactionalProducer("copier"))
            {
                assertThrows(ProducerFencedException.class, zombie::commitTransaction);
                final CompletionException late = assertThrows(CompletionException.class, () -> send(zombie, P0, "late").join());
                assertInstanceOf(ProducerFencedException.class, late.getCause());
                assertThrows(ProducerFencedException.class, zombie::beginTransaction);
                assertThrows(ProducerFencedException.class, zombie::abortTransaction);

                successor.beginTransaction();
                send(successor, P0, "successor");
                successor.commitTransaction();
            }
        }
        finally
        {
            zombie.close();
        }
        assertEquals(List.of("successor"), embedded.readAll(IsolationLevel.READ_COMMITTED, List.of(P0), 1));
        assertEquals(List.of("zombie", "successor"), embedded.readAll(IsolationLevel.READ_UNCOMMITTED, List.of(P0), 2));
    }

    @Test
    void aFailedWriteMakesCommitFailAndTheTransactionAbortable()
    {
        embedded.logs().createTopic("doomed", 1, Map.of());
        final ProducerConfig lingering = ProducerConfig.defaults().withLingerMs(60_000).withTransactionalId("failing", 60_000);
        try (Producer producer = embedded.producer(lingering))
        {
            producer.initTransactions();
            producer.beginTransaction();
            send(producer, P0, "with a failed sibling");
            final CompletableFuture<RecordMetadata> lost = send(producer, new TopicPartition("doomed", 0), "lost");
            embedded.logs().deleteTopic("doomed");
            final LogException commit = assertThrows(LogException.class, producer::commitTransaction);
            assertTrue(commit.getMessage().contains("aborted"), commit.getMessage());
            assertTrue(lost.isCompletedExceptionally());
            final CompletionException refused = assertThrows(CompletionException.class, () -> send(producer, P0, "after the failure").join());
            assertInstanceOf(LogException.class, refused.getCause());
            producer.abortTransaction();

            producer.beginTransaction();
            send(producer, P0, "next");
            producer.commitTransaction();
        }
        assertEquals(List.of("next"), embedded.readAll(IsolationLevel.READ_COMMITTED, List.of(P0), 1));
    }

    @Test
    void closingInsideATransactionAbortsIt()
    {
        try (Producer producer = embedded.transactionalProducer("closer"))
        {
            producer.beginTransaction();
            send(producer, P0, "abandoned").join();
        }
        try (Producer producer = embedded.transactionalProducer("closer"))
        {
            producer.beginTransaction();
            send(producer, P0, "done");
            producer.commitTransaction();
        }
        final List<String> committed = new ArrayList<>(embedded.readAll(IsolationLevel.READ_COMMITTED, List.of(P0), 1));
        assertEquals(List.of("done"), committed);
    }
}
