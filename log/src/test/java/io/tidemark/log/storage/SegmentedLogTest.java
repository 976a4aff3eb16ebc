package io.tidemark.log.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.tidemark.log.AppendResult;
import io.tidemark.log.LogConfig;
import io.tidemark.log.TimestampOffset;
import io.tidemark.log.TopicPartition;
import io.tidemark.log.errors.OffsetOutOfRangeException;
import io.tidemark.log.errors.RecordTooLargeException;
import io.tidemark.log.record.CorruptRecordException;
import org.agrona.concurrent.CachedEpochClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.tidemark.log.storage.LogFixtures.batch;
import static io.tidemark.log.storage.LogFixtures.batchOf;
import static io.tidemark.log.storage.LogFixtures.readAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SegmentedLogTest
{
    private static final TopicPartition TP = new TopicPartition("orders", 0);

    @TempDir
    Path dir;

    private final CachedEpochClock clock = new CachedEpochClock();

    private SegmentedLog open(final Map<String, String> overrides)
    {
        return SegmentedLog.open(TP, dir, LogConfig.DEFAULTS.withOverrides(overrides), clock);
    }

    @Test
    void anAppendMayWaitForTheDiskWhenItRollsOrTheTopicForcesFlushes()
    {
        clock.update(1_000);
        try (SegmentedLog log = open(Map.of(LogConfig.SEGMENT_BYTES, "1024", LogConfig.SEGMENT_MS, "60000")))
        {
            assertFalse(log.appendMayWait(4096), "an empty segment takes any batch without rolling");
            final ByteBuffer first = batchOf("a", 3, 100);
            final int firstBytes = first.remaining();
            log.append(first);
            assertFalse(log.appendMayWait(1024 - firstBytes), "fits in the active segment");
            assertTrue(log.appendMayWait(1024 - firstBytes + 1), "would roll: the roll may wait for the seal of the segment before");
            clock.update(61_000);
            assertTrue(log.appendMayWait(1), "segment.ms is up: the next append rolls");
            log.append(batchOf("b", 1, 100));
            assertEquals(2, log.segmentCount());
            assertFalse(log.appendMayWait(1), "the new segment has room");
        }
        try (SegmentedLog log = open(Map.of(LogConfig.FLUSH_MS, "1000")))
        {
            assertTrue(log.appendMayWait(1), "a topic that forces flushes may always wait");
        }
    }

    /**
     * A flush that fails after the write (an fsync error) fails the append, but the records it
     * wrote keep their offsets: the next append numbers its records after them, not over them,
     * for batches and single records alike, and a reopened log holds them all in order.
     */
    @Test
    void aFailedFlushLeavesTheNextAppendAfterTheRecordsItWrote()
    {
        final Map<String, String> everyAppend = Map.of(LogConfig.FLUSH_MESSAGES, "1");
        final RuntimeException diskFailed = new UncheckedIOException(new IOException("injected: the disk failed the fsync"));
        try (SegmentedLog log = open(everyAppend))
        {
            log.append(batchOf("a-", 2, 1));
            log.flushHook(() ->
            {
                throw diskFailed;
            });
            assertSame(diskFailed, assertThrows(RuntimeException.class, () -> log.append(batchOf("b-", 3, 1))));
            assertSame(diskFailed, assertThrows(RuntimeException.class, () -> log.appendRecord(1, null, "c".getBytes(StandardCharsets.UTF_8))));
            log.flushHook(() ->
            {
            });
            assertEquals(6, log.append(batchOf("d-", 1, 1)).firstOffset(), "after a's 2, b's 3 and c");
            assertEquals(7, log.appendRecord(1, null, "e".getBytes(StandardCharsets.UTF_8)));
        }
        try (SegmentedLog log = open(everyAppend))
        {
            assertTrue(log.recoveryReport().isClean(), log.recoveryReport().toString());
            final List<LogFixtures.Stored> all = readAll(log, 0);
            assertEquals(List.of("a-0", "a-1", "b-0", "b-1", "b-2", "c", "d-0", "e"), all.stream().map(LogFixtures.Stored::value).toList());
            for (int i = 0; i < all.size(); i++)
            {
                assertEquals(i, all.get(i).offset());
            }
        }
    }

    @Test
    void appendsGetConsecutiveOffsetsAndReadBackFromAnyOffset()
    {
        try (SegmentedLog log = open(Map.of()))
        {
            final AppendResult first = log.append(batchOf("a", 3, 100));
            final AppendResult second = log.append(batchOf("b", 2, 200));
            assertEquals(new AppendResult(0, 2, -1, 3), first);
            assertEquals(new AppendResult(3, 4, -1, 2), second);
            assertEquals(5, log.logEndOffset());

            final List<LogFixtures.Stored> all = readAll(log, 0);
            assertEquals(List.of("a0", "a1", "a2", "b0", "b1"), all.stream().map(LogFixtures.Stored::value).toList());
            assertEquals(List.of(0L, 1L, 2L, 3L, 4L), all.stream().map(LogFixtures.Stored::offset).toList());
            assertEquals(List.of("a2", "b0", "b1"), readAll(log, 2).stream().map(LogFixtures.Stored::value).toList());
            assertEquals(0, log.read(5, 100).sizeInBytes());
        }
    }

    @Test
    void aReadAtTheEndStartsAtTheBatchHoldingItWhetherNewestOrOlder() throws IOException
    {
        try (SegmentedLog log = open(Map.of()))
        {
            long end = 0;
            for (int i = 0; i < 60; i++)
            {
                // Batches of 1 to 3 records, some appended two to a call, so that reads land in and before the newest batch.
                log.append(i % 4 == 0 ? LogFixtures.batchesOf("m" + i + "-", 2, 2, 100) : batchOf("s" + i + "-", 1 + i % 3, 100));
                end = log.logEndOffset();
                for (long from = Math.max(0, end - 5); from < end; from++)
                {
                    final io.tidemark.log.LogSlice slice = log.read(from, 1);
                    final ByteBuffer bytes = ByteBuffer.allocate(slice.sizeInBytes());
                    slice.readInto(bytes);
                    final io.tidemark.log.record.RecordBatchCursor cursor = new io.tidemark.log.record.RecordBatchCursor();
                    cursor.wrap(bytes.flip(), true);
                    assertTrue(cursor.next());
                    assertTrue(cursor.batch().baseOffset() <= from && from <= cursor.batch().lastOffset(),
                        "the batch read from " + from + " holds " + cursor.batch().baseOffset() + ".." + cursor.batch().lastOffset());
                    assertEquals(end - from, readAll(log, from).size());
                }
            }
            for (long from = 0; from < end; from += 7)
            {
                assertEquals(from, readAll(log, from).get(0).offset());
            }
        }
    }

    @Test
    void theMappedViewOfASliceHoldsTheSameBytesAsACopyAndFollowsTheActiveSegment() throws IOException
    {
        try (SegmentedLog log = open(Map.of()))
        {
            log.append(batchOf("a", 3, 100));
            final io.tidemark.log.LogSlice first = log.read(0, 1 << 20);
            final ByteBuffer copied = ByteBuffer.allocate(first.sizeInBytes());
            first.readInto(copied);
            assertEquals(copied.flip(), first.buffer());
            assertTrue(first.buffer().isReadOnly());

            // The segment grows past the first map: a later read maps it afresh.
            log.append(batchOf("b", 200, 200));
            final io.tidemark.log.LogSlice whole = log.read(0, 1 << 20);
            final ByteBuffer all = ByteBuffer.allocate(whole.sizeInBytes());
            whole.readInto(all);
            assertEquals(all.flip(), whole.buffer());
            assertEquals(203, readAll(log, 0).size());
            assertEquals(copied.rewind(), first.buffer(), "an older view stays valid");
        }
    }

    @Test
    void readsOutsideTheLogAreRefusedWithTheRange()
    {
        try (SegmentedLog log = open(Map.of()))
        {
            log.append(batchOf("a", 3, 100));
            final OffsetOutOfRangeException e = assertThrows(OffsetOutOfRangeException.class, () -> log.read(4, 100));
            assertTrue(e.getMessage().contains("0 to 3"), e.getMessage());
            assertThrows(OffsetOutOfRangeException.class, () -> log.read(-1, 100));
        }
    }

    @Test
    void aReadReturnsAtLeastTheWholeFirstBatchEvenAboveTheLimit()
    {
        try (SegmentedLog log = open(Map.of()))
        {
            final int size = batchOf("big", 50, 1).remaining();
            log.append(batchOf("big", 50, 1));
            assertEquals(size, log.read(10, 10).sizeInBytes());
        }
    }

    @Test
    void theActiveSegmentRollsBySizeAndEverythingStaysReadable() throws IOException
    {
        try (SegmentedLog log = open(Map.of(LogConfig.SEGMENT_BYTES, "1024", LogConfig.INDEX_INTERVAL_BYTES, "100")))
        {
            for (int i = 0; i < 100; i++)
            {
                log.append(batchOf("r" + i + "-", 3, i));
            }
            assertTrue(log.segmentCount() > 10, "segments: " + log.segmentCount());
            final List<LogFixtures.Stored> all = readAll(log, 0);
            assertEquals(300, all.size());
            for (int i = 0; i < 300; i++)
            {
                assertEquals(i, all.get(i).offset());
                assertEquals("r" + (i / 3) + "-" + (i % 3), all.get(i).value());
            }
            try (Stream<Path> files = Files.list(dir))
            {
                assertTrue(files.anyMatch(f -> f.getFileName().toString().equals("00000000000000000000.log")));
            }
        }
    }

    @Test
    void theActiveSegmentRollsByAgeOnlyOnceItHoldsData()
    {
        clock.update(1_000_000);
        try (SegmentedLog log = open(Map.of(LogConfig.SEGMENT_MS, "60000")))
        {
            log.append(batchOf("a", 1, 1));
            clock.advance(59_999);
            log.append(batchOf("b", 1, 1));
            assertEquals(1, log.segmentCount());
            clock.advance(1);
            log.append(batchOf("c", 1, 1));
            assertEquals(2, log.segmentCount());
            clock.advance(120_000);
            log.append(batchOf("d", 1, 1));
            assertEquals(3, log.segmentCount());
        }
    }

    @Test
    void reopeningRestoresOffsetsDataAndIndexesWithACleanReport()
    {
        final Map<String, String> small = Map.of(LogConfig.SEGMENT_BYTES, "2048", LogConfig.INDEX_INTERVAL_BYTES, "128");
        try (SegmentedLog log = open(small))
        {
            for (int i = 0; i < 50; i++)
            {
                log.append(batch("v" + i + "-", 1000 + i, 1000 + i));
            }
        }
        try (SegmentedLog log = open(small))
        {
            assertTrue(log.recoveryReport().isClean(), log.recoveryReport().toString());
            assertEquals(100, log.logEndOffset());
            assertEquals(100, readAll(log, 0).size());
            assertEquals(new TimestampOffset(1025, 50), log.offsetForTimestamp(1025));
            log.append(batchOf("after", 1, 5000));
            assertEquals(101, log.logEndOffset());
        }
    }

    @Test
    void aMissingIndexOfASealedSegmentIsRebuiltAndReported() throws IOException
    {
        final Map<String, String> small = Map.of(LogConfig.SEGMENT_BYTES, "1024", LogConfig.INDEX_INTERVAL_BYTES, "64");
        try (SegmentedLog log = open(small))
        {
            for (int i = 0; i < 30; i++)
            {
                log.append(batch("v" + i + "-", i * 10L, i * 10L + 1));
            }
        }
        Files.delete(dir.resolve("00000000000000000000.index"));
        Files.write(dir.resolve("00000000000000000000.timeindex"), new byte[] {1, 2, 3});
        try (SegmentedLog log = open(small))
        {
            assertEquals(List.of(0L), log.recoveryReport().rebuiltIndexes());
            assertTrue(log.recoveryReport().truncations().isEmpty());
            assertEquals(60, readAll(log, 0).size());
            assertEquals(new TimestampOffset(11, 3), log.offsetForTimestamp(11));
        }
        try (SegmentedLog log = open(small))
        {
            assertTrue(log.recoveryReport().isClean(), "the rebuilt index was written: " + log.recoveryReport());
        }
    }

    @Test
    void retentionBySizeDeletesWholeOldSegmentsAndMovesTheStart()
    {
        try (SegmentedLog log = open(Map.of(LogConfig.SEGMENT_BYTES, "1024", LogConfig.RETENTION_BYTES, "3000")))
        {
            for (int i = 0; i < 100; i++)
            {
                log.append(batchOf("r", 3, 1));
            }
            final long deleted = log.applyRetention(clock.time());
            assertTrue(deleted > 0);
            assertEquals(deleted, log.logStartOffset());
            assertTrue(log.sizeInBytes() <= 3000 + 1024, "size " + log.sizeInBytes());
            assertTrue(log.sizeInBytes() > 3000 - 1024, "size " + log.sizeInBytes());
            assertThrows(OffsetOutOfRangeException.class, () -> log.read(0, 100));
            assertEquals(300 - deleted, readAll(log, log.logStartOffset()).size());
        }
    }

    @Test
    void anEmptyCleanupPolicyKeepsEveryRecordPastTheRetentionLimitsUncleaned()
    {
        clock.update(10_000_000);
        try (SegmentedLog log = open(Map.of(LogConfig.CLEANUP_POLICY, "", LogConfig.SEGMENT_BYTES, "1024", LogConfig.RETENTION_BYTES, "1000",
            LogConfig.RETENTION_MS, "1000", LogConfig.MIN_CLEANABLE_DIRTY_RATIO, "0.01")))
        {
            for (int i = 0; i < 40; i++)
            {
                log.append(batchOf("same", 3, 9_000_000));
            }
            assertEquals(0, log.applyRetention(clock.time()));
            assertEquals(0, log.clean(clock.time()));
            assertEquals(0, log.logStartOffset());
            assertEquals(120, readAll(log, 0).size());
        }
    }

    @Test
    void retentionByTimeDeletesSegmentsWhoseNewestRecordExpired()
    {
        clock.update(10_000_000);
        try (SegmentedLog log = open(Map.of(LogConfig.SEGMENT_BYTES, "1024", LogConfig.RETENTION_MS, "1000")))
        {
            for (int i = 0; i < 40; i++)
            {
                log.append(batchOf("old", 3, 9_000_000));
            }
            for (int i = 0; i < 40; i++)
            {
                log.append(batchOf("new", 3, 10_000_000));
            }
            log.applyRetention(clock.time());
            final List<LogFixtures.Stored> left = readAll(log, log.logStartOffset());
            assertTrue(left.stream().allMatch(r -> r.value().startsWith("new") || r.timestamp() == 9_000_000));
            assertTrue(left.stream().filter(r -> r.value().startsWith("old")).count() <= 9, "at most the segment shared with new data");
            assertEquals(240 - log.logStartOffset(), left.size());

            clock.advance(1_000_000);
            log.applyRetention(clock.time());
            assertEquals(log.logEndOffset(), log.logStartOffset(), "everything expired, the active segment too");
            log.append(batchOf("fresh", 1, clock.time()));
            assertEquals(List.of("fresh0"), readAll(log, log.logStartOffset()).stream().map(LogFixtures.Stored::value).toList());
        }
    }

    @Test
    void aBatchOverTheSizeLimitIsRefusedAndNothingIsWritten()
    {
        try (SegmentedLog log = open(Map.of(LogConfig.MAX_MESSAGE_BYTES, "200")))
        {
            log.append(batchOf("ok", 1, 1));
            final ByteBuffer big = batchOf("x".repeat(300), 1, 1);
            final RecordTooLargeException e = assertThrows(RecordTooLargeException.class, () -> log.append(big));
            assertTrue(e.getMessage().contains("max.message.bytes=200"), e.getMessage());
            assertEquals(1, log.logEndOffset());
            assertEquals(1, readAll(log, 0).size());
        }
    }

    @Test
    void aCorruptBatchAmongGoodOnesIsRefusedAndNoneOfThemIsWritten()
    {
        try (SegmentedLog log = open(Map.of()))
        {
            final ByteBuffer good = batchOf("good", 2, 1);
            final ByteBuffer bad = batchOf("bad", 2, 1);
            bad.put(bad.limit() - 1, (byte)(bad.get(bad.limit() - 1) ^ 1));
            final ByteBuffer both = ByteBuffer.allocate(good.remaining() + bad.remaining()).put(good).put(bad).flip();
            assertThrows(CorruptRecordException.class, () -> log.append(both));
            assertEquals(0, log.logEndOffset());
            final ByteBuffer truncated = batchOf("cut", 2, 1);
            truncated.limit(truncated.limit() - 3);
            assertThrows(CorruptRecordException.class, () -> log.append(truncated));
            assertThrows(CorruptRecordException.class, () -> log.append(ByteBuffer.allocate(0)));
            assertEquals(0, log.sizeInBytes());
        }
    }

    @Test
    void logAppendTimeTopicsStampTheAppendTime()
    {
        clock.update(777_777);
        try (SegmentedLog log = open(Map.of(LogConfig.MESSAGE_TIMESTAMP_TYPE, "LogAppendTime")))
        {
            final AppendResult result = log.append(batchOf("a", 2, 5));
            assertEquals(777_777, result.logAppendTime());
            assertTrue(readAll(log, 0).stream().allMatch(r -> r.timestamp() == 777_777));
        }
    }

    @Test
    void offsetForTimestampFindsTheFirstRecordAtOrAfterIt()
    {
        try (SegmentedLog log = open(Map.of(LogConfig.SEGMENT_BYTES, "600", LogConfig.INDEX_INTERVAL_BYTES, "0")))
        {
            log.append(batch("a", 10, 30, 20));
            log.append(batch("b", 25, 40));
            log.append(batch("c", 35, 50));
            assertEquals(new TimestampOffset(10, 0), log.offsetForTimestamp(0));
            assertEquals(new TimestampOffset(30, 1), log.offsetForTimestamp(21));
            assertEquals(new TimestampOffset(30, 1), log.offsetForTimestamp(26));
            assertEquals(new TimestampOffset(40, 4), log.offsetForTimestamp(31));
            assertEquals(new TimestampOffset(50, 6), log.offsetForTimestamp(41));
            assertNull(log.offsetForTimestamp(51));
        }
    }

    @Test
    void maxTimestampFindsTheFirstRecordWithTheLargestTimestampAtOrAfterTheStart()
    {
        try (SegmentedLog log = open(Map.of(LogConfig.SEGMENT_BYTES, "300", LogConfig.INDEX_INTERVAL_BYTES, "0")))
        {
            assertNull(log.maxTimestamp(), "an empty log has none");
            log.append(batch("a", 10, 90, 20));      // offsets 0-2
            log.append(batch("b", 25, 40));          // 3-4
            log.append(batch("c", 90, 35));          // 5-6: the same largest timestamp, later
            log.append(batch("d", 50, 60, 70, 80));  // 7-10
            assertTrue(log.segmentCount() > 1, "the batches spread over segments");
            assertEquals(new TimestampOffset(90, 1), log.maxTimestamp(), "the first of the records that share the largest timestamp");

            log.deleteRecordsBefore(2);
            assertEquals(new TimestampOffset(90, 5), log.maxTimestamp(), "the record below the start no longer counts");
            log.deleteRecordsBefore(6);
            assertEquals(new TimestampOffset(80, 10), log.maxTimestamp());
            log.deleteRecordsBefore(11);
            assertNull(log.maxTimestamp(), "nothing left at or after the start");
        }
    }
}
