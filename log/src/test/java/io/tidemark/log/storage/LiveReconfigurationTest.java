package io.tidemark.log.storage;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.tidemark.log.AppendResult;
import io.tidemark.log.LogConfig;
import io.tidemark.log.TopicPartition;
import io.tidemark.log.errors.LogStorageException;
import io.tidemark.log.errors.RecordTooLargeException;
import org.agrona.concurrent.CachedEpochClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.tidemark.log.storage.LogFixtures.batchOf;
import static io.tidemark.log.storage.LogFixtures.readAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A log open and written to takes a new configuration without being reopened: rolls,
 * retention, the size limit and the timestamp type follow it from the next append or round.
 */
class LiveReconfigurationTest
{
    private static final TopicPartition TP = new TopicPartition("live", 0);

    @TempDir
    Path dir;

    private final CachedEpochClock clock = new CachedEpochClock();

    @Test
    void aSmallerSegmentSizeRollsTheNextAppendsAndRetentionBySizeThenDeletes()
    {
        try (SegmentedLog log = SegmentedLog.open(TP, dir, LogConfig.DEFAULTS, clock))
        {
            for (int i = 0; i < 50; i++)
            {
                log.append(batchOf("a", 3, 1));
            }
            assertEquals(1, log.segmentCount(), "a gigabyte segment holds it all");
            assertEquals(0, log.applyRetention(clock.time()));

            log.reconfigure(LogConfig.DEFAULTS.withOverrides(Map.of(LogConfig.SEGMENT_BYTES, "1024", LogConfig.RETENTION_BYTES, "3000")));
            for (int i = 0; i < 50; i++)
            {
                log.append(batchOf("b", 3, 1));
            }
            assertTrue(log.segmentCount() > 3, "the appends after the change rolled: " + log.segmentCount());
            final long deleted = log.applyRetention(clock.time());
            assertTrue(deleted >= 150, "the first, large segment is gone: " + deleted);
            assertEquals(deleted, log.logStartOffset());
            assertTrue(log.sizeInBytes() <= 3000 + 1024, "size " + log.sizeInBytes());
            assertEquals(300 - deleted, readAll(log, log.logStartOffset()).size(), "every record after the start is still read");
        }
    }

    @Test
    void retentionTimeSizeLimitAndTimestampTypeApplyFromTheNextAppendOrRound()
    {
        clock.update(10_000_000);
        try (SegmentedLog log = SegmentedLog.open(TP, dir, LogConfig.DEFAULTS.withOverrides(Map.of(LogConfig.SEGMENT_BYTES, "1024")), clock))
        {
            for (int i = 0; i < 20; i++)
            {
                log.append(batchOf("old", 3, 9_000_000));
            }
            assertEquals(0, log.applyRetention(clock.time()), "a week's retention keeps them");
            log.reconfigure(LogConfig.DEFAULTS.withOverrides(Map.of(LogConfig.SEGMENT_BYTES, "1024", LogConfig.RETENTION_MS, "1000")));
            log.applyRetention(clock.time());
            assertEquals(log.logEndOffset(), log.logStartOffset(), "a second's retention deletes every expired segment");

            assertFalse(log.appendMayWait(1));
            log.reconfigure(LogConfig.DEFAULTS.withOverrides(Map.of(LogConfig.MAX_MESSAGE_BYTES, "200", LogConfig.FLUSH_MESSAGES, "1",
                LogConfig.MESSAGE_TIMESTAMP_TYPE, "LogAppendTime")));
            assertTrue(log.appendMayWait(1), "flush.messages=1 forces every append");
            final long end = log.logEndOffset();
            assertThrows(RecordTooLargeException.class, () -> log.append(batchOf("big", 20, 1)));
            assertEquals(end, log.logEndOffset(), "the refused batch wrote nothing");
            final AppendResult stamped = log.append(batchOf("s", 1, 1));
            assertEquals(clock.time(), stamped.logAppendTime());
            assertEquals(List.of(clock.time()), readAll(log, stamped.firstOffset()).stream().map(LogFixtures.Stored::timestamp).toList());
        }
    }

    @Test
    void aClosedLogRefusesANewConfiguration()
    {
        final SegmentedLog log = SegmentedLog.open(TP, dir, LogConfig.DEFAULTS, clock);
        log.close();
        assertThrows(LogStorageException.class, () -> log.reconfigure(LogConfig.DEFAULTS));
    }
}
