package io.tidemark.connector.log;

import static io.tidemark.connector.log.TransactionalTopics.PREFIX;
import static io.tidemark.connector.log.TransactionalTopics.input;
import static io.tidemark.connector.log.TransactionalTopics.records;
import static io.tidemark.connector.log.TransactionalTopics.snapshot;
import static io.tidemark.connector.log.TransactionalTopics.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemark.connector.txn.PendingTransaction;
import io.tidemark.connector.txn.TransactionalSinkState;
import io.tidemark.engine.checkpoint.DeliveryGuarantee;
import io.tidemark.engine.sink.SinkWriter;
import io.tidemark.log.errors.TransactionalIdNotFoundException;
import io.tidemark.log.errors.UnknownTopicOrPartitionException;
import io.tidemark.log.producer.ProducerConfig;
import io.tidemark.log.txn.TransactionState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exactly-once log sink's writer driven through the checkpoint calls a sink operator makes
 * (write, preCommit, snapshotState, commit), on a real log, coordinators and read_committed
 * consumer; restarts here close and reopen the log ({@link ExactlyOnceLogSinkCrashTest} kills it).
 */
class ExactlyOnceLogSinkTest
{
    @TempDir
    Path dir;

    private TransactionalTopics topics;

    @BeforeEach
    void open()
    {
        topics = new TransactionalTopics(dir);
    }

    @AfterEach
    void close()
    {
        topics.close();
    }

    private static List<String> concat(final List<String>... parts)
    {
        final List<String> all = new ArrayList<>();
        for (final List<String> part : parts)
        {
            all.addAll(part);
        }
        return all;
    }

    private static List<String> sorted(final List<String> values)
    {
        return values.stream().sorted().toList();
    }

    @Test
    void eachCheckpointsOutputBecomesVisibleWhenTheCheckpointCompletes() throws Exception
    {
        final SinkWriter<String> writer = topics.sink().createWriter(0, 1);
        try
        {
            write(writer, "c1", 100);
            writer.preCommit(1);
            snapshot(writer, 1);
            write(writer, "c2", 50);
            assertEquals(List.of(), topics.readCommitted(), "nothing before the checkpoint completes");
            writer.commit(1);
            assertEquals(sorted(records("c1", 100)), sorted(topics.readCommitted()));
            assertTrue(topics.somethingLingers(), "the next checkpoint's records are written, not committed");
            for (long checkpoint = 2; checkpoint <= 12; checkpoint++)
            {
                writer.preCommit(checkpoint);
                snapshot(writer, checkpoint);
                writer.commit(checkpoint);
                write(writer, "c" + (checkpoint + 1), 10);
            }
            writer.preCommit(13);
            snapshot(writer, 13);
            writer.commit(13);
            final List<String> expected = new ArrayList<>(concat(records("c1", 100), records("c2", 50)));
            for (long checkpoint = 3; checkpoint <= 13; checkpoint++)
            {
                expected.addAll(records("c" + checkpoint, 10));
            }
            assertEquals(sorted(expected), sorted(topics.readCommitted()));
            topics.assertNothingLingers();
            topics.transactions.describe(PREFIX + "-0-2");
            assertThrows(TransactionalIdNotFoundException.class, () -> topics.transactions.describe(PREFIX + "-0-3"),
                "the pool reuses its ids: three are enough when every checkpoint completes");
        }
        finally
        {
            writer.close();
        }
    }

    @Test
    void aCheckpointWithoutRecordsCommitsNothingAndKeepsTheTransactionForTheNext() throws Exception
    {
        final SinkWriter<String> writer = topics.sink().createWriter(0, 1);
        try
        {
            writer.preCommit(1);
            final byte[] empty = snapshot(writer, 1);
            writer.commit(1);
            assertEquals(0, TransactionalSinkState.read(input(empty), LogSink.STATE).pending().size());
            write(writer, "a", 5);
            writer.preCommit(2);
            snapshot(writer, 2);
            writer.commit(2);
            assertEquals(records("a", 5), topics.readCommitted());
            assertThrows(TransactionalIdNotFoundException.class, () -> topics.transactions.describe(PREFIX + "-0-2"));
        }
        finally
        {
            writer.close();
        }
    }

    @Test
    void anAbortedCheckpointsTransactionCommitsWithTheNextCompletedOne() throws Exception
    {
        final SinkWriter<String> writer = topics.sink().createWriter(0, 1);
        try
        {
            write(writer, "c1", 20);
            writer.preCommit(1);
            snapshot(writer, 1);
            // Checkpoint 1 is aborted: no commit.
            write(writer, "c2", 30);
            writer.preCommit(2);
            final TransactionalSinkState state = TransactionalSinkState.read(input(snapshot(writer, 2)), LogSink.STATE);
            assertEquals(List.of(1L, 2L), state.pending().stream().map(PendingTransaction::checkpointId).toList());
            assertEquals(List.of(), topics.readCommitted());
            writer.commit(2);
            assertEquals(sorted(concat(records("c1", 20), records("c2", 30))), sorted(topics.readCommitted()));
            topics.assertNothingLingers();
            writer.commit(1);
            assertEquals(50, topics.readCommitted().size(), "a late notification of the aborted checkpoint changes nothing");
        }
        finally
        {
            writer.close();
        }
    }

    @Test
    void theEndOfTheInputCommitsEverything() throws Exception
    {
        final SinkWriter<String> writer = topics.sink().createWriter(0, 1);
        try
        {
            write(writer, "c1", 10);
            writer.preCommit(1);
            snapshot(writer, 1);
            write(writer, "tail", 10);
            writer.flush();
            assertEquals(sorted(concat(records("c1", 10), records("tail", 10))), sorted(topics.readCommitted()));
            topics.assertNothingLingers();
        }
        finally
        {
            writer.close();
        }
    }

    @Test
    void aCleanShutdownLeavesThePendingTransactionForTheRestoredWriterAndAbortsTheOpenOne() throws Exception
    {
        final SinkWriter<String> writer = topics.sink().createWriter(0, 1);
        write(writer, "c1", 40);
        writer.preCommit(1);
        final byte[] snapshot = snapshot(writer, 1);
        write(writer, "after", 15);
        // Checkpoint 1 completed, but the job stops before the writer hears of it.
        writer.close();
        topics.restart();
        assertEquals(List.of(), topics.readCommitted());
        assertTrue(topics.somethingLingers(), "the pending transaction stayed open across the restart");

        final SinkWriter<String> restored = topics.sink().restoreWriter(0, 1, List.of(input(snapshot)));
        try
        {
            assertEquals(sorted(records("c1", 40)), sorted(topics.readCommitted()));
            topics.assertNothingLingers();
            write(restored, "after", 15);
            restored.preCommit(2);
            snapshot(restored, 2);
            restored.commit(2);
            assertEquals(sorted(concat(records("c1", 40), records("after", 15))), sorted(topics.readCommitted()));
        }
        finally
        {
            restored.close();
        }
    }

    @Test
    void restoringTheSameCheckpointTwiceCommitsItsOutputOnce() throws Exception
    {
        final SinkWriter<String> writer = topics.sink().createWriter(0, 1);
        write(writer, "c1", 10);
        writer.preCommit(1);
        final byte[] snapshot = snapshot(writer, 1);
        writer.commit(1);
        write(writer, "lost", 5);
        writer.close();
        final PendingTransaction committed = TransactionalSinkState.read(input(snapshot), LogSink.STATE).pending().get(0);

        for (int attempt = 0; attempt < 2; attempt++)
        {
            // Each attempt writes after the checkpoint and fails before the next one completes.
            final SinkWriter<String> restored = topics.sink().restoreWriter(0, 1, List.of(input(snapshot)));
            write(restored, "replayed", 5);
            restored.preCommit(2);
            snapshot(restored, 2);
            write(restored, "open", 5);
            restored.close();
            topics.restart();
        }
        assertEquals(committed.epoch(), topics.transactions.describe(committed.transactionalId()).producerEpoch(),
            "no restored writer took over the id the checkpoint names before a checkpoint of its own completed");
        final SinkWriter<String> last = topics.sink().restoreWriter(0, 1, List.of(input(snapshot)));
        try
        {
            topics.assertNothingLingers();
            assertEquals(sorted(records("c1", 10)), sorted(topics.readCommitted()), "a retried commit counts as done, nothing else commits");
            write(last, "replayed", 5);
            last.preCommit(2);
            snapshot(last, 2);
            last.commit(2);
            assertEquals(sorted(concat(records("c1", 10), records("replayed", 5))), sorted(topics.readCommitted()));
        }
        finally
        {
            last.close();
        }
    }

    @Test
    void aDamagedSnapshotIsRefusedWithAClearErrorAndCommitsNothing() throws Exception
    {
        final byte[] garbage = "not a sink state".getBytes(StandardCharsets.UTF_8);
        final IOException refused = assertThrows(IOException.class, () -> topics.sink().restoreWriter(0, 1, List.of(input(garbage))));
        assertTrue(refused.getMessage().contains("not the state of an exactly-once log sink"), refused.getMessage());
        final SinkWriter<String> writer = topics.sink().createWriter(0, 1);
        write(writer, "c1", 3);
        writer.preCommit(1);
        final byte[] snapshot = snapshot(writer, 1);
        final byte[] cut = java.util.Arrays.copyOf(snapshot, snapshot.length - 3);
        assertThrows(IOException.class, () -> topics.sink().restoreWriter(0, 1, List.of(input(cut))));
        assertEquals(List.of(), topics.readCommitted());
        writer.commit(1);
        writer.close();
        assertEquals(records("c1", 3), topics.readCommitted());
    }

    @Test
    void badSettingsAreRefusedWithClearErrors()
    {
        final LogSink<String> sink = topics.sink();
        assertEquals(DeliveryGuarantee.EXACTLY_ONCE, sink.guarantee());
        assertEquals(DeliveryGuarantee.AT_LEAST_ONCE, LogSink.to(topics.logs, TransactionalTopics.TOPIC, (String v) -> v.getBytes(StandardCharsets.UTF_8))
            .guarantee());
        final IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class,
            () -> sink.withTransactionTimeout(Duration.ofMinutes(16)));
        assertTrue(tooLong.getMessage().contains("transaction.max.timeout.ms"), tooLong.getMessage());
        assertThrows(IllegalArgumentException.class, () -> sink.withTransactionTimeout(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> sink.withProducerConfig(ProducerConfig.defaults().withIdempotence(false)));
        assertThrows(IllegalArgumentException.class, () -> LogSink.exactlyOnce(topics.logs, topics.transactions, TransactionalTopics.TOPIC,
            (String v) -> v.getBytes(StandardCharsets.UTF_8), ""));
        assertThrows(UnknownTopicOrPartitionException.class, () -> LogSink.exactlyOnce(topics.logs, topics.transactions, "nope",
            (String v) -> v.getBytes(StandardCharsets.UTF_8), PREFIX));
        assertThrows(IllegalStateException.class, () -> LogSink.to(topics.logs, TransactionalTopics.TOPIC,
            (String v) -> v.getBytes(StandardCharsets.UTF_8)).withTransactionTimeout(Duration.ofMinutes(1)));
    }

    @Test
    void aTransactionThatTimedOutDeclinesItsCheckpoint() throws Exception
    {
        final SinkWriter<String> writer = topics.sink().withTransactionTimeout(Duration.ofMillis(1)).createWriter(0, 1);
        try
        {
            write(writer, "slow", 3);
            TransactionalTopics.waitUntil(() -> topics.transactions.describe(PREFIX + "-0-0").state() == TransactionState.COMPLETE_ABORT,
                "the coordinator's timeout check aborts the transaction");
            assertThrows(IllegalStateException.class, () -> writer.preCommit(1), "the checkpoint is declined");
            assertEquals(List.of(), topics.readCommitted());
            topics.assertNothingLingers();
        }
        finally
        {
            writer.close();
        }
    }
}
