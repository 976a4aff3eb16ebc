package io.tidemark.log.txn;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import ch.qos.logback.classic.Level;
import io.tidemark.log.AbortedTransaction;
import io.tidemark.log.LogCapture;
import io.tidemark.log.PartitionLog;
import io.tidemark.log.TopicPartition;
import io.tidemark.log.TransactionResult;
import io.tidemark.log.errors.ConcurrentTransactionsException;
import io.tidemark.log.errors.InvalidGroupIdException;
import io.tidemark.log.errors.InvalidProducerIdMappingException;
import io.tidemark.log.errors.InvalidTransactionTimeoutException;
import io.tidemark.log.errors.InvalidTxnStateException;
import io.tidemark.log.errors.ProducerFencedException;
import io.tidemark.log.errors.TransactionalIdNotFoundException;
import io.tidemark.log.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.tidemark.log.txn.TransactionFixture.P0;
import static io.tidemark.log.txn.TransactionFixture.P1;
import static io.tidemark.log.txn.TransactionFixture.P2;
import static io.tidemark.log.txn.TransactionFixture.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The coordinator as the wire handlers and the embedded producer drive it, on a real log
 * manager: Kafka's answers and errors per state, fencing, timeouts, expiry and restarts in
 * every phase of a transaction.
 */
class TransactionCoordinatorTest
{
    private static final String ID = "payments";
    /** A check every 10 ms, ids forgotten after an hour unused: the clock is the test's. */
    private static final TransactionConfig CONFIG = new TransactionConfig(60_000, 3, 10, 3_600_000);

    @TempDir
    Path dataDir;

    private LogCapture captured;
    private TransactionFixture fixture;

    @BeforeEach
    void open()
    {
        captured = new LogCapture(TransactionCoordinator.class);
        fixture = new TransactionFixture(dataDir, CONFIG);
    }

    @AfterEach
    void close()
    {
        fixture.close();
        captured.close();
    }

    private TransactionCoordinator coordinator()
    {
        return fixture.coordinator;
    }

    private PartitionLog log(final TopicPartition partition)
    {
        return fixture.logs.partition(partition);
    }

    private List<String> lines(final Level level)
    {
        return captured.lines(level);
    }

    @Test
    void initGivesAProducerIdAndBumpsItsEpochAtEveryInit()
    {
        final ProducerIdAndEpoch first = coordinator().initProducerId(ID, 30_000, null);
        assertEquals(0, first.epoch());
        final ProducerIdAndEpoch second = coordinator().initProducerId(ID, 40_000, null);
        assertEquals(new ProducerIdAndEpoch(first.producerId(), (short)1), second);
        final ProducerIdAndEpoch other = coordinator().initProducerId("refunds", 30_000, null);
        assertNotEquals(first.producerId(), other.producerId());
        final TransactionDescription described = coordinator().describe(ID);
        assertEquals(new TransactionDescription(ID, TransactionState.EMPTY, first.producerId(), (short)1, 40_000, -1, List.of()), described);
    }

    @Test
    void initRefusesATimeoutOutOfRangeAndAnEmptyIdAndRecordsNothing()
    {
        assertThrows(InvalidTransactionTimeoutException.class, () -> coordinator().initProducerId(ID, 0, null));
        assertThrows(InvalidTransactionTimeoutException.class, () -> coordinator().initProducerId(ID, 60_001, null));
        assertThrows(IllegalArgumentException.class, () -> coordinator().initProducerId("", 1_000, null));
        assertThrows(TransactionalIdNotFoundException.class, () -> coordinator().describe(ID));
        assertEquals(List.of(), coordinator().list(Set.of(), Set.of(), -1));
        assertEquals(0, coordinator().initProducerId(ID, 60_000, null).epoch());
    }

    @Test
    void anExpectedEpochBumpsALiveProducerAndARetriedBumpGetsTheSameAnswer()
    {
        final ProducerIdAndEpoch first = coordinator().initProducerId(ID, 30_000, null);
        final ProducerIdAndEpoch bumped = coordinator().initProducerId(ID, 30_000, first);
        assertEquals(new ProducerIdAndEpoch(first.producerId(), (short)1), bumped);
        assertEquals(bumped, coordinator().initProducerId(ID, 30_000, first), "a retry whose answer was lost");
        assertThrows(ProducerFencedException.class, () -> coordinator().initProducerId(ID, 30_000, new ProducerIdAndEpoch(first.producerId(), (short)7)));
        assertThrows(ProducerFencedException.class, () -> coordinator().initProducerId(ID, 30_000, new ProducerIdAndEpoch(first.producerId() + 99, (short)1)));
        assertEquals(new ProducerIdAndEpoch(first.producerId(), (short)2), coordinator().initProducerId(ID, 30_000, bumped));
        assertEquals(new ProducerIdAndEpoch(first.producerId(), (short)3), coordinator().initProducerId(ID, 30_000, new ProducerIdAndEpoch(-1, (short)-1)),
            "none expected, as the request says it");
    }

    @Test
    void whenTheEpochsRunOutTheIdGetsANewProducerId()
    {
        final ProducerIdAndEpoch first = coordinator().initProducerId(ID, 30_000, null);
        fixture.close();
        // The state an id reaches after 32,766 bumps, written as the coordinator writes it.
        final TransactionMetadata exhausted = new TransactionMetadata(ID, first.producerId(), -1, (short)(Short.MAX_VALUE - 1), (short)-1, 30_000,
            TransactionState.COMPLETE_COMMIT, Set.of(), Set.of(), -1, fixture.now.get());
        try (var logs = io.tidemark.log.topic.LogManager.open(dataDir, io.tidemark.log.LogConfig.DEFAULTS))
        {
            new TransactionStateLog(logs, CONFIG.stateLogPartitions(), fixture.now::get).write(exhausted);
        }
        fixture.open();
        final ProducerIdAndEpoch last = new ProducerIdAndEpoch(first.producerId(), (short)(Short.MAX_VALUE - 1));
        final ProducerIdAndEpoch rotated = coordinator().initProducerId(ID, 30_000, last);
        assertNotEquals(first.producerId(), rotated.producerId());
        assertEquals(0, rotated.epoch());
        assertEquals(rotated, coordinator().initProducerId(ID, 30_000, last), "a retry with the old producer id gets the new one again");
        assertEquals(new ProducerIdAndEpoch(rotated.producerId(), (short)1), coordinator().initProducerId(ID, 30_000, rotated));
    }

    @Test
    void anEpochFenceFoundAtARestartAbortsWithTheEpochItCarries()
    {
        final ProducerIdAndEpoch producer = coordinator().initProducerId(ID, 30_000, null);
        coordinator().addPartitions(ID, producer, List.of(P0));
        fixture.produce(P0, producer, 0, "a");
        fixture.close();
        // Kafka's transient state, as another writer of the topic could have left it: the epoch already bumped.
        final TransactionMetadata fencing = new TransactionMetadata(ID, producer.producerId(), -1, (short)(producer.epoch() + 1), (short)-1,
            30_000, TransactionState.PREPARE_EPOCH_FENCE, Set.of(P0), Set.of(), fixture.now.get(), fixture.now.get());
        try (var logs = io.tidemark.log.topic.LogManager.open(dataDir, io.tidemark.log.LogConfig.DEFAULTS))
        {
            new TransactionStateLog(logs, CONFIG.stateLogPartitions(), fixture.now::get).write(fencing);
        }
        fixture.open();
        assertEquals(new TransactionDescription(ID, TransactionState.COMPLETE_ABORT, producer.producerId(), (short)(producer.epoch() + 1), 30_000,
            -1, List.of()), coordinator().describe(ID));
        assertEquals(List.of(new AbortedTransaction(producer.producerId(), 0, 1)), log(P0).abortedTransactions(0, log(P0).logEndOffset()));
        assertEquals(log(P0).logEndOffset(), log(P0).lastStableOffset());
    }

    @Test
    void addPartitionsOpensTheTransactionAndChecksTheProducer()
    {
        final ProducerIdAndEpoch producer = coordinator().initProducerId(ID, 30_000, null);
        final long start = fixture.now.get();
        coordinator().addPartitions(ID, producer, List.of(P1, P0));
        fixture.now.addAndGet(5);
        coordinator().addPartitions(ID, producer, List.of(P0));
        coordinator().addPartitions(ID, producer, List.of(P2));
        assertEquals(new TransactionDescription(ID, TransactionState.ONGOING, producer.producerId(), producer.epoch(), 30_000, start,
            List.of(P0, P1, P2)), coordinator().describe(ID));

        assertThrows(InvalidProducerIdMappingException.class, () -> coordinator().addPartitions("nobody", producer, List.of(P0)));
        assertThrows(InvalidProducerIdMappingException.class,
            () -> coordinator().addPartitions(ID, new ProducerIdAndEpoch(producer.producerId() + 1, producer.epoch()), List.of(P0)));
        assertThrows(ProducerFencedException.class,
            () -> coordinator().addPartitions(ID, new ProducerIdAndEpoch(producer.producerId(), (short)(producer.epoch() + 1)), List.of(P0)));
    }

    @Test
    void anUnknownTopicOrPartitionIsRefusedAndNothingIsAdded()
    {
        final ProducerIdAndEpoch producer = coordinator().initProducerId(ID, 30_000, null);
        assertThrows(UnknownTopicOrPartitionException.class, () -> coordinator().addPartitions(ID, producer, List.of(P0, new TopicPartition("nope", 0))));
        assertThrows(UnknownTopicOrPartitionException.class, () -> coordinator().addPartitions(ID, producer, List.of(new TopicPartition(P0.topic(), 3))));
        assertEquals(TransactionState.EMPTY, coordinator().describe(ID).state());
        assertThrows(InvalidGroupIdException.class, () -> coordinator().addOffsets(ID, producer, ""));
        assertEquals(TransactionState.EMPTY, coordinator().describe(ID).state());
    }

    @Test
    void addOffsetsAddsTheGroupsPartitionOfTheOffsetsTopic()
    {
        final ProducerIdAndEpoch producer = coordinator().initProducerId(ID, 30_000, null);
        coordinator().addOffsets(ID, producer, "readers");
        final TopicPartition offsets = fixture.groups.offsetsPartition("readers");
        assertEquals(io.tidemark.log.group.OffsetStore.TOPIC, offsets.topic());
        assertEquals(List.of(offsets), coordinator().describe(ID).partitions());
        assertEquals(TransactionState.ONGOING, coordinator().describe(ID).state());
    }

    @Test
    void endTransactionFollowsKafkasRulesPerState()
    {
        final ProducerIdAndEpoch producer = coordinator().initProducerId(ID, 30_000, null);
        assertThrows(InvalidTxnStateException.class, () -> coordinator().endTransaction(ID, producer, TransactionResult.COMMIT), "nothing open");
        coordinator().addPartitions(ID, producer, List.of(P0));
        fixture.produce(P0, producer, 0, "a", "b");
        coordinator().endTransaction(ID, producer, TransactionResult.COMMIT);
        assertEquals(new TransactionDescription(ID, TransactionState.COMPLETE_COMMIT, producer.producerId(), producer.epoch(), 30_000, -1, List.of()),
            coordinator().describe(ID));
        coordinator().endTransaction(ID, producer, TransactionResult.COMMIT);
        assertThrows(InvalidTxnStateException.class, () -> coordinator().endTransaction(ID, producer, TransactionResult.ABORT));
        assertEquals(log(P0).logEndOffset(), log(P0).lastStableOffset());

        coordinator().addPartitions(ID, producer, List.of(P1));
        fixture.produce(P1, producer, 0, "c");
        coordinator().endTransaction(ID, producer, TransactionResult.ABORT);
        assertEquals(TransactionState.COMPLETE_ABORT, coordinator().describe(ID).state());
        coordinator().endTransaction(ID, producer, TransactionResult.ABORT);
        assertThrows(InvalidTxnStateException.class, () -> coordinator().endTransaction(ID, producer, TransactionResult.COMMIT));
        assertEquals(List.of(new AbortedTransaction(producer.producerId(), 0, 1)), log(P1).abortedTransactions(0, log(P1).logEndOffset()));
        assertEquals(List.of(), log(P0).abortedTransactions(0, log(P0).logEndOffset()));

        assertThrows(InvalidProducerIdMappingException.class, () -> coordinator().endTransaction("nobody", producer, TransactionResult.ABORT));
        assertThrows(ProducerFencedException.class,
            () -> coordinator().endTransaction(ID, new ProducerIdAndEpoch(producer.producerId(), (short)(producer.epoch() - 1)), TransactionResult.ABORT));
    }

    @Test
    void everyMarkerIsToldToTheListener()
    {
        final ProducerIdAndEpoch producer = coordinator().initProducerId(ID, 30_000, null);
        coordinator().addPartitions(ID, producer, List.of(P0, P2));
        coordinator().addOffsets(ID, producer, "readers");
        fixture.markers.clear();
        coordinator().endTransaction(ID, producer, TransactionResult.COMMIT);
        assertEquals(Set.of(P0, P2, fixture.groups.offsetsPartition("readers")), Set.copyOf(fixture.markers));
        assertEquals(3, fixture.markers.size());
    }

    @Test
    void verifyWriteAcceptsOnlyPartitionsOfTheOpenTransaction()
    {
        final ProducerIdAndEpoch producer = coordinator().initProducerId(ID, 30_000, null);
        assertThrows(InvalidTxnStateException.class, () -> coordinator().verifyWrite(ID, producer, P0));
        coordinator().addPartitions(ID, producer, List.of(P0));
        coordinator().verifyWrite(ID, producer, P0);
        assertThrows(InvalidTxnStateException.class, () -> coordinator().verifyWrite(ID, producer, P1));
        assertThrows(ProducerFencedException.class,
            () -> coordinator().verifyWrite(ID, new ProducerIdAndEpoch(producer.producerId(), (short)(producer.epoch() - 1)), P0));
        assertThrows(InvalidProducerIdMappingException.class, () -> coordinator().verifyWrite("nobody", producer, P0));
        coordinator().endTransaction(ID, producer, TransactionResult.COMMIT);
        assertThrows(InvalidTxnStateException.class, () -> coordinator().verifyWrite(ID, producer, P0));
    }

    @Test
    void aSecondInitFencesTheFirstAndAbortsItsTransaction()
    {
        final ProducerIdAndEpoch first = coordinator().initProducerId(ID, 30_000, null);
        coordinator().addPartitions(ID, first, List.of(P0));
        fixture.produce(P0, first, 0, "lost");
        assertEquals(0, log(P0).lastStableOffset());

        final ProducerIdAndEpoch second = coordinator().initProducerId(ID, 30_000, null);
        assertEquals(new ProducerIdAndEpoch(first.producerId(), (short)2), second, "bumped once to abort, once for the new instance");
        assertEquals(log(P0).logEndOffset(), log(P0).lastStableOffset());
        assertEquals(List.of(new AbortedTransaction(first.producerId(), 0, 1)), log(P0).abortedTransactions(0, log(P0).logEndOffset()));
        assertThrows(ProducerFencedException.class, () -> coordinator().addPartitions(ID, first, List.of(P1)));
        assertThrows(ProducerFencedException.class, () -> coordinator().endTransaction(ID, first, TransactionResult.COMMIT));
        assertThrows(ProducerFencedException.class, () -> fixture.produce(P0, first, 1, "late"));
        coordinator().addPartitions(ID, second, List.of(P0));
        fixture.produce(P0, second, 0, "new");
        coordinator().endTransaction(ID, second, TransactionResult.COMMIT);
    }

    @Test
    void anErrorInOneCheckLeavesTheChecksAfterItRunning()
    {
        final ProducerIdAndEpoch producer = coordinator().initProducerId(ID, 1_000, null);
        coordinator().addPartitions(ID, producer, List.of(P1));
        fixture.produce(P1, producer, 0, "slow");
        final AtomicBoolean thrown = new AtomicBoolean();
        fixture.onMarker = partition ->
        {
            if (thrown.compareAndSet(false, true))
            {
                throw new Error("injected: the abort marker's write failed with an Error");
            }
        };
        fixture.now.addAndGet(1_001);
        waitUntil(thrown::get, "the timeout check tries to abort the transaction");
        fixture.now.addAndGet(CONFIG.abortTimedOutIntervalMs());
        waitUntil(() -> coordinator().describe(ID).state() == TransactionState.COMPLETE_ABORT,
            "a later check writes the markers again, although the one before it ended in an Error");
        assertEquals(log(P1).logEndOffset(), log(P1).lastStableOffset());
        assertTrue(lines(Level.ERROR).stream().anyMatch(line -> line.contains("the timeout check of transactional id 'payments' failed")), lines(Level.ERROR).toString());
    }

    @Test
    void aTransactionOlderThanItsTimeoutIsAbortedWithAnEpochBumpAndLogged()
    {
        final ProducerIdAndEpoch producer = coordinator().initProducerId(ID, 1_000, null);
        coordinator().addPartitions(ID, producer, List.of(P1));
        fixture.produce(P1, producer, 0, "slow");
        fixture.now.addAndGet(1_000);
        assertEquals(TransactionState.ONGOING, coordinator().describe(ID).state(), "not older than its timeout yet");
        waitUntil(() -> lines(Level.WARN).size() == 1, "past half its timeout, the open transaction is reported");
        assertTrue(lines(Level.WARN).get(0).contains("has been open for 1000 ms and holds back the last stable offset of " + P1 + " by 1 records"),
            lines(Level.WARN).get(0));
        fixture.now.addAndGet(1);
        waitUntil(() -> coordinator().describe(ID).state() == TransactionState.COMPLETE_ABORT, "the timeout aborts the transaction");
        assertEquals(producer.epoch() + 1, coordinator().describe(ID).producerEpoch());
        assertEquals(log(P1).logEndOffset(), log(P1).lastStableOffset());
        assertThrows(ProducerFencedException.class, () -> coordinator().endTransaction(ID, producer, TransactionResult.COMMIT));
        assertThrows(ProducerFencedException.class, () -> fixture.produce(P1, producer, 1, "late"));
        final List<String> warnings = lines(Level.WARN);
        assertEquals(2, warnings.size(), "reported once as long open, once as aborted: " + warnings);
        final String aborted = warnings.get(1);
        assertTrue(aborted.contains("'" + ID + "'") && aborted.contains(String.valueOf(producer.producerId())) &&
            aborted.contains("1001 ms") && aborted.contains("held back the last stable offset of " + P1 + " by 1 records"), aborted);
    }

    @Test
    void anIdUnusedLongerThanItsExpirationIsForgottenForGood()
    {
        final ProducerIdAndEpoch first = coordinator().initProducerId(ID, 30_000, null);
        final ProducerIdAndEpoch busy = coordinator().initProducerId("busy", 30_000, null);
        coordinator().addPartitions("busy", busy, List.of(P0));
        fixture.now.addAndGet(CONFIG.idExpirationMs() - 1);
        coordinator().initProducerId("recent", 30_000, null);
        fixture.now.addAndGet(1);
        waitUntil(() -> coordinator().list(Set.of(), Set.of(), -1).stream().noneMatch(l -> l.transactionalId().equals(ID)), "the id expires");
        assertThrows(TransactionalIdNotFoundException.class, () -> coordinator().describe(ID));
        assertThrows(InvalidProducerIdMappingException.class, () -> coordinator().addPartitions(ID, first, List.of(P0)));
        fixture.restart();
        assertThrows(TransactionalIdNotFoundException.class, () -> coordinator().describe(ID));
        assertEquals(TransactionState.EMPTY, coordinator().describe("recent").state());
        assertNotEquals(first.producerId(), coordinator().initProducerId(ID, 30_000, null).producerId());
    }

    @Test
    void listFiltersByStateProducerAndDuration()
    {
        final ProducerIdAndEpoch a = coordinator().initProducerId("a", 30_000, null);
        final ProducerIdAndEpoch b = coordinator().initProducerId("b", 30_000, null);
        coordinator().initProducerId("c", 30_000, null);
        coordinator().addPartitions("a", a, List.of(P0));
        fixture.now.addAndGet(100);
        coordinator().addPartitions("b", b, List.of(P1));
        assertEquals(List.of("a", "b", "c"), ids(coordinator().list(Set.of(), Set.of(), -1)));
        assertEquals(List.of("a", "b"), ids(coordinator().list(Set.of(TransactionState.ONGOING), Set.of(), -1)));
        assertEquals(List.of("b"), ids(coordinator().list(Set.of(), Set.of(b.producerId()), -1)));
        assertEquals(List.of("a"), ids(coordinator().list(Set.of(), Set.of(), 50)));
        assertEquals(new TransactionListing("c", coordinator().describe("c").producerId(), TransactionState.EMPTY),
            coordinator().list(Set.of(TransactionState.EMPTY), Set.of(), -1).get(0));
    }

    private static List<String> ids(final List<TransactionListing> listings)
    {
        return listings.stream().map(TransactionListing::transactionalId).toList();
    }

    @Test
    void aTransactionOpenAtARestartStaysOpenAndItsProducerCommitsIt()
    {
        final ProducerIdAndEpoch producer = coordinator().initProducerId(ID, 30_000, null);
        final long start = fixture.now.get();
        coordinator().addPartitions(ID, producer, List.of(P0, P1));
        fixture.produce(P0, producer, 0, "a");
        fixture.restart();
        assertEquals(new TransactionDescription(ID, TransactionState.ONGOING, producer.producerId(), producer.epoch(), 30_000, start,
            List.of(P0, P1)), coordinator().describe(ID));
        assertEquals(0, log(P0).lastStableOffset(), "the open transaction still holds read_committed readers");
        assertTrue(lines(Level.INFO).stream().anyMatch(line -> line.contains("'" + ID + "'") && line.contains("stays open")),
            lines(Level.INFO)::toString);
        coordinator().verifyWrite(ID, producer, P0);
        fixture.produce(P0, producer, 1, "b");
        coordinator().addPartitions(ID, producer, List.of(P2));
        fixture.produce(P2, producer, 0, "c");
        coordinator().endTransaction(ID, producer, TransactionResult.COMMIT);
        for (final TopicPartition partition : List.of(P0, P1, P2))
        {
            assertEquals(log(partition).logEndOffset(), log(partition).lastStableOffset(), partition.toString());
            assertEquals(List.of(), log(partition).abortedTransactions(0, log(partition).logEndOffset()));
        }
        fixture.restart();
        coordinator().endTransaction(ID, producer, TransactionResult.COMMIT);
        assertEquals(TransactionState.COMPLETE_COMMIT, coordinator().describe(ID).state(), "a retried commit after a restart succeeds");
    }

    @Test
    void aTransactionOpenAtARestartIsAbortedByANewInstance()
    {
        final ProducerIdAndEpoch producer = coordinator().initProducerId(ID, 30_000, null);
        coordinator().addPartitions(ID, producer, List.of(P0));
        fixture.produce(P0, producer, 0, "a");
        fixture.restart();
        assertEquals(new ProducerIdAndEpoch(producer.producerId(), (short)(producer.epoch() + 2)), coordinator().initProducerId(ID, 30_000, null));
        assertEquals(log(P0).logEndOffset(), log(P0).lastStableOffset());
        assertEquals(List.of(new AbortedTransaction(producer.producerId(), 0, 1)), log(P0).abortedTransactions(0, log(P0).logEndOffset()));
        assertThrows(ProducerFencedException.class, () -> coordinator().endTransaction(ID, producer, TransactionResult.COMMIT));
    }

    @Test
    void aTransactionOpenAtARestartIsAbortedAtItsTimeoutCountedFromItsStart()
    {
        final ProducerIdAndEpoch producer = coordinator().initProducerId(ID, 1_000, null);
        coordinator().addPartitions(ID, producer, List.of(P1));
        fixture.produce(P1, producer, 0, "a");
        fixture.now.addAndGet(600);
        fixture.restart();
        assertEquals(TransactionState.ONGOING, coordinator().describe(ID).state());
        fixture.now.addAndGet(401);
        waitUntil(() -> coordinator().describe(ID).state() == TransactionState.COMPLETE_ABORT, "the timeout aborts the transaction");
        assertEquals(producer.epoch() + 1, coordinator().describe(ID).producerEpoch());
        assertEquals(log(P1).logEndOffset(), log(P1).lastStableOffset());
        assertEquals(List.of(new AbortedTransaction(producer.producerId(), 0, 1)), log(P1).abortedTransactions(0, log(P1).logEndOffset()));
        assertThrows(ProducerFencedException.class, () -> coordinator().endTransaction(ID, producer, TransactionResult.COMMIT));
    }

    @Test
    void aCommitDecidedBeforeARestartIsCompletedByIt()
    {
        final ProducerIdAndEpoch producer = coordinator().initProducerId(ID, 30_000, null);
        coordinator().addPartitions(ID, producer, List.of(P0, P1));
        fixture.produce(P0, producer, 0, "a");
        fixture.produce(P1, producer, 0, "b");
        coordinator().decideOnly(ID, producer, TransactionResult.COMMIT);
        assertEquals(TransactionState.PREPARE_COMMIT, coordinator().describe(ID).state());
        assertThrows(ConcurrentTransactionsException.class, () -> coordinator().verifyWrite(ID, producer, P0));
        // A crash after the first marker only: the restart writes it again.
        log(P0).appendMarker(new io.tidemark.log.TransactionMarker(producer.producerId(), producer.epoch(), 0, TransactionResult.COMMIT));
        fixture.restart();
        assertEquals(new TransactionDescription(ID, TransactionState.COMPLETE_COMMIT, producer.producerId(), producer.epoch(), 30_000, -1, List.of()),
            coordinator().describe(ID));
        for (final TopicPartition partition : List.of(P0, P1))
        {
            assertEquals(log(partition).logEndOffset(), log(partition).lastStableOffset());
            assertEquals(List.of(), log(partition).abortedTransactions(0, log(partition).logEndOffset()));
        }
        coordinator().endTransaction(ID, producer, TransactionResult.COMMIT);
        assertEquals(new ProducerIdAndEpoch(producer.producerId(), (short)(producer.epoch() + 1)), coordinator().initProducerId(ID, 30_000, null));
    }

    @Test
    void anAbortDecidedBeforeARestartIsCompletedByIt()
    {
        final ProducerIdAndEpoch producer = coordinator().initProducerId(ID, 30_000, null);
        coordinator().addPartitions(ID, producer, List.of(P2));
        fixture.produce(P2, producer, 0, "a", "b");
        coordinator().decideOnly(ID, producer, TransactionResult.ABORT);
        fixture.restart();
        assertEquals(TransactionState.COMPLETE_ABORT, coordinator().describe(ID).state());
        assertEquals(producer.epoch(), coordinator().describe(ID).producerEpoch(), "the producer decided: no bump");
        assertEquals(List.of(new AbortedTransaction(producer.producerId(), 0, 2)), log(P2).abortedTransactions(0, log(P2).logEndOffset()));
        coordinator().endTransaction(ID, producer, TransactionResult.ABORT);
        assertThrows(InvalidTxnStateException.class, () -> coordinator().endTransaction(ID, producer, TransactionResult.COMMIT));
    }

    @Test
    void aRetriedEndCompletesADecisionWhoseMarkersWereNotWritten()
    {
        final ProducerIdAndEpoch producer = coordinator().initProducerId(ID, 30_000, null);
        coordinator().addPartitions(ID, producer, List.of(P0));
        fixture.produce(P0, producer, 0, "a");
        coordinator().decideOnly(ID, producer, TransactionResult.COMMIT);
        assertThrows(InvalidTxnStateException.class, () -> coordinator().endTransaction(ID, producer, TransactionResult.ABORT));
        coordinator().endTransaction(ID, producer, TransactionResult.COMMIT);
        assertEquals(TransactionState.COMPLETE_COMMIT, coordinator().describe(ID).state());
        assertEquals(log(P0).logEndOffset(), log(P0).lastStableOffset());
    }

    @Test
    void aCompletedTransactionStaysCompletedAcrossARestart()
    {
        final ProducerIdAndEpoch producer = coordinator().initProducerId(ID, 30_000, null);
        coordinator().addPartitions(ID, producer, List.of(P0));
        fixture.produce(P0, producer, 0, "a");
        coordinator().endTransaction(ID, producer, TransactionResult.COMMIT);
        final long end = log(P0).logEndOffset();
        fixture.restart();
        assertEquals(new TransactionDescription(ID, TransactionState.COMPLETE_COMMIT, producer.producerId(), producer.epoch(), 30_000, -1, List.of()),
            coordinator().describe(ID));
        assertEquals(end, log(P0).logEndOffset(), "nothing to complete, no marker written");
        coordinator().endTransaction(ID, producer, TransactionResult.COMMIT);
        coordinator().addPartitions(ID, producer, List.of(P1));
        assertEquals(TransactionState.ONGOING, coordinator().describe(ID).state());
    }

    @Test
    void aMarkerForADeletedTopicIsSkippedAndLogged()
    {
        fixture.logs.createTopic("gone", 1, Map.of());
        final ProducerIdAndEpoch producer = coordinator().initProducerId(ID, 30_000, null);
        coordinator().addPartitions(ID, producer, List.of(P0, new TopicPartition("gone", 0)));
        fixture.logs.deleteTopic("gone");
        coordinator().endTransaction(ID, producer, TransactionResult.COMMIT);
        assertEquals(TransactionState.COMPLETE_COMMIT, coordinator().describe(ID).state());
        assertEquals(1, log(P0).logEndOffset());
        assertTrue(lines(Level.INFO).stream().anyMatch(line -> line.contains("gone-0") && line.contains("deleted")), lines(Level.INFO)::toString);
    }

    @Test
    void anIdWritingItsMarkersHoldsUpNoOtherId() throws Exception
    {
        final ProducerIdAndEpoch slow = coordinator().initProducerId("slow", 30_000, null);
        coordinator().addPartitions("slow", slow, List.of(P0));
        final ProducerIdAndEpoch fast = coordinator().initProducerId("fast", 30_000, null);
        coordinator().addPartitions("fast", fast, List.of(P1));
        final CountDownLatch inMarker = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        fixture.onMarker = partition ->
        {
            if (partition.equals(P0))
            {
                inMarker.countDown();
                awaitQuietly(release);
            }
        };
        final CompletableFuture<Void> ending = CompletableFuture.runAsync(() -> coordinator().endTransaction("slow", slow, TransactionResult.COMMIT));
        try
        {
            assertTrue(inMarker.await(10, TimeUnit.SECONDS));
            coordinator().endTransaction("fast", fast, TransactionResult.COMMIT);
            coordinator().initProducerId("third", 30_000, null);
            assertEquals(TransactionState.PREPARE_COMMIT, coordinator().describe("slow").state(), "described without waiting for its lock");
        }
        finally
        {
            release.countDown();
        }
        ending.get(10, TimeUnit.SECONDS);
        assertEquals(TransactionState.COMPLETE_COMMIT, coordinator().describe("slow").state());
    }

    @Test
    void addingNoPartitionsChangesNothing()
    {
        final ProducerIdAndEpoch producer = coordinator().initProducerId(ID, 30_000, null);
        coordinator().addPartitions(ID, producer, List.of());
        assertEquals(TransactionState.EMPTY, coordinator().describe(ID).state());
    }

    private static void awaitQuietly(final CountDownLatch latch)
    {
        try
        {
            latch.await(10, TimeUnit.SECONDS);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
    }
}
