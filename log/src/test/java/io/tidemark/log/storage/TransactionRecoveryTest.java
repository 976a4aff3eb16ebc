package io.tidemark.log.storage;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

import io.tidemark.log.AbortedTransaction;
import io.tidemark.log.ActiveProducer;
import io.tidemark.log.LogConfig;
import io.tidemark.log.PartitionLog;
import io.tidemark.log.TopicPartition;
import io.tidemark.log.TransactionMarker;
import io.tidemark.log.TransactionResult;
import io.tidemark.log.record.RecordBatchBuilder;
import org.agrona.concurrent.CachedEpochClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Transactions across restarts: open transactions and aborted ones come back from the snapshot
 * and the log (after a clean close, a kill -9, without snapshots), lost or damaged
 * aborted-transaction indexes are rebuilt, retention deletes them with their segments, and
 * snapshots of the format before transactions still load.
 */
class TransactionRecoveryTest
{
    static final TopicPartition TP = new TopicPartition("txn-recovery", 0);
    private static final long P1 = 11;
    private static final long P2 = 12;
    private static final long P3 = 13;
    private static final int ROUNDS = 30;

    @TempDir
    Path dir;

    private final CachedEpochClock clock = new CachedEpochClock();

    /** Small segments, so that the writes roll (and snapshot) several times. */
    static LogConfig config()
    {
        return LogConfig.DEFAULTS.withOverrides(Map.of(LogConfig.SEGMENT_BYTES, "1024", LogConfig.FLUSH_MESSAGES, "1"));
    }

    private SegmentedLog open()
    {
        return SegmentedLog.open(TP, dir, config(), clock);
    }

    /**
     * Plain records; P1's one transaction, left open; P2's transactions of three batches each,
     * aborted and committed in turn; P3's, each committed.
     */
    static void writeTransactions(final PartitionLog log)
    {
        for (int i = 0; i < ROUNDS; i++)
        {
            // One batch per round for each producer: its sequence is the round, across its transactions.
            log.append(batch(-1, 0, -1, true, false, "plain-" + i));
            log.append(batch(P1, 0, i, false, true, "p1-" + i));
            log.append(batch(P2, 0, i, false, true, "p2-" + i));
            log.append(batch(P3, 0, i, false, true, "p3-" + i));
            log.appendMarker(new TransactionMarker(P3, (short)0, 1, TransactionResult.COMMIT));
            if (i % 3 == 2)
            {
                log.appendMarker(new TransactionMarker(P2, (short)0, 1, i % 6 == 2 ? TransactionResult.ABORT : TransactionResult.COMMIT));
            }
        }
    }

    /** What must survive: the ends, the last stable offset, the aborted transactions, the open ones. */
    static String state(final PartitionLog log)
    {
        return log.logStartOffset() + " " + log.logEndOffset() + " " + log.lastStableOffset() + " " +
            log.abortedTransactions(log.logStartOffset(), log.logEndOffset()) + " " +
            log.activeProducers().stream().sorted(Comparator.comparingLong(ActiveProducer::producerId))
                .map(p -> p.producerId() + "@" + p.producerEpoch() + ":" + p.lastSequence() + ":" + p.currentTransactionStartOffset())
                .toList();
    }

    static ByteBuffer batch(final long producerId, final int epoch, final int sequence, final boolean plain, final boolean transactional,
        final String value)
    {
        final ByteBuffer buffer = ByteBuffer.allocate(256);
        final RecordBatchBuilder builder = new RecordBatchBuilder().begin(buffer, 0, buffer.capacity());
        if (!plain)
        {
            builder.producer(producerId, (short)epoch, sequence).transactional(transactional);
        }
        builder.append(1, null, value.getBytes(StandardCharsets.UTF_8));
        return buffer.limit(builder.finish());
    }

    /** @return the {@link #state} after {@link #writeTransactions} and a clean close. */
    private String writeTransactionsAndClose()
    {
        try (SegmentedLog log = open())
        {
            writeTransactions(log);
            return state(log);
        }
    }

    private List<Path> files(final String suffix) throws IOException
    {
        try (Stream<Path> files = Files.list(dir))
        {
            return files.filter(f -> f.getFileName().toString().endsWith(suffix)).sorted().toList();
        }
    }

    @Test
    void transactionsSurviveACleanReopenAndTheOpenOneCanStillEnd() throws IOException
    {
        final String before;
        try (SegmentedLog log = open())
        {
            writeTransactions(log);
            assertEquals(1, log.lastStableOffset(), "P1's transaction, open from offset 1");
            assertEquals(ROUNDS / 6, log.abortedTransactions(0, log.logEndOffset()).size());
            before = state(log);
            assertTrue(log.segmentCount() > 3, "the writes rolled: " + log);
        }
        assertEquals(files(".log").size(), files(".txnindex").size(), "one aborted-transaction index per segment");
        try (SegmentedLog log = open())
        {
            assertTrue(log.recoveryReport().isClean(), log.recoveryReport().toString());
            assertEquals(before, state(log));
            log.appendMarker(new TransactionMarker(P1, (short)0, 1, TransactionResult.COMMIT));
            assertEquals(log.logEndOffset(), log.lastStableOffset());
            final List<String> committed = ReadCommittedReader.read(log, 0, 512);
            assertEquals(ROUNDS * 3 + ROUNDS / 2, committed.size(), committed.toString());
            assertFalse(committed.contains("p2-0"), "aborted");
            assertTrue(committed.contains("p2-27") && committed.contains("p1-0") && committed.contains("p3-29"), committed.toString());
        }
    }

    @Test
    void withoutSnapshotsTheLogAloneGivesTheSameTransactions() throws IOException
    {
        final String before = writeTransactionsAndClose();
        for (final Path snapshot : files(".snapshot"))
        {
            Files.delete(snapshot);
        }
        try (SegmentedLog log = open())
        {
            assertEquals(before, state(log));
        }
    }

    @Test
    void lostOrDamagedAbortIndexesAreRebuiltFromTheLogAndReported() throws IOException
    {
        final String before = writeTransactionsAndClose();
        final List<Path> indexes = files(".txnindex").stream().filter(this::nonEmpty).toList();
        assertTrue(indexes.size() >= 3, indexes.toString());
        Files.delete(indexes.get(0));
        try (var channel = Files.newByteChannel(indexes.get(1), StandardOpenOption.WRITE))
        {
            channel.truncate(Files.size(indexes.get(1)) - 5); // a torn entry
        }
        final byte[] flipped = Files.readAllBytes(indexes.get(2));
        flipped[3] ^= 1; // a damaged entry: its CRC fails
        Files.write(indexes.get(2), flipped);
        try (SegmentedLog log = open())
        {
            final List<Long> bases = indexes.subList(0, 3).stream().map(TransactionRecoveryTest::baseOf).toList();
            assertTrue(log.recoveryReport().rebuiltIndexes().containsAll(bases), log.recoveryReport().toString());
            assertEquals(before, state(log));
        }
        try (SegmentedLog log = open())
        {
            assertTrue(log.recoveryReport().isClean(), "the rebuilt indexes were written: " + log.recoveryReport());
            assertEquals(before, state(log));
        }
    }

    private boolean nonEmpty(final Path file)
    {
        try
        {
            return Files.size(file) > 0;
        }
        catch (final IOException e)
        {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static long baseOf(final Path file)
    {
        return Long.parseLong(file.getFileName().toString().substring(0, 20));
    }

    @Test
    void anAbortMarkerAtTheSnapshotOffsetIsIndexedOnceAfterACrash() throws IOException
    {
        try (SegmentedLog log = open())
        {
            log.append(batch(P1, 0, 0, false, true, "a"));
        }
        final SegmentedLog crashed = open(); // the close above took a snapshot at offset 1
        crashed.appendMarker(new TransactionMarker(P1, (short)0, 1, TransactionResult.ABORT));
        crashed.abandon();
        try (SegmentedLog log = open())
        {
            assertEquals(List.of(new AbortedTransaction(P1, 0, 1)), log.abortedTransactions(0, 2));
            assertEquals(2, log.lastStableOffset());
            assertEquals(TransactionIndex.ENTRY_SIZE, Files.size(dir.resolve("00000000000000000000.txnindex")), "one entry");
        }
    }

    @Test
    void anAbortMarkerCutByRecoveryIsForgottenAndItsTransactionIsOpenAgain() throws IOException
    {
        try (SegmentedLog log = open())
        {
            log.append(batch(-1, 0, -1, true, false, "plain"));
            log.append(batch(P1, 0, 0, false, true, "a"));
            log.appendMarker(new TransactionMarker(P1, (short)0, 1, TransactionResult.ABORT));
            assertEquals(List.of(new AbortedTransaction(P1, 1, 2)), log.abortedTransactions(0, 3));
        }
        final Path segment = dir.resolve(Segment.fileName(0));
        try (var channel = Files.newByteChannel(segment, StandardOpenOption.WRITE))
        {
            channel.truncate(Files.size(segment) - 3); // a torn write of the marker
        }
        try (SegmentedLog log = open())
        {
            assertEquals(1, log.recoveryReport().truncations().size());
            assertEquals(2, log.logEndOffset());
            assertEquals(List.of(), log.abortedTransactions(0, 2));
            assertEquals(1, log.lastStableOffset(), "the transaction is open again: its marker is gone");
            log.appendMarker(new TransactionMarker(P1, (short)0, 1, TransactionResult.ABORT));
            assertEquals(List.of(new AbortedTransaction(P1, 1, 2)), log.abortedTransactions(0, 3));
        }
        assertEquals(TransactionIndex.ENTRY_SIZE, Files.size(dir.resolve("00000000000000000000.txnindex")), "indexed once");
    }

    @Test
    void retentionDeletesTheAbortIndexesWithTheirSegments() throws IOException
    {
        try (SegmentedLog log = open())
        {
            writeTransactions(log);
            log.appendMarker(new TransactionMarker(P1, (short)0, 1, TransactionResult.ABORT));
            final long lastBase = baseOf(files(".log").get(files(".log").size() - 1));
            final AbortedTransaction last = log.abortedTransactions(0, log.logEndOffset()).stream()
                .max(Comparator.comparingLong(AbortedTransaction::lastOffset)).orElseThrow();
            final long middle = log.logEndOffset() / 2;
            log.deleteSegmentsBefore(middle);
            assertEquals(files(".log").size(), files(".txnindex").size());
            assertTrue(log.abortedTransactions(0, log.logEndOffset()).stream().allMatch(a -> a.lastOffset() >= log.logStartOffset()));
            log.roll();
            log.deleteSegmentsBefore(log.logEndOffset());
            assertEquals(List.of(Path.of(Segment.fileName(log.logEndOffset()).replace(".log", ".txnindex"))),
                files(".txnindex").stream().map(Path::getFileName).toList());
            assertEquals(List.of(), log.abortedTransactions(log.logStartOffset(), log.logEndOffset()));
            assertTrue(last.lastOffset() >= lastBase, "the last abort was in the last segment, deleted");
        }
    }

    @Test
    void retentionCuttingThroughAnOpenTransactionHoldsReadersAtTheLogStartUntilItsMarker() throws IOException
    {
        try (SegmentedLog log = open())
        {
            log.append(batch(P1, 0, 0, false, true, "p1-a"));
            for (int i = 0; i < 40; i++)
            {
                log.append(batch(-1, 0, -1, true, false, "plain-" + i));
            }
            log.append(batch(P1, 0, 1, false, true, "p1-b"));
            log.roll();
            log.append(batch(-1, 0, -1, true, false, "plain-last"));
            log.deleteSegmentsBefore(log.logEndOffset());
            final long start = log.logStartOffset();
            assertTrue(start > 0);
            assertEquals(start, log.lastStableOffset(), "the transaction open from offset 0 holds readers at the log start");
            assertEquals(List.of(), ReadCommittedReader.read(log, start, 512));
            log.appendMarker(new TransactionMarker(P1, (short)0, 1, TransactionResult.ABORT));
            assertEquals(log.logEndOffset(), log.lastStableOffset());
            assertEquals(List.of(new AbortedTransaction(P1, 0, log.logEndOffset() - 1)), log.abortedTransactions(start, log.logEndOffset()));
            assertEquals(List.of("plain-last"), ReadCommittedReader.read(log, start, 512));
        }
        try (SegmentedLog log = open())
        {
            assertEquals(List.of("plain-last"), ReadCommittedReader.read(log, log.logStartOffset(), 512));
        }
    }

    @Test
    void aSnapshotOfTheFormatBeforeTransactionsStillLoads() throws IOException
    {
        clock.update(100);
        try (SegmentedLog log = open())
        {
            log.append(batch(P1, 3, 0, false, false, "a"));
            log.append(batch(P1, 3, 1, false, false, "b"));
        }
        final List<Path> snapshots = files(".snapshot");
        final Path snapshot = snapshots.get(snapshots.size() - 1);
        // The "TPI2" format: per producer its id, epoch, last append time and cached batches.
        final ByteBuffer old = ByteBuffer.allocate(8 + 19 + 2 * 24 + 4);
        old.putInt(0x54504932).putInt(1).putLong(P1).putShort((short)3).putLong(100).put((byte)2);
        old.putInt(0).putInt(0).putLong(0).putLong(0).putInt(1).putInt(1).putLong(1).putLong(1);
        final CRC32C crc = new CRC32C();
        crc.update(old.array(), 0, old.position());
        old.putInt((int)crc.getValue());
        Files.write(snapshot, old.array());
        clock.update(5_000);
        try (SegmentedLog log = open())
        {
            assertEquals(List.of(new ActiveProducer(P1, (short)3, 1, 100, -1, -1)), log.activeProducers(),
                "the snapshot's time, not the opening's: the snapshot was loaded, not replaced by a replay");
            assertEquals(1, log.append(batch(P1, 3, 1, false, false, "b")).firstOffset(), "a retry is still recognised");
            assertEquals(2, log.lastStableOffset());
        }
    }

    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void openAndAbortedTransactionsSurviveKillNine() throws Exception
    {
        final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        final Process child = new ProcessBuilder(java, "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
            "-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
            TransactionalChild.class.getName(), dir.toString())
            .redirectError(dir.resolveSibling(dir.getFileName() + "-child.err").toFile())
            .start();
        final String before;
        try
        {
            final BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            final String ready = out.readLine();
            assertTrue(ready != null && ready.startsWith("READY "), "the child wrote its transactions: " + ready);
            before = ready.substring("READY ".length());
            assertTrue(child.toHandle().destroyForcibly(), "SIGKILL sent");
            assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child died");
            assertEquals(128 + 9, child.exitValue(), "killed by SIGKILL: no close, no snapshot");
        }
        finally
        {
            child.destroyForcibly();
        }
        try (SegmentedLog log = open())
        {
            assertEquals(before, state(log));
            assertEquals(1, log.lastStableOffset());
        }
    }
}
