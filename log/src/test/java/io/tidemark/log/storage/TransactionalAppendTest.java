package io.tidemark.log.storage;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.tidemark.log.AbortedTransaction;
import io.tidemark.log.ActiveProducer;
import io.tidemark.log.AppendResult;
import io.tidemark.log.LogConfig;
import io.tidemark.log.TopicPartition;
import io.tidemark.log.TransactionMarker;
import io.tidemark.log.LogSlice;
import io.tidemark.log.TransactionResult;
import io.tidemark.log.errors.InvalidRecordException;
import io.tidemark.log.errors.InvalidTxnStateException;
import io.tidemark.log.errors.OffsetOutOfRangeException;
import io.tidemark.log.errors.OutOfOrderSequenceException;
import io.tidemark.log.errors.ProducerFencedException;
import io.tidemark.log.record.ControlRecord;
import io.tidemark.log.record.Record;
import io.tidemark.log.record.RecordBatch;
import io.tidemark.log.record.RecordBatchBuilder;
import org.agrona.concurrent.CachedEpochClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The partition's side of transactions: markers, the last stable offset, aborted transactions and the append rules. */
class TransactionalAppendTest
{
    private static final long P1 = 7001;
    private static final long P2 = 7002;

    @TempDir
    Path dir;

    private final CachedEpochClock clock = new CachedEpochClock();

    private SegmentedLog open()
    {
        return SegmentedLog.open(new TopicPartition("txn", 0), dir,
            LogConfig.DEFAULTS.withOverrides(Map.of(LogConfig.SEGMENT_BYTES, "1024")), clock);
    }

    static ByteBuffer batch(final long producerId, final int epoch, final int firstSequence, final int records, final boolean transactional)
    {
        final ByteBuffer buffer = ByteBuffer.allocate(4096);
        final RecordBatchBuilder builder = new RecordBatchBuilder().begin(buffer, 0, buffer.capacity())
            .producer(producerId, (short)epoch, firstSequence).transactional(transactional);
        for (int i = 0; i < records; i++)
        {
            builder.append(1, null, ("v" + i).getBytes(StandardCharsets.UTF_8));
        }
        return buffer.limit(builder.finish());
    }

    private static ByteBuffer txn(final long producerId, final int epoch, final int firstSequence, final int records)
    {
        return batch(producerId, epoch, firstSequence, records, true);
    }

    private static TransactionMarker commit(final long producerId, final int epoch)
    {
        return new TransactionMarker(producerId, (short)epoch, 3, TransactionResult.COMMIT);
    }

    private static TransactionMarker abort(final long producerId, final int epoch)
    {
        return new TransactionMarker(producerId, (short)epoch, 3, TransactionResult.ABORT);
    }

    @Test
    void aMarkerIsAControlBatchOfOneRecordThatReadersCanParse() throws Exception
    {
        try (SegmentedLog log = open())
        {
            log.append(txn(P1, 2, 0, 2));
            final AppendResult marker = log.appendMarker(new TransactionMarker(P1, (short)2, 9, TransactionResult.ABORT));
            assertEquals(2, marker.firstOffset());
            assertEquals(2, marker.lastOffset());
            final ByteBuffer bytes = log.read(2, 1024).buffer();
            final RecordBatch batch = new RecordBatch().wrap(bytes, 0);
            batch.validate(bytes.limit(), Integer.MAX_VALUE);
            assertTrue(batch.isControl() && batch.isTransactional(), batch.toString());
            assertEquals(P1, batch.producerId());
            assertEquals(2, batch.producerEpoch());
            assertEquals(-1, batch.baseSequence());
            assertEquals(1, batch.recordCount());
            final Record record = batch.records();
            assertTrue(record.next());
            assertEquals(ControlRecord.ABORT, ControlRecord.type(record));
            assertEquals(9, ControlRecord.coordinatorEpoch(record));
            assertEquals(4, record.keyLength());
            assertEquals(0, record.buffer().getShort(record.keyOffset()), "key version");
            assertEquals(0, record.buffer().getShort(record.valueOffset()), "value version");
        }
    }

    @Test
    void theLastStableOffsetStopsAtTheOldestOpenTransaction()
    {
        try (SegmentedLog log = open())
        {
            log.append(batch(-1, -1, -1, 2, false));
            assertEquals(2, log.lastStableOffset(), "no transaction: the log end offset");
            log.append(txn(P1, 0, 0, 3));
            assertEquals(2, log.lastStableOffset());
            log.append(txn(P2, 0, 0, 1));
            log.append(txn(P1, 0, 3, 1));
            assertEquals(2, log.lastStableOffset(), "the oldest open transaction bounds it");
            log.appendMarker(commit(P1, 0));
            assertEquals(5, log.lastStableOffset(), "P2's transaction, begun at 5, is now the oldest");
            log.appendMarker(abort(P2, 0));
            assertEquals(log.logEndOffset(), log.lastStableOffset());
            assertEquals(List.of(new AbortedTransaction(P2, 5, 8)), log.abortedTransactions(0, log.logEndOffset()));
        }
    }

    @Test
    void abortedTransactionsAreThoseWhoseMarkerIsReachedAndWhoseStartIsBelowTheBound()
    {
        try (SegmentedLog log = open())
        {
            log.append(txn(P1, 0, 0, 2));  // 0-1
            log.append(txn(P2, 0, 0, 2));  // 2-3
            log.appendMarker(abort(P2, 0)); // 4
            log.appendMarker(abort(P1, 0)); // 5
            log.append(txn(P2, 0, 2, 1));  // 6: the sequence goes on after P2's marker
            log.appendMarker(abort(P2, 0)); // 7
            final AbortedTransaction first = new AbortedTransaction(P1, 0, 5);
            final AbortedTransaction second = new AbortedTransaction(P2, 2, 4);
            final AbortedTransaction third = new AbortedTransaction(P2, 6, 7);
            assertEquals(List.of(first, second, third), log.abortedTransactions(0, 8), "ordered by first offset");
            assertEquals(List.of(first, second), log.abortedTransactions(0, 4));
            assertEquals(List.of(first), log.abortedTransactions(5, 6));
            assertEquals(List.of(third), log.abortedTransactions(6, 8));
            assertEquals(List.of(), log.abortedTransactions(8, 8));
        }
    }

    @Test
    void aControlBatchFromAProducerIsRefusedAndNothingIsWritten()
    {
        try (SegmentedLog log = open())
        {
            final ByteBuffer marker = ByteBuffer.allocate(ControlRecord.MARKER_BATCH_SIZE);
            marker.limit(ControlRecord.writeMarker(new RecordBatchBuilder(), marker, P1, (short)0, ControlRecord.COMMIT, 0, 1));
            final InvalidRecordException refused = assertThrows(InvalidRecordException.class, () -> log.append(marker));
            assertTrue(refused.getMessage().contains("only the transaction coordinator writes markers"), refused.getMessage());
            assertEquals(0, log.logEndOffset());
        }
    }

    @Test
    void aTransactionalBatchWithoutAProducerIsRefused()
    {
        try (SegmentedLog log = open())
        {
            assertThrows(InvalidRecordException.class, () -> log.append(batch(-1, -1, -1, 1, true)));
            assertEquals(0, log.logEndOffset());
        }
    }

    @Test
    void aBatchOutsideTheOpenTransactionOfItsProducerIsRefused()
    {
        try (SegmentedLog log = open())
        {
            log.append(txn(P1, 0, 0, 2));
            final InvalidTxnStateException refused = assertThrows(InvalidTxnStateException.class,
                () -> log.append(batch(P1, 0, 2, 1, false)));
            assertTrue(refused.getMessage().contains("begun at offset 0 is open"), refused.getMessage());
            assertEquals(2, log.logEndOffset());
            log.appendMarker(commit(P1, 0));
            log.append(batch(P1, 0, 2, 1, false)); // after the marker: no transaction, the sequence goes on
            assertEquals(4, log.logEndOffset());
        }
    }

    @Test
    void aCoordinatorBatchWithoutSequenceIsCheckedForItsEpochOnly()
    {
        try (SegmentedLog log = open())
        {
            log.append(txn(P1, 4, 0, 1));
            log.append(txn(P1, 4, -1, 1)); // any number of them, no sequence to follow
            log.append(txn(P1, 4, -1, 1));
            log.append(txn(P1, 4, 1, 1));  // the producer's own sequence is untouched
            assertThrows(ProducerFencedException.class, () -> log.append(txn(P1, 3, -1, 1)));
            assertEquals(4, log.logEndOffset());
            log.append(txn(P2, 0, -1, 1)); // an unknown producer: opens its transaction
            assertEquals(0, log.lastStableOffset());
            log.appendMarker(commit(P1, 4));
            assertEquals(4, log.lastStableOffset());
        }
    }

    @Test
    void aMarkerOfAnOlderEpochIsFencedAndWritesNothing()
    {
        try (SegmentedLog log = open())
        {
            log.append(txn(P1, 5, 0, 1));
            assertThrows(ProducerFencedException.class, () -> log.appendMarker(commit(P1, 4)));
            assertEquals(1, log.logEndOffset());
            assertEquals(0, log.lastStableOffset());
        }
    }

    @Test
    void afterABumpingMarkerTheOldEpochIsFencedAndTheNewOneStartsAtSequenceZero()
    {
        try (SegmentedLog log = open())
        {
            log.append(txn(P1, 0, 0, 3));
            log.appendMarker(abort(P1, 1)); // the coordinator aborted on its own, bumping the epoch
            assertThrows(ProducerFencedException.class, () -> log.append(txn(P1, 0, 3, 1)));
            assertThrows(OutOfOrderSequenceException.class, () -> log.append(txn(P1, 1, 3, 1)));
            log.append(txn(P1, 1, 0, 1));
            final ActiveProducer producer = log.activeProducers().get(0);
            assertEquals(new ActiveProducer(P1, (short)1, 0, clock.time(), 3, 4), producer);
        }
    }

    @Test
    void afterAMarkerAtTheSameEpochTheSequenceGoesOnAndOnlyABumpedEpochStartsAtZero()
    {
        try (SegmentedLog log = open())
        {
            log.append(txn(P1, 0, 0, 2));
            log.appendMarker(commit(P1, 0));
            final OutOfOrderSequenceException restarted = assertThrows(OutOfOrderSequenceException.class,
                () -> log.append(txn(P1, 0, 0, 1)));
            assertTrue(restarted.getMessage().contains("sent sequence 0 where 2 was expected"), restarted.getMessage());
            assertEquals(3, log.logEndOffset(), "nothing written");
            assertEquals(3, log.append(txn(P1, 0, 2, 1)).firstOffset(), "the sequence goes on across transactions");
            assertEquals(3, log.lastStableOffset(), "and opens the next transaction");
            log.appendMarker(commit(P1, 1)); // the coordinator bumped the epoch
            assertThrows(OutOfOrderSequenceException.class, () -> log.append(txn(P1, 1, 3, 1)));
            assertEquals(5, log.append(txn(P1, 1, 0, 1)).firstOffset(), "a new epoch starts at 0");
            assertEquals(List.of(new ActiveProducer(P1, (short)1, 0, clock.time(), 3, 5)), log.activeProducers());
        }
    }

    @Test
    void aMarkerWithoutAnOpenTransactionIsWrittenAndAbortsNothing()
    {
        try (SegmentedLog log = open())
        {
            assertEquals(0, log.appendMarker(abort(P1, 2)).firstOffset(), "on an empty log too");
            assertEquals(1, log.logEndOffset());
            assertEquals(1, log.lastStableOffset());
            assertEquals(List.of(), log.abortedTransactions(0, 1));
            assertEquals(List.of(new ActiveProducer(P1, (short)2, -1, clock.time(), 3, -1)), log.activeProducers());
            log.append(txn(P1, 2, 0, 1));
            log.appendMarker(commit(P1, 2));
            log.appendMarker(commit(P1, 2)); // the coordinator repeating itself
            assertEquals(4, log.lastStableOffset());
            assertEquals(List.of(), log.abortedTransactions(0, 4));
        }
    }

    @Test
    void expiryNeverForgetsAProducerWithAnOpenTransaction()
    {
        try (SegmentedLog log = open())
        {
            log.append(txn(P1, 0, 0, 1));
            log.append(batch(P2, 0, 0, 1, false));
            clock.advance(10_000);
            assertEquals(1, log.expireProducers(clock.time(), 1_000), "only the idempotent one");
            assertEquals(List.of(P1), log.activeProducers().stream().map(ActiveProducer::producerId).toList());
            log.appendMarker(commit(P1, 0));
            clock.advance(10_000);
            assertEquals(1, log.expireProducers(clock.time(), 1_000));
            assertEquals(List.of(), log.activeProducers());
        }
    }

    @Test
    void aBoundedReadStopsBeforeTheFirstBatchAtOrAboveTheBound() throws Exception
    {
        try (SegmentedLog log = SegmentedLog.open(new TopicPartition("txn", 0), dir, LogConfig.DEFAULTS.withOverrides(
            Map.of(LogConfig.SEGMENT_BYTES, "100000", LogConfig.INDEX_INTERVAL_BYTES, "100")), clock))
        {
            for (int i = 0; i < 40; i++)
            {
                log.append(batch(-1, -1, -1, 2, false)); // batch i holds offsets 2i and 2i+1
            }
            assertEquals(List.of(0L, 2L, 4L), baseOffsets(log.read(0, 100_000, 6)), "the bound is a batch's base");
            assertEquals(List.of(0L, 2L, 4L, 6L), baseOffsets(log.read(0, 100_000, 7)), "a batch that begins below the bound is whole");
            assertEquals(List.of(60L, 62L), baseOffsets(log.read(61, 100_000, 64)), "from the batch holding the offset");
            assertEquals(baseOffsets(log.read(10, 100_000)), baseOffsets(log.read(10, 100_000, 1_000)), "a bound past the end");
            assertEquals(log.read(10, 300).sizeInBytes(), log.read(10, 300, 80).sizeInBytes(), "the byte limit still applies, cutting a tail");
            assertEquals(List.of(10L), baseOffsets(log.read(10, 1, 80)), "the first batch is whole even past the byte limit");
            assertEquals(0, log.read(10, 100_000, 10).sizeInBytes(), "nothing at or past the bound");
            assertEquals(0, log.read(12, 100_000, 10).sizeInBytes());
            assertThrows(OffsetOutOfRangeException.class, () -> log.read(81, 100, 90));
        }
    }

    @Test
    void aBoundedReadCrossesNoSegmentAndStopsInTheRightOne() throws Exception
    {
        try (SegmentedLog log = open())
        {
            for (int i = 0; i < 60; i++)
            {
                log.append(batch(-1, -1, -1, 2, false));
            }
            assertTrue(log.segmentCount() > 3);
            final long bound = log.logEndOffset() - 4;
            long next = 0;
            int reads = 0;
            while (next < bound)
            {
                final List<Long> bases = baseOffsets(log.read(next, 100_000, bound));
                assertEquals(next, bases.get(0));
                next = bases.get(bases.size() - 1) + 2;
                reads++;
            }
            assertEquals(bound, next);
            assertEquals(log.segmentCount(), reads, "one read per segment");
        }
    }

    @Test
    void aReadCommittedReaderSeesCommittedAndPlainRecordsOnly()
    {
        try (SegmentedLog log = open())
        {
            log.append(value(-1, -1, -1, false, "plain-0"));
            log.append(value(P1, 0, 0, true, "p1-aborted"));
            log.append(value(P2, 0, 0, true, "p2-committed"));
            log.append(value(P1, 0, 1, true, "p1-aborted-too"));
            log.appendMarker(abort(P1, 0));
            log.append(value(-1, -1, -1, false, "plain-1"));
            log.append(value(P1, 0, 2, true, "p1-open"));
            assertEquals(List.of("plain-0"), ReadCommittedReader.read(log, 0, 1), "P2 still open");
            log.appendMarker(commit(P2, 0));
            assertEquals(List.of("plain-0", "p2-committed", "plain-1"), ReadCommittedReader.read(log, 0, 1));
            assertEquals(List.of("p2-committed", "plain-1"), ReadCommittedReader.read(log, 2, 100_000));
            log.appendMarker(commit(P1, 0));
            assertEquals(List.of("plain-0", "p2-committed", "plain-1", "p1-open"), ReadCommittedReader.read(log, 0, 100_000));
        }
    }

    @Test
    void readersWithoutALockNeverSeeTheLastStableOffsetPassAnOpenTransactionOrTheLogEnd() throws Exception
    {
        final List<long[]> transactions = new java.util.ArrayList<>(); // {first offset, marker offset}
        final List<long[]> observations = new java.util.ArrayList<>(); // {log end before, last stable, log end after}
        final java.util.concurrent.atomic.AtomicReference<RuntimeException> failure = new java.util.concurrent.atomic.AtomicReference<>();
        try (SegmentedLog log = SegmentedLog.open(new TopicPartition("txn", 0), dir, LogConfig.DEFAULTS, clock))
        {
            final Thread writer = new Thread(() ->
            {
                try
                {
                    for (int i = 0; i < 600; i++)
                    {
                        final long first = log.append(txn(P1, 0, 3 * i, 2)).firstOffset();
                        log.append(batch(-1, -1, -1, 1, false));
                        log.append(txn(P1, 0, 3 * i + 2, 1));
                        transactions.add(new long[] {first, log.appendMarker(i % 2 == 0 ? commit(P1, 0) : abort(P1, 0)).firstOffset()});
                    }
                }
                catch (final RuntimeException e)
                {
                    failure.set(e);
                }
            }, "txn-writer");
            writer.start();
            long previous = 0;
            while (writer.isAlive() || observations.isEmpty())
            {
                final long endBefore = log.logEndOffset();
                final long stable = log.lastStableOffset();
                final long endAfter = log.logEndOffset();
                assertTrue(stable <= endAfter, "last stable " + stable + " past the log end " + endAfter);
                assertTrue(stable >= previous, "last stable went back from " + previous + " to " + stable);
                if (stable < endAfter)
                {
                    assertEquals(stable, baseOffsets(log.read(stable, 1)).get(0), "on a batch boundary");
                }
                if (observations.isEmpty() || stable != previous || endAfter != observations.get(observations.size() - 1)[2])
                {
                    observations.add(new long[] {endBefore, stable, endAfter}); // only the changes: the check is quadratic
                }
                previous = stable;
            }
            writer.join();
        }
        assertEquals(null, failure.get(), "the writer failed");
        // A last stable offset past a transaction's first offset means its marker was being
        // written: the log end was then the marker's offset, so no later than the end read after.
        for (final long[] seen : observations)
        {
            for (final long[] transaction : transactions)
            {
                if (transaction[0] < seen[1])
                {
                    assertTrue(transaction[1] <= seen[2], "last stable " + seen[1] + " passed transaction " +
                        java.util.Arrays.toString(transaction) + " before its marker was written (log end " + seen[2] + ")");
                }
            }
        }
    }

    private static ByteBuffer value(final long producerId, final int epoch, final int sequence, final boolean transactional,
        final String value)
    {
        final ByteBuffer buffer = ByteBuffer.allocate(256);
        final RecordBatchBuilder builder = new RecordBatchBuilder().begin(buffer, 0, buffer.capacity())
            .producer(producerId, (short)epoch, sequence).transactional(transactional);
        builder.append(1, null, value.getBytes(StandardCharsets.UTF_8));
        return buffer.limit(builder.finish());
    }

    private static List<Long> baseOffsets(final LogSlice slice) throws Exception
    {
        final ByteBuffer bytes = slice.buffer();
        final io.tidemark.log.record.RecordBatchCursor cursor = new io.tidemark.log.record.RecordBatchCursor().wrap(bytes, true);
        final List<Long> bases = new java.util.ArrayList<>();
        while (cursor.next())
        {
            bases.add(cursor.batch().baseOffset());
        }
        assertEquals(bytes.limit(), cursor.position(), "whole batches only");
        return bases;
    }
}
