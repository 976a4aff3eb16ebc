package io.tidemark.log.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import io.tidemark.log.AppendResult;
import io.tidemark.log.LogConfig;
import io.tidemark.log.LogSlice;
import io.tidemark.log.TopicPartition;
import io.tidemark.log.errors.InvalidRecordException;
import io.tidemark.log.record.CompressionCodec;
import io.tidemark.log.record.Record;
import io.tidemark.log.record.RecordBatch;
import io.tidemark.log.record.RecordBatchBuilder;
import org.agrona.concurrent.CachedEpochClock;
import org.apache.kafka.common.record.internal.CompressionType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static io.tidemark.log.storage.CompactionFixtures.Write;
import static io.tidemark.log.storage.CompactionFixtures.batch;
import static io.tidemark.log.storage.CompactionFixtures.bytesFrom;
import static io.tidemark.log.storage.CompactionFixtures.compacted;
import static io.tidemark.log.storage.CompactionFixtures.readFromStart;
import static io.tidemark.log.storage.CompactionFixtures.readFromStartAsKafka;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogCleanerTest
{
    private static final TopicPartition TP = new TopicPartition("table", 0);

    @TempDir
    Path dir;

    private final CachedEpochClock clock = new CachedEpochClock();

    private SegmentedLog open(final LogConfig config)
    {
        return SegmentedLog.open(TP, dir, config, clock);
    }

    /** Writes a, b, a, c, a in three sealed segments: a's latest is at offset 4, b at 1, c at 3. */
    private static void writeThreeSegments(final SegmentedLog log, final CachedEpochClock clock)
    {
        log.append(batch(clock.time(), List.of(new Write("a", "a0"), new Write("b", "b1"))));
        log.roll();
        log.append(batch(clock.time(), List.of(new Write("a", "a2"), new Write("c", "c3"))));
        log.roll();
        log.append(batch(clock.time(), List.of(new Write("a", "a4"))));
        log.roll();
    }

    private static List<String> values(final SegmentedLog log)
    {
        return readFromStart(log).stream().map(stored -> stored.offset() + ":" + stored.value()).toList();
    }

    @Test
    void compactAndCompactDeleteAreAcceptedDeleteAloneKeepsEverySegmentUncleaned()
    {
        assertTrue(LogConfig.DEFAULTS.withOverrides(Map.of(LogConfig.CLEANUP_POLICY, "compact")).compact());
        final LogConfig both = LogConfig.DEFAULTS.withOverrides(Map.of(LogConfig.CLEANUP_POLICY, "compact,delete"));
        assertTrue(both.compact() && both.delete());
        assertFalse(LogConfig.DEFAULTS.compact());
        clock.update(1_000);
        try (SegmentedLog log = open(LogConfig.DEFAULTS.withOverrides(Map.of(LogConfig.MIN_CLEANABLE_DIRTY_RATIO, "0.01"))))
        {
            writeThreeSegments(log, clock);
            assertEquals(0, log.clean(clock.time()), "cleanup.policy=delete: the cleaner leaves the log alone");
            assertEquals(List.of("0:a0", "1:b1", "2:a2", "3:c3", "4:a4"), values(log));
        }
    }

    @Test
    void onlyTheLatestRecordOfEachKeyStaysAtItsOffsetAndTheActiveSegmentIsNeverCleaned()
    {
        clock.update(1_000);
        try (SegmentedLog log = open(compacted(1 << 20)))
        {
            writeThreeSegments(log, clock);
            log.append(batch(clock.time(), List.of(new Write("b", "b5"), new Write("b", "b6"))));
            assertTrue(log.clean(clock.time()) > 0);
            assertEquals(List.of("1:b1", "3:c3", "4:a4", "5:b5", "6:b6"), values(log), "the active segment keeps b5 and b6; b1 waits for it to seal");
            assertEquals(7, log.logEndOffset());
            log.roll();
            log.clean(clock.time());
            assertEquals(List.of("3:c3", "4:a4", "6:b6"), values(log));
        }
        try (SegmentedLog log = open(compacted(1 << 20)))
        {
            assertEquals(List.of("3:c3", "4:a4", "6:b6"), values(log), "a cleaned log reopens with its gaps");
            assertEquals(7, log.logEndOffset());
            assertTrue(log.recoveryReport().truncations().isEmpty(), "gaps in sealed segments are no damage");
        }
    }

    @Test
    void aRecordYoungerThanTheMinimumCompactionLagIsNotRemoved()
    {
        clock.update(1_000);
        final LogConfig config = compacted(1 << 20).withOverrides(Map.of(LogConfig.MIN_COMPACTION_LAG_MS, "60000"));
        try (SegmentedLog log = open(config))
        {
            writeThreeSegments(log, clock);
            clock.update(60_999);
            assertEquals(0, log.clean(clock.time()), "every sealed segment's newest record is younger than the lag");
            assertEquals(5, values(log).size());
            clock.update(61_000);
            assertTrue(log.clean(clock.time()) > 0);
            assertEquals(List.of("1:b1", "3:c3", "4:a4"), values(log));
        }
    }

    @Test
    void aLogIsCleanedOnlyOnceItsDirtyShareReachesTheRatioOrItsDirtyDataTheMaximumLag()
    {
        clock.update(1_000);
        final LogConfig config = compacted(1 << 20).withOverrides(Map.of(LogConfig.MIN_CLEANABLE_DIRTY_RATIO, "0.5",
            LogConfig.MAX_COMPACTION_LAG_MS, "600000"));
        try (SegmentedLog log = open(config))
        {
            for (int i = 0; i < 10; i++)
            {
                log.append(batch(clock.time(), List.of(new Write("k" + i, "first-" + i))));
            }
            log.roll();
            assertTrue(log.clean(clock.time()) == 0 && values(log).size() == 10, "nothing superseded: a round changes nothing");
            // One small dirty segment: far below half of the sealed bytes.
            log.append(batch(clock.time(), List.of(new Write("k0", "second-0"))));
            log.roll();
            assertEquals(0, log.clean(clock.time()), "a dirty share of about a tenth is below 0.5");
            assertEquals(11, values(log).size());
            clock.advance(600_000);
            assertTrue(log.clean(clock.time()) > 0, "the dirty segment is max.compaction.lag.ms old: due whatever the ratio");
            assertEquals(10, values(log).size());
            assertEquals("10:second-0", values(log).get(9));
        }
    }

    @ParameterizedTest
    @EnumSource(value = CompressionCodec.class, names = {"NONE", "LZ4"})
    void aRecordWithoutAKeyIsRefusedByACompactedTopicAndNothingIsWritten(final CompressionCodec codec)
    {
        try (SegmentedLog log = open(compacted(1 << 20)))
        {
            log.append(batch(1, List.of(new Write("a", "1"))));
            final ByteBuffer mixed = ByteBuffer.allocate(256);
            final RecordBatchBuilder builder = new RecordBatchBuilder().begin(mixed, 0, 256).compression(codec);
            builder.append(1, "k".getBytes(StandardCharsets.UTF_8), "v".getBytes(StandardCharsets.UTF_8));
            builder.append(1, null, "no key".getBytes(StandardCharsets.UTF_8));
            mixed.limit(builder.finish());
            final InvalidRecordException refused = assertThrows(InvalidRecordException.class, () -> log.append(mixed));
            assertTrue(refused.getMessage().startsWith("Compacted topic cannot accept message without key"), refused.getMessage());
            assertEquals(1, log.logEndOffset(), "the whole batch is refused");
            assertEquals(List.of("0:1"), values(log));
        }
    }

    @Test
    void aTombstoneStaysForTheDeleteRetentionAfterItsSegmentWasCleanedThenGoes()
    {
        clock.update(1_000);
        try (SegmentedLog log = open(compacted(1 << 20)))
        {
            log.append(batch(clock.time(), List.of(new Write("a", "a0"), new Write("b", "b1"))));
            log.append(batch(clock.time(), List.of(new Write("a", null))));
            log.roll();
            log.clean(clock.time());
            assertEquals(List.of("1:b1", "2:null"), values(log), "a0 went, its tombstone stays for the readers of a0");
            clock.advance(3_600_000 - 1);
            log.append(batch(clock.time(), List.of(new Write("c", "c3"))));
            log.roll();
            log.clean(clock.time());
            assertEquals(List.of("1:b1", "2:null", "3:c3"), values(log), "one millisecond short of delete.retention.ms");
            clock.advance(1);
            log.append(batch(clock.time(), List.of(new Write("d", "d4"))));
            log.roll();
            log.clean(clock.time());
            assertEquals(List.of("1:b1", "3:c3", "4:d4"), values(log), "delete.retention.ms after the first cleaning: the tombstone goes");
        }
    }

    private static ByteBuffer idempotent(final int baseSequence, final String... keyValues)
    {
        final ByteBuffer buffer = ByteBuffer.allocate(512);
        final RecordBatchBuilder builder = new RecordBatchBuilder().begin(buffer, 0, 512).producer(7, (short)0, baseSequence);
        for (int i = 0; i < keyValues.length; i += 2)
        {
            builder.append(1_000, keyValues[i].getBytes(StandardCharsets.UTF_8), keyValues[i + 1].getBytes(StandardCharsets.UTF_8));
        }
        return buffer.limit(builder.finish());
    }

    @Test
    void anIdempotentProducersEmptiedLastBatchStaysAsAHeaderSoItsSequencesSurviveAReplayFromTheStart() throws IOException
    {
        clock.update(1_000);
        try (SegmentedLog log = open(compacted(1 << 20)))
        {
            log.append(idempotent(0, "a", "a0", "b", "b0"));
            log.append(idempotent(2, "a", "a1", "b", "b1"));
            log.append(batch(clock.time(), List.of(new Write("a", "a2"), new Write("b", "b2"))));
            log.roll();
            assertTrue(log.clean(clock.time()) > 0);
            assertEquals(List.of("4:a2", "5:b2"), values(log), "both of the producer's batches lost every record");
        }
        try (Stream<Path> files = Files.list(dir))
        {
            for (final Path snapshot : files.filter(path -> path.toString().endsWith(".snapshot")).toList())
            {
                Files.delete(snapshot); // the producer state is replayed from the batch headers, cleaned ones included
            }
        }
        try (SegmentedLog log = open(compacted(1 << 20)))
        {
            assertEquals(new AppendResult(2, 3, -1, 2), log.append(idempotent(2, "a", "a1", "b", "b1")),
                "a retry of the emptied batch is known, answered with its offsets and not written again");
            assertEquals(6, log.logEndOffset());
            assertEquals(6, log.append(idempotent(4, "c", "c6")).firstOffset(), "the producer's next sequence follows on");
            assertEquals(List.of("4:a2", "5:b2", "6:c6"), values(log));
        }
    }

    @ParameterizedTest
    @EnumSource(value = CompressionCodec.class, names = {"GZIP", "SNAPPY", "LZ4", "ZSTD"})
    void aCompressedBatchLosingRecordsIsCompressedAgainWithItsCodecAndOneKeepingThemAllIsCopiedByteForByte(final CompressionCodec codec)
        throws IOException
    {
        clock.update(1_000);
        try (SegmentedLog log = open(compacted(1 << 20)))
        {
            log.append(batch(clock.time(), List.of(new Write("a", "a0"), new Write("b", "b1"), new Write("c", "c2")), codec));
            log.roll();
            log.append(batch(clock.time(), List.of(new Write("a", "a3"), new Write("d", "d4")), codec));
            log.roll();
            final ByteBuffer untouched = bytesFrom(log, 3);
            assertTrue(log.clean(clock.time()) > 0);
            assertEquals(List.of("1:b1", "2:c2", "3:a3", "4:d4"), values(log));
            assertEquals(readFromStart(log), readFromStartAsKafka(log), "kafka-clients reads the same records, CRCs checked");

            final List<MutableRecordBatch> rewritten = new ArrayList<>();
            MemoryRecords.readableRecords(bytesFrom(log, 0)).batches().forEach(rewritten::add);
            assertEquals(1, rewritten.size());
            assertEquals(codec.id(), rewritten.get(0).compressionType().id, "the rewritten batch keeps its codec");
            assertEquals(0, rewritten.get(0).baseOffset());
            assertEquals(2, rewritten.get(0).lastOffset(), "the header keeps its last offset delta");
            assertEquals(2, rewritten.get(0).countOrNull());
            assertEquals(untouched, bytesFrom(log, 3), "a batch that keeps every record is not recompressed");
        }
    }

    @ParameterizedTest
    @EnumSource(value = CompressionCodec.class, names = {"LZ4", "ZSTD"})
    void anEmptiedCompressedLastBatchOfAProducerStaysAsAnUncompressedHeader(final CompressionCodec codec) throws IOException
    {
        clock.update(1_000);
        try (SegmentedLog log = open(compacted(1 << 20)))
        {
            final ByteBuffer buffer = ByteBuffer.allocate(512);
            final RecordBatchBuilder builder = new RecordBatchBuilder().begin(buffer, 0, 512).producer(7, (short)0, 0).compression(codec);
            builder.append(1_000, "a".getBytes(StandardCharsets.UTF_8), "a0".getBytes(StandardCharsets.UTF_8));
            log.append(buffer.limit(builder.finish()));
            log.append(batch(clock.time(), List.of(new Write("a", "a1"))));
            log.roll();
            assertTrue(log.clean(clock.time()) > 0);
            final List<MutableRecordBatch> batches = new ArrayList<>();
            MemoryRecords.readableRecords(bytesFrom(log, 0)).batches().forEach(batches::add);
            assertEquals(2, batches.size());
            final MutableRecordBatch header = batches.get(0);
            header.ensureValid();
            assertEquals(0, header.countOrNull());
            assertEquals(CompressionType.NONE, header.compressionType(), "no records to compress, as Kafka writes an empty batch");
            assertEquals(7, header.producerId());
            assertEquals(0, header.lastSequence());
            assertEquals(List.of("1:a1"), values(log));
        }
    }

    @Test
    void readersGoOnWhileRoundsSwapSegmentsUnderThem() throws Exception
    {
        clock.update(1_000);
        try (SegmentedLog log = open(compacted(2048)))
        {
            final AtomicReference<Throwable> failure = new AtomicReference<>();
            final AtomicBoolean done = new AtomicBoolean();
            final AtomicInteger reads = new AtomicInteger();
            final Thread reader = new Thread(() ->
            {
                try
                {
                    while (!done.get())
                    {
                        long previous = -1;
                        for (final LogFixtures.Stored stored : readFromStart(log))
                        {
                            assertTrue(stored.offset() > previous, "offsets increase");
                            assertEquals("v" + stored.offset(), stored.value(), "each record at the offset it was written at");
                            previous = stored.offset();
                        }
                        reads.incrementAndGet();
                    }
                }
                catch (final Throwable e)
                {
                    failure.set(e);
                }
            }, "reader");
            reader.start();
            long offset = 0;
            for (int round = 0; round < 200 && failure.get() == null; round++)
            {
                for (int key = 0; key < 5; key++)
                {
                    log.append(batch(clock.time(), List.of(new Write("k" + key, "v" + offset))));
                    offset++;
                }
                log.clean(clock.time());
            }
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (reads.get() < 3 && failure.get() == null && System.nanoTime() < deadline)
            {
                Thread.onSpinWait();
            }
            done.set(true);
            reader.join(TimeUnit.SECONDS.toMillis(30));
            if (failure.get() != null)
            {
                throw new AssertionError("a read failed while the cleaner swapped segments", failure.get());
            }
            assertTrue(reads.get() >= 3, "the reader read the whole log several times");
        }
    }

    /**
     * Builds the same log twice, cleans one copy, and gives the other the files a crash at a
     * given stage of the swap of its first segment leaves.
     */
    private Path cleanedCopy() throws IOException
    {
        clock.update(1_000);
        final Path cleanedDir = dir.resolve("cleaned");
        for (final Path target : List.of(dir.resolve("crashed"), cleanedDir))
        {
            try (SegmentedLog log = SegmentedLog.open(TP, target, compacted(1 << 20), clock))
            {
                writeThreeSegments(log, clock);
            }
        }
        try (SegmentedLog log = SegmentedLog.open(TP, cleanedDir, compacted(1 << 20), clock))
        {
            log.clean(clock.time());
        }
        return cleanedDir;
    }

    private List<String> reopen(final Path target)
    {
        try (SegmentedLog log = SegmentedLog.open(TP, target, compacted(1 << 20), clock))
        {
            assertTrue(log.recoveryReport().truncations().isEmpty(), log.recoveryReport().toString());
            assertEquals(5, log.logEndOffset());
            return values(log);
        }
    }

    @Test
    void aCrashWhileACleanedFileIsWrittenLeavesTheSegmentAsItWas() throws IOException
    {
        final Path cleaned = cleanedCopy();
        final Path crashed = dir.resolve("crashed");
        final String first = Segment.fileName(0);
        Files.copy(cleaned.resolve(first), crashed.resolve(first + SegmentedLog.CLEANED_SUFFIX));
        Files.writeString(crashed.resolve(Segment.fileName(2) + SegmentedLog.CLEANED_SUFFIX), "torn");
        assertEquals(List.of("0:a0", "1:b1", "2:a2", "3:c3", "4:a4"), reopen(crashed));
        assertFalse(Files.exists(crashed.resolve(first + SegmentedLog.CLEANED_SUFFIX)), "the unfinished file is deleted");
    }

    @Test
    void aCrashAfterTheRenameToSwapInstallsTheCleanedSegmentAtOpen() throws IOException
    {
        final Path cleaned = cleanedCopy();
        final Path crashed = dir.resolve("crashed");
        final String first = Segment.fileName(0);
        Files.copy(cleaned.resolve(first), crashed.resolve(first + SegmentedLog.SWAP_SUFFIX));
        assertEquals(List.of("1:b1", "2:a2", "3:c3", "4:a4"), reopen(crashed), "the stale indexes of the old file are not used");
        assertFalse(Files.exists(crashed.resolve(first + SegmentedLog.SWAP_SUFFIX)));
    }

    @Test
    void aCrashBetweenDeletingTheOldIndexesAndTheFinalRenameInstallsTheCleanedSegmentAtOpen() throws IOException
    {
        final Path cleaned = cleanedCopy();
        final Path crashed = dir.resolve("crashed");
        final String first = Segment.fileName(0);
        Files.copy(cleaned.resolve(first), crashed.resolve(first + SegmentedLog.SWAP_SUFFIX));
        Segment.deleteIndexFiles(crashed.resolve(first), 0);
        assertEquals(List.of("1:b1", "2:a2", "3:c3", "4:a4"), reopen(crashed));
    }

    @Test
    void aCrashBetweenMovingTheOldFileAsideAndTheFinalRenameInstallsTheCleanedSegmentAtOpen() throws IOException
    {
        final Path cleaned = cleanedCopy();
        final Path crashed = dir.resolve("crashed");
        final String first = Segment.fileName(0);
        Files.copy(cleaned.resolve(first), crashed.resolve(first + SegmentedLog.SWAP_SUFFIX));
        Segment.deleteIndexFiles(crashed.resolve(first), 0);
        Files.move(crashed.resolve(first), crashed.resolve(first + ".7" + SegmentedLog.DELETED_SUFFIX));
        Files.writeString(crashed.resolve(first + ".3" + SegmentedLog.DELETED_SUFFIX), "an earlier replaced file");
        assertEquals(List.of("1:b1", "2:a2", "3:c3", "4:a4"), reopen(crashed));
        assertFalse(Files.exists(crashed.resolve(first + ".7" + SegmentedLog.DELETED_SUFFIX)), "the old file goes");
        assertFalse(Files.exists(crashed.resolve(first + ".3" + SegmentedLog.DELETED_SUFFIX)), "and so does any earlier one");
    }

    @Test
    void aCrashAfterTheFinalRenameDeletesTheOldFileMovedAsideAtOpen() throws IOException
    {
        final Path cleaned = cleanedCopy();
        final Path crashed = dir.resolve("crashed");
        final String first = Segment.fileName(0);
        Segment.deleteIndexFiles(crashed.resolve(first), 0);
        Files.move(crashed.resolve(first), crashed.resolve(first + ".0" + SegmentedLog.DELETED_SUFFIX));
        Files.copy(cleaned.resolve(first), crashed.resolve(first));
        assertEquals(List.of("1:b1", "2:a2", "3:c3", "4:a4"), reopen(crashed));
        assertFalse(Files.exists(crashed.resolve(first + ".0" + SegmentedLog.DELETED_SUFFIX)));
    }

    @Test
    void aReplacedSegmentFileStaysForItsReadersUntilTheFileDeleteDelayHasPassed()
    {
        clock.update(1_000);
        final Path aside = dir.resolve(Segment.fileName(0) + ".0" + SegmentedLog.DELETED_SUFFIX);
        try (SegmentedLog log = open(compacted(1 << 20).withOverrides(Map.of(LogConfig.FILE_DELETE_DELAY_MS, "60000"))))
        {
            writeThreeSegments(log, clock);
            final LogSlice before = log.read(0, 1 << 16);
            log.clean(clock.time());
            assertTrue(Files.exists(aside), "the old file, moved aside");
            final ByteBuffer bytes = ByteBuffer.allocate(before.sizeInBytes());
            assertDoesNotThrow(() -> before.readInto(bytes), "a slice taken before the swap reads the old bytes");
            assertEquals(0, new RecordBatch().wrap(bytes, 0).baseOffset());
            clock.advance(59_999);
            log.append(batch(clock.time(), List.of(new Write("b", "b5"))));
            log.roll();
            log.clean(clock.time());
            assertTrue(Files.exists(aside), "a round before file.delete.delay.ms keeps it");
            clock.advance(1);
            log.append(batch(clock.time(), List.of(new Write("c", "c6"))));
            log.roll();
            log.clean(clock.time());
            assertFalse(Files.exists(aside), "the first round after file.delete.delay.ms deletes it");
            assertEquals(List.of("4:a4", "5:b5", "6:c6"), values(log));
        }
    }

    @Test
    void aCrashAfterEverySwapButBeforeTheCheckpointKeepsTheCleanedLogAndCleansAgainHarmlessly() throws IOException
    {
        final Path cleaned = cleanedCopy();
        Files.delete(cleaned.resolve(SegmentedLog.CLEANER_CHECKPOINT_FILE));
        assertEquals(List.of("1:b1", "3:c3", "4:a4"), reopen(cleaned));
        try (SegmentedLog log = SegmentedLog.open(TP, cleaned, compacted(1 << 20), clock))
        {
            log.clean(clock.time());
            assertEquals(List.of("1:b1", "3:c3", "4:a4"), values(log));
            assertTrue(Files.exists(cleaned.resolve(SegmentedLog.CLEANER_CHECKPOINT_FILE)));
        }
    }

    @Test
    void aSwapFileWhoseSegmentRetentionDeletedIsDiscardedNotInstalled() throws IOException
    {
        final Path cleaned = cleanedCopy();
        final Path crashed = dir.resolve("crashed");
        final String first = Segment.fileName(0);
        Files.copy(cleaned.resolve(first), crashed.resolve(first + SegmentedLog.SWAP_SUFFIX), StandardCopyOption.REPLACE_EXISTING);
        Files.delete(crashed.resolve(first));
        Segment.deleteIndexFiles(crashed.resolve(first), 0);
        // The round put its indexes in place after retention deleted the segment's own.
        Files.copy(cleaned.resolve("00000000000000000000.index"), crashed.resolve("00000000000000000000.index"));
        try (SegmentedLog log = SegmentedLog.open(TP, crashed, compacted(1 << 20), clock))
        {
            assertEquals(2, log.logStartOffset(), "the deleted segment does not come back");
            assertEquals(List.of("2:a2", "3:c3", "4:a4"), values(log));
        }
        assertFalse(Files.exists(crashed.resolve(first + SegmentedLog.SWAP_SUFFIX)));
        assertFalse(Files.exists(crashed.resolve("00000000000000000000.index")), "nor does its index file");
    }
    @Test
    void appendsAndReadsGoOnWhileTheCleanerChecksAndIndexesACleanedSegment() throws Exception
    {
        clock.update(1_000);
        try (SegmentedLog log = open(compacted(1 << 20)))
        {
            writeThreeSegments(log, clock);
            final CountDownLatch built = new CountDownLatch(1);
            final CountDownLatch appended = new CountDownLatch(1);
            final AtomicBoolean appendCameInTime = new AtomicBoolean();
            log.cleanedSegmentHook(() ->
            {
                built.countDown();
                try
                {
                    appendCameInTime.compareAndSet(false, appended.await(30, TimeUnit.SECONDS));
                }
                catch (final InterruptedException e)
                {
                    Thread.currentThread().interrupt();
                }
            });
            final CompletableFuture<Long> round = CompletableFuture.supplyAsync(() -> log.clean(clock.time()));
            assertTrue(built.await(30, TimeUnit.SECONDS), "the round built its first cleaned segment");
            // The cleaner waits for this append: had it held the log's lock, the append would have
            // waited for the hook to give up, and the flag below would be false.
            final AppendResult result = log.append(batch(clock.time(), List.of(new Write("d", "d5"))));
            assertEquals(List.of("0:a0", "1:b1", "2:a2", "3:c3", "4:a4", "5:d5"), values(log), "a read meanwhile sees the old segments");
            appended.countDown();
            assertTrue(round.get(30, TimeUnit.SECONDS) > 0, "the round reclaimed bytes");
            assertTrue(appendCameInTime.get(), "the append ended while the cleaner held a cleaned segment ready to swap in");
            assertEquals(5, result.firstOffset());
            assertEquals(List.of("1:b1", "3:c3", "4:a4", "5:d5"), values(log));
        }
    }

    @Test
    void aRoundWhoseKeysDoNotFitTheMapCleansUpToTheFirstLeftOutAndTheNextRoundsGoOnFromThere() throws IOException
    {
        clock.update(1_000);
        final OffsetMap fourteenKeys = new OffsetMap(16 * 24, 0.9);
        try (SegmentedLog log = SegmentedLog.open(TP, dir, compacted(1 << 20), clock, new ChannelPool(Integer.MAX_VALUE), fourteenKeys))
        {
            // Two sealed segments of the twenty keys k0..k19 (offsets 0-19, then 20-39), and an active one.
            for (int pass = 0; pass < 2; pass++)
            {
                final List<Write> writes = new ArrayList<>();
                for (int key = 0; key < 20; key++)
                {
                    writes.add(new Write("k" + key, "v" + (pass * 20 + key)));
                }
                log.append(batch(clock.time(), writes));
                log.roll();
            }
            log.append(batch(clock.time(), List.of(new Write("z", "v40"))));

            log.clean(clock.time());
            assertEquals(14, checkpoint(), "k14 at offset 14 did not fit: the round stopped there");
            assertEquals(offsetsFrom(0), offsets(log), "k0..k13's latest records below 14 are themselves");

            log.clean(clock.time());
            assertEquals(28, checkpoint(), "mapped k14..k19, then k0..k7 again up to 27; k8 at 28 did not fit");
            assertEquals(offsetsFrom(8), offsets(log), "k0..k7 at 0-7 went, superseded at 20-27");

            log.clean(clock.time());
            assertEquals(40, checkpoint(), "the rest fit: up to the active segment");
            assertEquals(offsetsFrom(20), offsets(log), "only every key's latest record is left");
            assertEquals(0, log.clean(clock.time()), "nothing dirty is left");
            for (final String value : values(log))
            {
                assertEquals("v" + value.substring(0, value.indexOf(':')), value.substring(value.indexOf(':') + 1), "each value at its offset");
            }
        }
    }

    private long checkpoint() throws IOException
    {
        return Long.parseLong(Files.readString(dir.resolve(SegmentedLog.CLEANER_CHECKPOINT_FILE), StandardCharsets.US_ASCII).strip());
    }

    private static List<Long> offsets(final SegmentedLog log)
    {
        return readFromStart(log).stream().map(LogFixtures.Stored::offset).toList();
    }

    /** @return the offsets from {@code first} to 40, the last. */
    private static List<Long> offsetsFrom(final long first)
    {
        return LongStream.rangeClosed(first, 40).boxed().toList();
    }

    @Test
    void aCleanedSegmentsIndexesAreWrittenByTheRoundAndUsedAtOpenWithoutARebuild() throws IOException
    {
        final Path cleaned = cleanedCopy();
        try (SegmentedLog log = SegmentedLog.open(TP, cleaned, compacted(1 << 20), clock))
        {
            assertEquals(List.of(), log.recoveryReport().rebuiltIndexes());
            assertEquals(List.of("1:b1", "3:c3", "4:a4"), values(log));
        }
        try (Stream<Path> files = Files.list(cleaned))
        {
            assertEquals(List.of(), files.map(file -> file.getFileName().toString())
                .filter(name -> name.endsWith(SegmentedLog.CLEANED_SUFFIX) || name.endsWith(SegmentedLog.SWAP_SUFFIX)).toList(),
                "no file of the round is left");
        }
    }

    @Test
    void aCrashAfterTheCleanedFileAndItsIndexesAreWrittenButBeforeTheSwapLeavesTheSegmentAndItsIndexesAsTheyWere() throws IOException
    {
        final Path cleaned = cleanedCopy();
        final Path crashed = dir.resolve("crashed");
        for (final String name : List.of(Segment.fileName(0), "00000000000000000000.index", "00000000000000000000.timeindex"))
        {
            Files.copy(cleaned.resolve(name), crashed.resolve(name + SegmentedLog.CLEANED_SUFFIX));
        }
        try (SegmentedLog log = SegmentedLog.open(TP, crashed, compacted(1 << 20), clock))
        {
            assertEquals(List.of(), log.recoveryReport().rebuiltIndexes(), "the old segment's own indexes are still there");
            assertEquals(List.of("0:a0", "1:b1", "2:a2", "3:c3", "4:a4"), values(log));
        }
        try (Stream<Path> files = Files.list(crashed))
        {
            assertFalse(files.anyMatch(file -> file.getFileName().toString().endsWith(SegmentedLog.CLEANED_SUFFIX)), "the unfinished files go");
        }
    }

    @Test
    void aCrashAfterTheCleanedIndexesTookTheOldOnesPlaceInstallsTheSwapAtOpen() throws IOException
    {
        final Path cleaned = cleanedCopy();
        final Path crashed = dir.resolve("crashed");
        final String first = Segment.fileName(0);
        Files.copy(cleaned.resolve(first), crashed.resolve(first + SegmentedLog.SWAP_SUFFIX));
        for (final String name : List.of("00000000000000000000.index", "00000000000000000000.timeindex"))
        {
            Files.copy(cleaned.resolve(name), crashed.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        }
        assertEquals(List.of("1:b1", "2:a2", "3:c3", "4:a4"), reopen(crashed));
        assertFalse(Files.exists(crashed.resolve(first + SegmentedLog.SWAP_SUFFIX)));
    }

    @Test
    void aSegmentCleanedTwiceWithinTheFileDeleteDelayKeepsEachReplacedFileForItsOwnReaders() throws IOException
    {
        clock.update(1_000);
        // A budget of one open file: the pool closes the replaced files' channels, so reads reopen them by name.
        try (SegmentedLog log = SegmentedLog.open(TP, dir, compacted(1 << 20).withOverrides(Map.of(LogConfig.FILE_DELETE_DELAY_MS, "60000")),
            clock, new ChannelPool(1)))
        {
            log.append(batch(clock.time(), List.of(new Write("a", "x0"))));
            log.append(batch(clock.time(), List.of(new Write("b", "x1"))));
            log.append(batch(clock.time(), List.of(new Write("c", "x2"))));
            log.roll();
            log.append(batch(clock.time(), List.of(new Write("a", "x3"))));
            log.roll();
            final LogSlice original = log.read(0, 1);
            log.clean(clock.time()); // segment 0 becomes [b:x1, c:x2]
            final LogSlice first = log.read(0, 1);
            clock.advance(30_000);
            log.append(batch(clock.time(), List.of(new Write("b", "x4"))));
            log.roll();
            log.clean(clock.time()); // segment 0 becomes [c:x2]
            assertEquals(List.of("2:x2", "3:x3", "4:x4"), values(log));
            assertEquals("a", firstKey(original), "the slice of the original segment reads its own file, reopened");
            assertEquals("b", firstKey(first), "and so does the slice of the first cleaned one");
            clock.advance(30_000);
            log.clean(clock.time()); // the delay of the first replacement has passed, not that of the second
            assertFalse(Files.exists(dir.resolve(Segment.fileName(0) + ".0" + SegmentedLog.DELETED_SUFFIX)), "the first replaced file went");
            assertEquals("b", firstKey(first), "the second replaced file stays its whole delay");
            assertEquals(List.of("2:x2", "3:x3", "4:x4"), values(log));
        }
    }

    /** @return the key of the first record the slice holds, read from its file now. */
    private static String firstKey(final LogSlice slice) throws IOException
    {
        final ByteBuffer bytes = ByteBuffer.allocate(slice.sizeInBytes());
        slice.readInto(bytes);
        final Record record = new RecordBatch().wrap(bytes, 0).records();
        assertTrue(record.next(), "the batch holds a record");
        final byte[] key = new byte[record.keyLength()];
        record.buffer().get(record.keyOffset(), key);
        return new String(key, StandardCharsets.UTF_8);
    }

    @Test
    void aSegmentThatRetentionDeletesWhileItsCleanedCopyIsBuiltLeavesNoFileBehind() throws IOException
    {
        clock.update(1_000);
        try (SegmentedLog log = open(compacted(1 << 20)))
        {
            writeThreeSegments(log, clock);
            log.cleanedSegmentHook(() -> log.deleteSegmentsBefore(2));
            log.clean(clock.time());
            log.cleanedSegmentHook(() ->
            {
            });
            assertEquals(2, log.logStartOffset());
            assertEquals(List.of("3:c3", "4:a4"), values(log), "the other segments cleaned");
        }
        try (Stream<Path> files = Files.list(dir))
        {
            assertEquals(List.of(), files.map(file -> file.getFileName().toString()).filter(name -> name.startsWith(Segment.fileName(0)
                .substring(0, 20))).toList(), "no file of the deleted segment, its transaction index included");
        }
    }

    @Test
    void aFailedRenameOfTheCleanedFileMovesTheReplacedOneBackSoRetentionStillDeletesIt() throws IOException
    {
        clock.update(1_000);
        final String first = Segment.fileName(0);
        try (SegmentedLog log = open(compacted(1 << 20)))
        {
            writeThreeSegments(log, clock);
            log.asideHook(() ->
            {
                throw new UncheckedIOException(new IOException("injected: the rename of the cleaned file fails"));
            });
            assertThrows(UncheckedIOException.class, () -> log.clean(clock.time()));
            assertTrue(Files.exists(dir.resolve(first)), "the old file is back at its name");
            assertEquals(List.of("0:a0", "1:b1", "2:a2", "3:c3", "4:a4"), values(log), "the segment is as it was");
            log.deleteSegmentsBefore(2);
            assertFalse(Files.exists(dir.resolve(first)), "retention deleted it");
        }
        try (SegmentedLog log = open(compacted(1 << 20)))
        {
            assertEquals(2, log.logStartOffset(), "the deleted segment does not come back at open");
            assertEquals(List.of("2:a2", "3:c3", "4:a4"), values(log));
        }
    }

    @Test
    void aCrashLeavingTheCleanedIndexesBesideTheOldFileWithoutTheSwapRebuildsThemFromTheOldFile() throws IOException
    {
        clock.update(1_000);
        final Path crashed = dir.resolve("crashed");
        final Path cleaned = dir.resolve("cleaned");
        for (final Path target : List.of(crashed, cleaned))
        {
            try (SegmentedLog log = SegmentedLog.open(TP, target, compacted(1 << 20), clock))
            {
                // Forty batches of one record, so that the cleaned file's index points between other batches than the old one's.
                for (int record = 0; record < 40; record++)
                {
                    log.append(batch(clock.time(), List.of(new Write("k" + record % 20, "v" + record))));
                }
                log.roll();
                log.append(batch(clock.time(), List.of(new Write("z", "v40"))));
            }
        }
        try (SegmentedLog log = SegmentedLog.open(TP, cleaned, compacted(1 << 20), clock))
        {
            log.clean(clock.time());
        }
        for (final String name : List.of("00000000000000000000.index", "00000000000000000000.timeindex"))
        {
            Files.copy(cleaned.resolve(name), crashed.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        }
        try (SegmentedLog log = SegmentedLog.open(TP, crashed, compacted(1 << 20), clock))
        {
            assertEquals(List.of(0L), log.recoveryReport().rebuiltIndexes(), "the indexes that do not fit the old file");
            for (long offset = 0; offset <= 40; offset++)
            {
                final LogSlice slice = log.read(offset, 1);
                final ByteBuffer bytes = ByteBuffer.allocate(slice.sizeInBytes());
                slice.readInto(bytes);
                assertEquals(offset, new RecordBatch().wrap(bytes, 0).baseOffset(), "the read at " + offset);
            }
        }
    }
}
