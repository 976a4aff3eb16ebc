package io.tidemark.log.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.tidemark.log.AbortedTransaction;
import io.tidemark.log.LogConfig;
import io.tidemark.log.TopicPartition;
import io.tidemark.log.TransactionMarker;
import io.tidemark.log.TransactionResult;
import io.tidemark.log.errors.InvalidTxnStateException;
import io.tidemark.log.errors.UnknownProducerIdException;
import io.tidemark.log.record.RecordBatchBuilder;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.agrona.concurrent.CachedEpochClock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Random runs of appends by several producers (plain, idempotent, transactional), commit and
 * abort markers (some bumping the epoch), rolls, retention and reopenings (clean, without
 * snapshots, after a crash, with the aborted-transaction indexes deleted or torn), checked
 * after every step against a simple model: the log end and last stable offsets, the aborted
 * transactions, and what a read-committed reader keeps.
 *
 * <p>Retention here never deletes the start of an open transaction (it stops at the last
 * stable offset): a log reopened without snapshots cannot know of a transaction whose every
 * batch is gone, a case the unit tests pin down. After retention, aborted transactions are
 * compared as a reader at or after the log start sees them: from the producer's first batch
 * still kept (an index rebuilt from the log knows no earlier one).
 */
class TransactionProperties
{
    private static final int PRODUCERS = 3;
    private static final Kind[] KINDS = Kind.values();

    private enum Kind
    {
        PLAIN, IDEMPOTENT, TRANSACTIONAL, TRANSACTIONAL_AGAIN, COMMIT, ABORT, ABORT_WITH_BUMP, ROLL, RETENTION,
        REOPEN, REOPEN_WITHOUT_SNAPSHOTS, CRASH, LOSE_TXN_INDEXES, TEAR_TXN_INDEXES
    }

    /** One record as the model keeps it: its transaction is -1 for none. */
    private record Written(long offset, String value, int transaction)
    {
    }

    /** One transactional batch: its producer, base offset and transaction. */
    private record TxnBatch(long producerId, long baseOffset, int transaction)
    {
    }

    private static final class Producer
    {
        short epoch;
        int nextSequence;
        int transaction = -1;
        long transactionFirstOffset = -1;
        long lastOffset = -1;
    }

    @Property(tries = 60)
    void theLogAgreesWithTheModelAcrossReopenings(@ForAll @Size(min = 1, max = 70) final List<@IntRange(max = 10_000) Integer> steps)
        throws IOException
    {
        final Path dir = Files.createTempDirectory("txn-properties");
        final CachedEpochClock clock = new CachedEpochClock();
        final LogConfig config = LogConfig.DEFAULTS.withOverrides(Map.of(LogConfig.SEGMENT_BYTES, "600", LogConfig.INDEX_INTERVAL_BYTES, "128"));
        final TopicPartition tp = new TopicPartition("txn-model", 0);
        final Producer[] producers = new Producer[PRODUCERS];
        for (int p = 0; p < PRODUCERS; p++)
        {
            producers[p] = new Producer();
        }
        final List<Written> written = new ArrayList<>();
        final List<TxnBatch> txnBatches = new ArrayList<>();
        final List<Boolean> committed = new ArrayList<>(); // per transaction; null while open
        final List<AbortedTransaction> aborted = new ArrayList<>();
        long logEnd = 0;
        long logStart = 0;
        int values = 0;
        SegmentedLog log = SegmentedLog.open(tp, dir, config, clock);
        try
        {
            for (final int step : steps)
            {
                final Kind kind = KINDS[step % KINDS.length];
                final int p = (step / KINDS.length) % PRODUCERS;
                final long producerId = 100 + p;
                final Producer producer = producers[p];
                final int records = 1 + (step / KINDS.length / PRODUCERS) % 3;
                clock.advance(1);
                switch (kind)
                {
                    case PLAIN ->
                    {
                        log.append(batch(-1, (short)-1, -1, false, records, values));
                        for (int i = 0; i < records; i++)
                        {
                            written.add(new Written(logEnd + i, "v" + (values + i), -1));
                        }
                        values += records;
                        logEnd += records;
                    }
                    case IDEMPOTENT, TRANSACTIONAL, TRANSACTIONAL_AGAIN ->
                    {
                        final boolean transactional = kind != Kind.IDEMPOTENT;
                        if (!transactional && producer.transaction >= 0)
                        {
                            final SegmentedLog current = log;
                            final int first = values;
                            assertThrows(InvalidTxnStateException.class,
                                () -> current.append(batch(producerId, producer.epoch, producer.nextSequence, false, records, first)));
                            break;
                        }
                        appendForModel(log, producerId, producer, transactional, records, values, logStart);
                        if (transactional && producer.transaction < 0)
                        {
                            producer.transaction = committed.size();
                            producer.transactionFirstOffset = logEnd;
                            committed.add(null);
                        }
                        if (transactional)
                        {
                            txnBatches.add(new TxnBatch(producerId, logEnd, producer.transaction));
                        }
                        for (int i = 0; i < records; i++)
                        {
                            written.add(new Written(logEnd + i, "v" + (values + i), transactional ? producer.transaction : -1));
                        }
                        values += records;
                        producer.nextSequence += records;
                        logEnd += records;
                        producer.lastOffset = logEnd - 1;
                    }
                    case COMMIT, ABORT, ABORT_WITH_BUMP ->
                    {
                        final short epoch = (short)(kind == Kind.ABORT_WITH_BUMP ? producer.epoch + 1 : producer.epoch);
                        final boolean commit = kind == Kind.COMMIT;
                        assertEquals(logEnd, log.appendMarker(new TransactionMarker(producerId, epoch, 0,
                            commit ? TransactionResult.COMMIT : TransactionResult.ABORT)).firstOffset());
                        if (producer.transaction >= 0)
                        {
                            committed.set(producer.transaction, commit);
                            if (!commit)
                            {
                                aborted.add(new AbortedTransaction(producerId, producer.transactionFirstOffset, logEnd));
                            }
                        }
                        producer.transaction = -1;
                        producer.transactionFirstOffset = -1;
                        if (epoch != producer.epoch)
                        {
                            producer.nextSequence = 0; // a new epoch starts at 0; at the same one the sequence goes on
                        }
                        producer.epoch = epoch;
                        producer.lastOffset = logEnd;
                        logEnd++;
                    }
                    case ROLL -> log.roll();
                    case RETENTION ->
                    {
                        final long bound = Math.min(logStart + (logEnd - logStart) * (step % 7) / 6, log.lastStableOffset());
                        log.deleteSegmentsBefore(bound);
                        assertTrue(log.logStartOffset() >= logStart && log.logStartOffset() <= Math.max(bound, logStart), log.toString());
                        logStart = log.logStartOffset();
                    }
                    default ->
                    {
                        if (kind == Kind.CRASH)
                        {
                            log.abandon();
                        }
                        else
                        {
                            log.close();
                        }
                        damage(dir, kind);
                        log = SegmentedLog.open(tp, dir, config, clock);
                    }
                }
                check(log, steps, kind, logStart, logEnd, producers, written, txnBatches, committed, aborted);
            }
        }
        finally
        {
            log.close();
            try (Stream<Path> files = Files.list(dir))
            {
                for (final Iterator<Path> i = files.iterator(); i.hasNext(); )
                {
                    Files.delete(i.next());
                }
            }
            Files.delete(dir);
        }
    }

    /**
     * Appends an idempotent or transactional batch. A producer whose every trace retention
     * deleted may be forgotten by a reopening without snapshots: it then starts again at
     * sequence 0, as Kafka's producer does.
     */
    private static void appendForModel(final SegmentedLog log, final long producerId, final Producer producer, final boolean transactional,
        final int records, final int firstValue, final long logStart)
    {
        try
        {
            log.append(batch(producerId, producer.epoch, producer.nextSequence, transactional, records, firstValue));
        }
        catch (final UnknownProducerIdException e)
        {
            assertTrue(producer.lastOffset < logStart, "producer " + producerId + " forgotten while the log holds its offset " +
                producer.lastOffset + ": " + e.getMessage());
            producer.nextSequence = 0;
            log.append(batch(producerId, producer.epoch, 0, transactional, records, firstValue));
        }
    }

    private static void damage(final Path dir, final Kind kind) throws IOException
    {
        final String suffix = kind == Kind.REOPEN_WITHOUT_SNAPSHOTS ? ".snapshot" : ".txnindex";
        if (kind == Kind.REOPEN || kind == Kind.CRASH)
        {
            return;
        }
        final List<Path> files;
        try (Stream<Path> listed = Files.list(dir))
        {
            files = listed.filter(f -> f.getFileName().toString().endsWith(suffix)).toList();
        }
        for (final Path file : files)
        {
            if (kind == Kind.TEAR_TXN_INDEXES)
            {
                final long size = Files.size(file);
                if (size > 0)
                {
                    try (var channel = Files.newByteChannel(file, StandardOpenOption.WRITE))
                    {
                        channel.truncate(size - 1 - size % 7);
                    }
                }
            }
            else
            {
                Files.delete(file);
            }
        }
    }

    private static void check(final SegmentedLog log, final List<Integer> steps, final Kind kind, final long logStart, final long logEnd,
        final Producer[] producers, final List<Written> written, final List<TxnBatch> txnBatches, final List<Boolean> committed,
        final List<AbortedTransaction> aborted)
    {
        final String where = "after " + kind + " in " + steps + ", " + log;
        assertEquals(logEnd, log.logEndOffset(), where);
        assertEquals(logStart, log.logStartOffset(), where);
        long stable = logEnd;
        for (final Producer producer : producers)
        {
            if (producer.transaction >= 0)
            {
                stable = Math.min(stable, producer.transactionFirstOffset);
            }
        }
        assertEquals(Math.max(stable, logStart), log.lastStableOffset(), where);

        final List<AbortedTransaction> kept = aborted.stream().filter(a -> a.lastOffset() >= logStart).toList();
        assertEquals(asSeenFrom(kept, logStart, txnBatches), asSeenFrom(log.abortedTransactions(logStart, logEnd), logStart, txnBatches),
            "aborted transactions " + where);
        if (logStart == 0)
        {
            for (final long[] range : new long[][] {{0, logEnd}, {logEnd / 3, logEnd * 2 / 3}, {logEnd / 2, logEnd}})
            {
                final List<AbortedTransaction> expected = aborted.stream()
                    .filter(a -> a.lastOffset() >= range[0] && a.firstOffset() < range[1])
                    .sorted(Comparator.comparingLong(AbortedTransaction::firstOffset)).toList();
                assertEquals(expected, log.abortedTransactions(range[0], range[1]), "from " + range[0] + " to " + range[1] + " " + where);
            }
        }

        final long lastStable = log.lastStableOffset();
        final List<String> visible = written.stream()
            .filter(w -> w.offset() >= logStart && w.offset() < lastStable)
            .filter(w -> w.transaction() < 0 || Boolean.TRUE.equals(committed.get(w.transaction())))
            .map(Written::value).toList();
        assertEquals(visible, ReadCommittedReader.read(log, logStart, 200), "read committed " + where);
    }

    /**
     * Aborted transactions as a reader from {@code logStart} sees them: each from the first
     * batch of its producer kept at or after the log start; those with none kept are dropped.
     */
    private static List<AbortedTransaction> asSeenFrom(final List<AbortedTransaction> transactions, final long logStart,
        final List<TxnBatch> txnBatches)
    {
        final List<AbortedTransaction> seen = new ArrayList<>();
        for (final AbortedTransaction transaction : transactions)
        {
            txnBatches.stream()
                .filter(b -> b.producerId() == transaction.producerId() && b.baseOffset() >= Math.max(logStart, transaction.firstOffset()) &&
                    b.baseOffset() < transaction.lastOffset())
                .mapToLong(TxnBatch::baseOffset).min()
                .ifPresent(first -> seen.add(new AbortedTransaction(transaction.producerId(), first, transaction.lastOffset())));
        }
        seen.sort(Comparator.comparingLong(AbortedTransaction::firstOffset).thenComparingLong(AbortedTransaction::lastOffset));
        return seen;
    }

    private static ByteBuffer batch(final long producerId, final short epoch, final int sequence, final boolean transactional, final int records,
        final int firstValue)
    {
        final ByteBuffer buffer = ByteBuffer.allocate(512);
        final RecordBatchBuilder builder = new RecordBatchBuilder().begin(buffer, 0, buffer.capacity())
            .producer(producerId, epoch, sequence).transactional(transactional);
        for (int i = 0; i < records; i++)
        {
            builder.append(1, null, ("v" + (firstValue + i)).getBytes(StandardCharsets.UTF_8));
        }
        return buffer.limit(builder.finish());
    }
}
