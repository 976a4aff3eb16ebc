package io.tidemark.log.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.tidemark.log.LogConfig;
import io.tidemark.log.TopicPartition;
import io.tidemark.log.storage.CompactionFixtures.Write;
import org.agrona.concurrent.CachedEpochClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.tidemark.log.storage.LogFixtures.batchOf;
import static io.tidemark.log.storage.LogFixtures.readAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The segment a roll leaves is sealed (forced, then indexed) on the sealer's thread, not by the
 * append that rolled. Each test holds the sealer back with a task that waits on a latch, so the
 * seal is still to come while the log goes on.
 */
class BackgroundSealTest
{
    private static final TopicPartition TP = new TopicPartition("rolls", 0);
    private static final Map<String, String> SMALL = Map.of(LogConfig.SEGMENT_BYTES, "1024", LogConfig.INDEX_INTERVAL_BYTES, "64");
    private static final long DEADLINE_NS = TimeUnit.SECONDS.toNanos(60);

    @TempDir
    Path dir;

    private final CachedEpochClock clock = new CachedEpochClock();
    private final CountDownLatch hold = new CountDownLatch(1);

    private SegmentedLog open(final Map<String, String> overrides)
    {
        return SegmentedLog.open(TP, dir, LogConfig.DEFAULTS.withOverrides(overrides), clock);
    }

    @Test
    void theAppendThatRollsLeavesTheSealToTheSealerAndAFlushWaitsForIt() throws Exception
    {
        final int records;
        holdTheSealer();
        try (SegmentedLog log = open(SMALL))
        {
            try
            {
                records = appendUntilSegments(log, 2);
                assertFalse(Files.exists(indexFile(0)), "the rolled segment is indexed once forced, by the sealer");
                assertEquals(records, readAll(log, 0).size(), "its records are readable meanwhile");
            }
            finally
            {
                hold.countDown();
            }
            log.flush();
            assertTrue(Files.exists(indexFile(0)) && Files.exists(timeIndexFile(0)), "a flush returns once the rolled segment is sealed");
        }
        try (SegmentedLog log = open(SMALL))
        {
            assertTrue(log.recoveryReport().isClean(), log.recoveryReport().toString());
            assertEquals(records, readAll(log, 0).size());
        }
    }

    @Test
    void aRollSealsTheSegmentBeforeItselfWhenTheSealerHasNotBegunIt() throws Exception
    {
        holdTheSealer();
        try (SegmentedLog log = open(SMALL))
        {
            final long second;
            try
            {
                appendUntilSegments(log, 2);
                second = log.activeSegment().baseOffset();
                appendUntilSegments(log, 3);
                assertTrue(Files.exists(indexFile(0)), "the second roll sealed the first segment itself, not behind the held sealer");
                assertFalse(Files.exists(indexFile(second)), "the second segment's seal is the sealer's, still held");
            }
            finally
            {
                hold.countDown();
            }
            log.flush();
            assertTrue(Files.exists(indexFile(second)));
        }
    }

    /** With {@code flush.messages}, a flush forces every offset below the log end, the segment rolled last included, as Kafka's does. */
    @Test
    void aFlushByRecordCountForcesTheSegmentRolledLast() throws Exception
    {
        holdTheSealer();
        try (SegmentedLog log = open(Map.of(LogConfig.SEGMENT_BYTES, "1024", LogConfig.FLUSH_MESSAGES, "5")))
        {
            try
            {
                appendUntilSegments(log, 2);
                for (int i = 0; i < 3; i++)
                {
                    log.append(batchOf("after-" + i + "-", 2, 1));
                }
                assertTrue(Files.exists(indexFile(0)), "the flush sealed the rolled segment, the sealer being held");
            }
            finally
            {
                hold.countDown();
            }
        }
    }

    @Test
    void aCrashBeforeTheSealLosesNoRecordTheRolledSegmentIsCheckedAndIndexedOnOpening() throws Exception
    {
        holdTheSealer();
        final int records;
        SegmentedLog log = open(SMALL);
        try
        {
            int appended = appendUntilSegments(log, 2);
            for (int i = 0; i < 3; i++)
            {
                log.append(batchOf("after-" + i + "-", 2, 1));
                appended += 2;
            }
            assertEquals(2, log.segmentCount(), "all in the new segment");
            records = appended;
            log.abandon();
        }
        finally
        {
            hold.countDown();
        }
        BackgroundSeal.onSealer(() -> { }).get(60, TimeUnit.SECONDS);
        assertFalse(Files.exists(indexFile(0)), "the seal of an abandoned log never runs");
        log = open(SMALL);
        try
        {
            assertEquals(List.of(0L), log.recoveryReport().rebuiltIndexes(), log.recoveryReport().toString());
            assertTrue(log.recoveryReport().truncations().isEmpty(), log.recoveryReport().toString());
            assertEquals(records, readAll(log, 0).size());
            assertTrue(Files.exists(indexFile(0)), "recovery wrote the indexes it built");
        }
        finally
        {
            log.close();
        }
    }

    @Test
    void aReopenedSegmentRolledAndLostBeforeItsSealIsCheckedBatchByBatch() throws Exception
    {
        try (SegmentedLog log = open(SMALL))
        {
            for (int i = 0; i < 3; i++)
            {
                log.append(batchOf("before-" + i + "-", 2, 1));
            }
        }
        assertTrue(Files.exists(indexFile(0)), "the close indexed segment 0");
        holdTheSealer();
        SegmentedLog log = open(SMALL);
        try
        {
            appendUntilSegments(log, 2);
            log.abandon(); // a crash before the seal forced segment 0
        }
        finally
        {
            hold.countDown();
        }
        BackgroundSeal.onSealer(() -> { }).get(60, TimeUnit.SECONDS);
        // A power cut kept segment 0's length but not the last bytes of its newest batch, which
        // were never forced; its header is intact.
        try (FileChannel channel = FileChannel.open(dir.resolve(Segment.fileName(0)), StandardOpenOption.WRITE))
        {
            channel.write(ByteBuffer.allocate(8), channel.size() - 8);
        }
        log = open(SMALL);
        try
        {
            assertFalse(log.recoveryReport().truncations().isEmpty(),
                "the index files written at the first close must not vouch for bytes appended after it: " + log.recoveryReport());
        }
        finally
        {
            log.close();
        }
    }

    @Test
    void retentionDeletingASegmentStillToBeSealedDropsItsSeal() throws Exception
    {
        final Map<String, String> config = Map.of(LogConfig.SEGMENT_BYTES, "1024", LogConfig.RETENTION_BYTES, "1");
        holdTheSealer();
        try (SegmentedLog log = open(config))
        {
            try
            {
                appendUntilSegments(log, 2);
                final long base = log.activeSegment().baseOffset();
                log.applyRetention(clock.time());
                assertEquals(base, log.logStartOffset(), "retention took the rolled segment, its seal to come");
            }
            finally
            {
                hold.countDown();
            }
            BackgroundSeal.onSealer(() -> { }).get(60, TimeUnit.SECONDS);
            assertFalse(Files.exists(dir.resolve(Segment.fileName(0))));
            assertFalse(Files.exists(indexFile(0)), "no seal wrote the deleted segment's index afterwards");
            assertFalse(Files.exists(timeIndexFile(0)));
        }
    }

    @Test
    void aCleaningRoundWaitsForTheSealAndCleansTheSegmentJustRolled() throws Exception
    {
        clock.update(1_000);
        holdTheSealer();
        try (SegmentedLog log = open(Map.of(LogConfig.CLEANUP_POLICY, "compact", LogConfig.MIN_CLEANABLE_DIRTY_RATIO, "0.01")))
        {
            final AtomicLong reclaimed = new AtomicLong(-1);
            final Thread cleaner;
            try
            {
                log.append(CompactionFixtures.batch(1, List.of(new Write("a", "a0"), new Write("b", "b1"))));
                log.append(CompactionFixtures.batch(1, List.of(new Write("a", "a2"))));
                log.roll();
                cleaner = new Thread(() -> reclaimed.set(log.clean(clock.time())), "cleaner");
                cleaner.start();
                awaitState(cleaner, Thread.State.WAITING);
            }
            finally
            {
                hold.countDown();
            }
            cleaner.join(TimeUnit.NANOSECONDS.toMillis(DEADLINE_NS));
            assertFalse(cleaner.isAlive());
            assertTrue(reclaimed.get() > 0, "the round cleaned the segment it waited for: " + reclaimed.get());
            assertEquals(List.of("1:b1", "2:a2"),
                CompactionFixtures.readFromStart(log).stream().map(stored -> stored.offset() + ":" + stored.value()).toList());
        }
    }

    /**
     * The windows the appender left are unmapped when the segment is sealed, before it is
     * forced, not whenever the garbage collector finds them: forcing then has no mapped page to
     * write-protect, and a process appending without allocating never runs into its limit of maps.
     */
    @Test
    void aSealedSegmentKeepsNoWritableMap() throws Exception
    {
        assumeTrue(Files.isReadable(Path.of("/proc/self/maps")), "counts the maps Linux lists");
        try (SegmentedLog log = open(Map.of()))
        {
            final byte[] value = new byte[200];
            // about 8 windows of 1 MiB
            for (int i = 0; i < 40_000; i++)
            {
                log.appendRecord(i, null, value);
            }
            final Path file = log.activeSegment().file();
            final long mapped = writableMapsOf(file);
            assertTrue(mapped >= 1 && mapped <= AppendRoom.LEFT_KEPT + 2, "maps of " + file + " writable: " + mapped);
            log.roll();
            log.flush();
            assertEquals(0, writableMapsOf(file), "the sealed segment keeps no writable map");
            assertEquals(40_000, log.logEndOffset());
        }
    }

    private static long writableMapsOf(final Path file) throws IOException
    {
        final String name = file.toAbsolutePath().toString();
        try (var lines = Files.lines(Path.of("/proc/self/maps")))
        {
            return lines.filter(line -> line.endsWith(name) && line.contains(" rw")).count();
        }
    }

    private void holdTheSealer()
    {
        BackgroundSeal.onSealer(() ->
        {
            try
            {
                hold.await();
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
            }
        });
    }

    /** Appends batches of two records until the log has {@code segments} segments. */
    private static int appendUntilSegments(final SegmentedLog log, final int segments)
    {
        int records = 0;
        while (log.segmentCount() < segments)
        {
            log.append(batchOf("v" + segments + "-" + records + "-", 2, 1));
            records += 2;
        }
        return records;
    }

    private static void awaitState(final Thread thread, final Thread.State state)
    {
        final long deadline = System.nanoTime() + DEADLINE_NS;
        while (thread.getState() != state)
        {
            if (System.nanoTime() > deadline || !thread.isAlive())
            {
                fail(thread.getName() + " never reached " + state + ": " + thread.getState());
            }
            Thread.onSpinWait();
        }
    }

    private Path indexFile(final long base)
    {
        return dir.resolve(String.format("%020d.index", base));
    }

    private Path timeIndexFile(final long base)
    {
        return dir.resolve(String.format("%020d.timeindex", base));
    }
}
