package io.tidemark.log.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.tidemark.log.LogConfig;
import io.tidemark.log.RecoveryReport;
import io.tidemark.log.TopicPartition;
import io.tidemark.log.errors.InvalidRecordException;
import io.tidemark.log.errors.RecordTooLargeException;
import org.agrona.concurrent.CachedEpochClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.tidemark.log.storage.LogFixtures.batchOf;
import static io.tidemark.log.storage.LogFixtures.readAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link SegmentedLog#appendRecord}: single records built in a map of the active segment's file. */
class AppendRecordTest
{
    private static final TopicPartition TP = new TopicPartition("events", 0);

    @TempDir
    Path dir;

    private final CachedEpochClock clock = new CachedEpochClock();

    private SegmentedLog open(final Path logDir, final Map<String, String> overrides)
    {
        return SegmentedLog.open(TP, logDir, LogConfig.DEFAULTS.withOverrides(overrides), clock);
    }

    private static byte[] bytes(final String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void singleRecordsAndBatchesShareOneSequenceOfOffsetsAndReadBackValid()
    {
        try (SegmentedLog log = open(dir, Map.of()))
        {
            assertEquals(0, log.appendRecord(10, bytes("k0"), bytes("r0")));
            assertEquals(1, log.appendRecord(11, null, bytes("r1")));
            assertEquals(2, log.logEndOffset(), "readers see each record once the call returns");
            assertEquals(2, log.append(batchOf("b", 2, 12)).firstOffset());
            assertEquals(4, log.appendRecord(13, bytes("k4"), null));

            // readAll checks every batch's CRC, as the broker's and the consumer's readers do.
            final List<LogFixtures.Stored> all = readAll(log, 0);
            assertEquals(List.of(new LogFixtures.Stored(0, 10, "k0", "r0"), new LogFixtures.Stored(1, 11, null, "r1"),
                new LogFixtures.Stored(2, 12, "k0", "b0"), new LogFixtures.Stored(3, 12, "k1", "b1"),
                new LogFixtures.Stored(4, 13, "k4", null)), all);
        }
    }

    @Test
    void aReaderFollowingTheTailSeesOnlyWholeValidBatches() throws Exception
    {
        final int records = 20_000;
        try (SegmentedLog log = open(dir, Map.of(LogConfig.SEGMENT_BYTES, "65536")))
        {
            final List<LogFixtures.Stored> seen = new ArrayList<>();
            final Thread reader = new Thread(() ->
            {
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (seen.size() < records && System.nanoTime() < deadline)
                {
                    // Each read checks the CRC of every batch it returns: a batch half built in the map would fail it.
                    seen.addAll(readAll(log, seen.size()));
                }
            });
            reader.start();
            for (int i = 0; i < records; i++)
            {
                log.appendRecord(i, null, bytes("v" + i));
            }
            reader.join();
            assertEquals(records, seen.size());
            for (int i = 0; i < records; i++)
            {
                assertEquals(new LogFixtures.Stored(i, i, null, "v" + i), seen.get(i));
            }
        }
    }

    @Test
    void aClosedSegmentEndsWithItsLastBatchAndReopensWithoutRepair() throws IOException
    {
        try (SegmentedLog log = open(dir, Map.of()))
        {
            for (int i = 0; i < 100; i++)
            {
                log.appendRecord(i, null, bytes("v" + i));
            }
        }
        final Path file = dir.resolve(Segment.fileName(0));
        try (SegmentedLog log = open(dir, Map.of()))
        {
            assertEquals(List.of(), log.recoveryReport().truncations(), "the room made ahead was cut off at close");
            assertEquals(100, log.logEndOffset());
            assertEquals("v99", readAll(log, 99).get(0).value());
            assertEquals(log.read(0, Integer.MAX_VALUE).sizeInBytes(), Files.size(file));
        }
    }

    @Test
    void rolledSegmentsAreCutToTheirBatchesAndEveryRecordReadsBack() throws IOException
    {
        try (SegmentedLog log = open(dir, Map.of(LogConfig.SEGMENT_BYTES, "4096")))
        {
            for (int i = 0; i < 500; i++)
            {
                log.appendRecord(i, bytes("k" + i), bytes("value-" + i));
            }
            final List<LogFixtures.Stored> all = readAll(log, 0);
            assertEquals(500, all.size());
            for (int i = 0; i < 500; i++)
            {
                assertEquals(new LogFixtures.Stored(i, i, "k" + i, "value-" + i), all.get(i));
            }
            try (Stream<Path> files = Files.list(dir))
            {
                final List<Path> logs = files.filter(f -> f.toString().endsWith(".log")).sorted().toList();
                // 500 records of about 25 bytes each, in batches of up to 16 KiB: at least 3 segments of 4 KiB.
                assertTrue(logs.size() >= 3, "rolled: " + logs);
                for (final Path sealed : logs.subList(0, logs.size() - 1))
                {
                    assertTrue(Files.size(sealed) <= 4096, sealed + " holds no zeros past its last batch: " + Files.size(sealed));
                }
            }
        }
    }

    @Test
    void afterACrashRecoveryKeepsEveryRecordAndCutsTheRoomMadeAhead() throws IOException
    {
        final Path copy = Files.createDirectory(dir.resolve("after-crash"));
        final Path live = Files.createDirectory(dir.resolve("live"));
        try (SegmentedLog log = open(live, Map.of()))
        {
            for (int i = 0; i < 50; i++)
            {
                log.appendRecord(i, null, bytes("v" + i));
            }
            // The files as a killed process leaves them: the page cache holds what the map wrote.
            try (Stream<Path> files = Files.list(live))
            {
                for (final Path file : files.toList())
                {
                    Files.copy(file, copy.resolve(file.getFileName()));
                }
            }
        }
        try (SegmentedLog recovered = open(copy, Map.of()))
        {
            assertEquals(50, recovered.logEndOffset());
            assertEquals(50, readAll(recovered, 0).size());
            final List<RecoveryReport.Truncation> truncations = recovered.recoveryReport().truncations();
            assertEquals(1, truncations.size(), truncations.toString());
            assertEquals(50, truncations.get(0).firstDroppedOffset());
            assertEquals(Files.size(copy.resolve(Segment.fileName(0))), truncations.get(0).validBytes());
            assertEquals(51, recovered.appendRecord(50, null, bytes("v50")) + 1, "appends go on after the cut");
        }
    }

    @Test
    void thePretoucherMakesRoomAWindowAheadThatHoldsOnlyZeros() throws IOException
    {
        final Path file = dir.resolve(Segment.fileName(0));
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        int records = 0;
        try (SegmentedLog log = open(dir, Map.of()))
        {
            while (!log.activeSegment().roomReadyAhead())
            {
                assertTrue(System.nanoTime() < deadline, "no window made ready ahead after " + records + " records");
                for (int i = 0; i < 100; i++, records++)
                {
                    log.appendRecord(records, null, bytes("v" + records));
                }
            }
            // Only the pretoucher makes room further ahead than the small window the appender makes itself.
            assertTrue(Files.size(file) - log.sizeInBytes() > AppendRoom.FIRST_STEP, "room: " + (Files.size(file) - log.sizeInBytes()));
            final byte[] room = new byte[(int)(Files.size(file) - log.sizeInBytes())];
            try (FileChannel channel = FileChannel.open(file))
            {
                Segment.readFully(channel, ByteBuffer.wrap(room), log.sizeInBytes(), room.length);
            }
            assertArrayEquals(new byte[room.length], room, "room past the last batch is zeros");
            assertEquals(records, readAll(log, 0).size());
        }
        try (SegmentedLog log = open(dir, Map.of()))
        {
            assertEquals(List.of(), log.recoveryReport().truncations(), "closing cut the room");
            assertEquals(records, log.logEndOffset());
            assertEquals(log.sizeInBytes(), Files.size(file));
        }
    }

    @Test
    void batchesWrittenBetweenSingleRecordsAreNeverOverwrittenByRoomMadeAhead() throws Exception
    {
        try (SegmentedLog log = open(dir, Map.of()))
        {
            final List<String> expected = new ArrayList<>();
            for (int round = 0; round < 12; round++)
            {
                // The pretoucher is held back: the window the single records ask for is still to be
                // made when the batches, 2.5 MB in one call, are written past the room made so far.
                final CountDownLatch hold = new CountDownLatch(1);
                AppendRoom.onPretoucher(() -> awaitQuietly(hold));
                try
                {
                    for (int i = 0; i < 100; i++)
                    {
                        final String value = "single-" + round + "-" + i + "-" + "x".repeat(80);
                        log.appendRecord(round, null, bytes(value));
                        expected.add(value);
                    }
                    log.append(LogFixtures.batchesOf("batch-" + round + "-", 3, 30_000, round));
                    for (int b = 0; b < 3; b++)
                    {
                        for (int i = 0; i < 30_000; i++)
                        {
                            expected.add("batch-" + round + "-" + b + "-" + i);
                        }
                    }
                }
                finally
                {
                    hold.countDown();
                }
                AppendRoom.onPretoucher(() -> { }).get(30, TimeUnit.SECONDS); // the window asked for is made now
            }
            assertEquals(expected, readAll(log, 0).stream().map(LogFixtures.Stored::value).toList());
        }
    }

    private static void awaitQuietly(final CountDownLatch latch)
    {
        try
        {
            latch.await();
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void refusedRecordsAreReportedAndLeaveTheLogAsItWas()
    {
        try (SegmentedLog log = open(dir, Map.of(LogConfig.CLEANUP_POLICY, "compact", LogConfig.MAX_MESSAGE_BYTES, "1000")))
        {
            log.appendRecord(1, bytes("k"), bytes("v"));
            final InvalidRecordException noKey = assertThrows(InvalidRecordException.class, () -> log.appendRecord(2, null, bytes("v")));
            assertTrue(noKey.getMessage().contains("without key"), noKey.getMessage());
            final RecordTooLargeException tooLarge = assertThrows(RecordTooLargeException.class,
                () -> log.appendRecord(3, bytes("k"), new byte[1000]));
            assertTrue(tooLarge.getMessage().contains("max.message.bytes=1000"), tooLarge.getMessage());
            assertEquals(1, log.logEndOffset());
            assertEquals(1, log.appendRecord(4, bytes("k"), bytes("w")));
            assertEquals(List.of("v", "w"), readAll(log, 0).stream().map(LogFixtures.Stored::value).toList());
        }
    }

    @Test
    void aTopicStampingAppendTimeStampsSingleRecordsToo()
    {
        clock.update(5_000);
        try (SegmentedLog log = open(dir, Map.of(LogConfig.MESSAGE_TIMESTAMP_TYPE, "LogAppendTime")))
        {
            log.appendRecord(1, null, bytes("v"));
            assertEquals(5_000, readAll(log, 0).get(0).timestamp());
        }
    }

    @Test
    void aRecordWithoutATimestampOfItsOwnIsStampedWithTheLogsClock()
    {
        try (SegmentedLog log = open(dir, Map.of()))
        {
            clock.update(7_000);
            assertEquals(0, log.appendRecord(bytes("k"), bytes("v0")));
            clock.update(7_005);
            assertEquals(1, log.appendRecord(null, bytes("v1")));
            assertEquals(List.of(new LogFixtures.Stored(0, 7_000, "k", "v0"), new LogFixtures.Stored(1, 7_005, null, "v1")),
                readAll(log, 0));
        }
    }
}
