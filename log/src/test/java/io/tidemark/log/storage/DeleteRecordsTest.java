package io.tidemark.log.storage;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.tidemark.log.LogConfig;
import io.tidemark.log.TimestampOffset;
import io.tidemark.log.TopicPartition;
import io.tidemark.log.errors.OffsetOutOfRangeException;
import org.agrona.concurrent.CachedEpochClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.tidemark.log.storage.LogFixtures.batchOf;
import static io.tidemark.log.storage.LogFixtures.readAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kafka's DeleteRecords on a partition's log: the log start offset moves inside a segment,
 * whole segments below it go, reads and timestamp lookups below it stop, and the new start
 * survives a clean restart, a crash (the log abandoned without a close) and a crash between
 * writing the start and deleting the segments.
 */
class DeleteRecordsTest
{
    private static final TopicPartition TP = new TopicPartition("trimmed", 0);
    private static final Map<String, String> SMALL_SEGMENTS = Map.of(LogConfig.SEGMENT_BYTES, "1024", LogConfig.INDEX_INTERVAL_BYTES, "100");

    @TempDir
    Path dir;

    private final CachedEpochClock clock = new CachedEpochClock();

    private SegmentedLog open()
    {
        return SegmentedLog.open(TP, dir, LogConfig.DEFAULTS.withOverrides(SMALL_SEGMENTS), clock);
    }

    /** 100 batches of 3 records, batch i at time 1000 + i: offsets 0-299 over many segments. */
    private static void fill(final SegmentedLog log)
    {
        for (int i = 0; i < 100; i++)
        {
            log.append(batchOf("r", 3, 1000 + i));
        }
    }

    @Test
    void theStartMovesInsideASegmentAndWholeSegmentsBelowItGo()
    {
        try (SegmentedLog log = open())
        {
            fill(log);
            final int segmentsBefore = log.segmentCount();
            assertEquals(151, log.deleteRecordsBefore(151));
            assertEquals(151, log.logStartOffset());
            assertTrue(log.segmentCount() < segmentsBefore, "segments wholly below the start are deleted");
            assertTrue(log.segmentCount() > 1);

            assertThrows(OffsetOutOfRangeException.class, () -> log.read(150, 100), "below the start");
            final List<LogFixtures.Stored> left = readAll(log, log.logStartOffset());
            assertEquals(149, left.size());
            assertEquals(151, left.get(0).offset(), "the first record read is the start, even inside a batch");
            assertEquals(new TimestampOffset(1050, 151), log.offsetForTimestamp(0), "a time lookup finds nothing below the start");
            assertEquals(new TimestampOffset(1060, 180), log.offsetForTimestamp(1060));

            assertEquals(151, log.deleteRecordsBefore(100), "a start never moves back");
            assertEquals(151, log.deleteRecordsBefore(151));
            assertThrows(OffsetOutOfRangeException.class, () -> log.deleteRecordsBefore(301), "above the log end");
            assertThrows(OffsetOutOfRangeException.class, () -> log.deleteRecordsBefore(-1));
            assertEquals(151, log.logStartOffset(), "the refusals changed nothing");
            assertEquals(300, log.logEndOffset());
        }
    }

    @Test
    void theStartSurvivesARestartAndACrashAndRetentionNeverMovesItBack() throws Exception
    {
        try (SegmentedLog log = open())
        {
            fill(log);
            log.deleteRecordsBefore(151);
        }
        try (SegmentedLog log = open())
        {
            assertEquals(151, log.logStartOffset(), "after a clean close");
            assertEquals(149, readAll(log, log.logStartOffset()).size());
            log.deleteRecordsBefore(200);
            // A kill -9 right after the answer: nothing is flushed or closed.
            log.abandon();
        }
        try (SegmentedLog log = open())
        {
            assertEquals(200, log.logStartOffset(), "after a crash");
            assertEquals(300, log.logEndOffset());
            log.append(batchOf("later", 2, 5000));
            assertEquals(302, log.logEndOffset());
            assertEquals(200, log.logStartOffset(), "appending moves nothing");
        }
        try (SegmentedLog log = SegmentedLog.open(TP, dir, LogConfig.DEFAULTS.withOverrides(Map.of(LogConfig.SEGMENT_BYTES, "1024",
            LogConfig.RETENTION_BYTES, "1500")), clock))
        {
            log.applyRetention(clock.time());
            assertTrue(log.logStartOffset() >= 200, "retention moves the start on or leaves it: " + log.logStartOffset());
            assertEquals(302 - log.logStartOffset(), readAll(log, log.logStartOffset()).size());
        }
    }

    @Test
    void aCrashBetweenWritingTheStartAndDeletingSegmentsIsFinishedAtOpen() throws Exception
    {
        final int segmentsBefore;
        try (SegmentedLog log = open())
        {
            fill(log);
            segmentsBefore = log.segmentCount();
        }
        // The start written, the segments not yet deleted: what a crash inside deleteRecordsBefore leaves.
        Files.writeString(dir.resolve(SegmentedLog.LOG_START_OFFSET_FILE), "151\n", StandardCharsets.US_ASCII);
        try (SegmentedLog log = open())
        {
            assertEquals(151, log.logStartOffset());
            assertTrue(log.segmentCount() < segmentsBefore, "the segments below the start are deleted at open");
            assertEquals(149, readAll(log, 151).size());
        }
    }

    @Test
    void aStartBeyondTheRecoveredEndIsTheEndAndAnUnreadableOneIsIgnored() throws Exception
    {
        try (SegmentedLog log = open())
        {
            fill(log);
        }
        final Path file = dir.resolve(SegmentedLog.LOG_START_OFFSET_FILE);
        Files.writeString(file, "9000\n", StandardCharsets.US_ASCII);
        try (SegmentedLog log = open())
        {
            assertEquals(300, log.logStartOffset(), "records lost after the start was written: the log starts at its end");
        }
        for (final byte[] garbage : List.of("not an offset".getBytes(StandardCharsets.US_ASCII), new byte[] {(byte)0xff, (byte)0xfe}))
        {
            Files.write(file, garbage);
            try (SegmentedLog log = open())
            {
                assertTrue(log.logStartOffset() <= 300);
                assertEquals(300 - log.logStartOffset(), readAll(log, log.logStartOffset()).size(), "the log opens and serves what it holds");
            }
        }
    }

    @Test
    void deletingToTheEndEmptiesTheLogWhichGoesOn()
    {
        try (SegmentedLog log = open())
        {
            fill(log);
            assertEquals(300, log.deleteRecordsBefore(300));
            assertEquals(1, log.segmentCount(), "only the active segment is left");
            assertEquals(List.of(), readAll(log, 300));
            log.append(batchOf("next", 1, 7000));
            assertEquals(List.of("next0"), readAll(log, 300).stream().map(LogFixtures.Stored::value).toList());
        }
    }
}
