package io.tidemark.log.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

import io.tidemark.log.LogConfig;
import io.tidemark.log.LogSlice;
import io.tidemark.log.RecoveryReport;
import io.tidemark.log.TimestampOffset;
import io.tidemark.log.TopicPartition;
import io.tidemark.log.record.CorruptRecordException;
import io.tidemark.log.record.RecordBatch;
import io.tidemark.log.record.RecordBatchCursor;
import org.agrona.concurrent.CachedEpochClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.tidemark.log.record.RecordBatchLayout.ATTRIBUTES_OFFSET;
import static io.tidemark.log.record.RecordBatchLayout.CRC_OFFSET;
import static io.tidemark.log.record.RecordBatchLayout.LENGTH_OFFSET;
import static io.tidemark.log.record.RecordBatchLayout.LOG_OVERHEAD;
import static io.tidemark.log.record.RecordBatchLayout.OPEN_FLAG_MASK;
import static io.tidemark.log.storage.LogFixtures.batchOf;
import static io.tidemark.log.storage.LogFixtures.readAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Single records ({@link SegmentedLog#appendRecord}) grow one open batch in place: readers see
 * each record when its append returns, the batch is sealed before anything else touches the
 * log, and a crash keeps every record within its length.
 */
class OpenBatchTest
{
    private static final TopicPartition TP = new TopicPartition("open", 0);

    @TempDir
    Path dir;

    private final CachedEpochClock clock = new CachedEpochClock();

    private SegmentedLog open(final Path logDir)
    {
        return SegmentedLog.open(TP, logDir, LogConfig.DEFAULTS, clock);
    }

    private static byte[] bytes(final String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The record count of each batch from {@code from} on, checking each CRC. */
    private static List<Integer> batchSizes(final SegmentedLog log, final long from)
    {
        final List<Integer> counts = new ArrayList<>();
        final RecordBatchCursor cursor = new RecordBatchCursor();
        long next = from;
        try
        {
            while (next < log.logEndOffset())
            {
                final LogSlice slice = log.read(next, 1 << 20);
                final ByteBuffer bytes = ByteBuffer.allocate(slice.sizeInBytes());
                slice.readInto(bytes);
                cursor.wrap(bytes.flip(), true);
                while (cursor.next())
                {
                    assertFalse(cursor.batch().isOpen(), "a reader never sees an open batch");
                    counts.add(cursor.batch().recordCount());
                    next = cursor.batch().lastOffset() + 1;
                }
            }
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
        return counts;
    }

    @Test
    void consecutiveSingleRecordsShareOneBatchThatAReadSeals()
    {
        try (SegmentedLog log = open(dir))
        {
            for (int i = 0; i < 10; i++)
            {
                assertEquals(i, log.appendRecord(100 + i, null, bytes("v" + i)));
            }
            assertEquals(10, log.logEndOffset());
            assertEquals(List.of(10), batchSizes(log, 0), "one batch header for the ten records");
            log.appendRecord(200, null, bytes("v10"));
            log.appendRecord(201, null, bytes("v11"));
            assertEquals(2, readAll(log, 10).size(), "a read from the open batch's first offset sees its records");
            assertEquals(List.of(10, 2), batchSizes(log, 0));
        }
    }

    @Test
    void aReadFromBelowTheOpenBatchReturnsTheSealedRecordsAndTheNextReadTheRest()
    {
        try (SegmentedLog log = open(dir))
        {
            log.appendRecord(1, null, bytes("a"));
            log.appendRecord(2, null, bytes("b"));
            batchSizes(log, 0); // seals [a, b]
            log.appendRecord(3, null, bytes("c"));
            log.appendRecord(4, null, bytes("d"));
            final List<LogFixtures.Stored> all = readAll(log, 0);
            assertEquals(List.of("a", "b", "c", "d"), all.stream().map(LogFixtures.Stored::value).toList());
            assertEquals(List.of(2, 2), batchSizes(log, 0));
        }
    }

    @Test
    void aFullBatchIsSealedAndTheNextRecordStartsAnother()
    {
        final byte[] value = new byte[1000];
        try (SegmentedLog log = open(dir))
        {
            for (int i = 0; i < 40; i++)
            {
                log.appendRecord(i, null, value);
            }
            final List<Integer> sizes = batchSizes(log, 0);
            assertEquals(40, sizes.stream().mapToInt(Integer::intValue).sum());
            assertTrue(sizes.size() >= 3, "40 records of 1 KB fill batches of 16 KiB: " + sizes);
            assertTrue(sizes.get(0) >= 15 && sizes.get(0) <= 16, "a full batch holds about 16 KiB: " + sizes);
        }
    }

    @Test
    void aRecordLargerThanABatchGetsOneOfItsOwn()
    {
        try (SegmentedLog log = open(dir))
        {
            log.appendRecord(1, null, bytes("small"));
            log.appendRecord(2, null, new byte[SegmentedLog.OPEN_BATCH_BYTES + 1]);
            log.appendRecord(3, null, bytes("small again"));
            assertEquals(List.of(1, 1, 1), batchSizes(log, 0));
        }
    }

    @Test
    void otherAppendsSealTheOpenBatchFirstAndOffsetsStayInOrder()
    {
        try (SegmentedLog log = open(dir))
        {
            log.appendRecord(1, null, bytes("r0"));
            log.appendRecord(2, null, bytes("r1"));
            assertEquals(2, log.append(batchOf("b", 3, 5)).firstOffset());
            log.appendRecord(6, null, bytes("r5"));
            log.roll();
            log.appendRecord(7, null, bytes("r6"));
            assertEquals(List.of("r0", "r1", "b0", "b1", "b2", "r5", "r6"), readAll(log, 0).stream().map(LogFixtures.Stored::value).toList());
            assertEquals(List.of(2, 3, 1, 1), batchSizes(log, 0));
        }
    }

    @Test
    void timestampLookupsAndTheSizeSeeTheOpenBatch()
    {
        try (SegmentedLog log = open(dir))
        {
            log.appendRecord(10, null, bytes("a"));
            log.appendRecord(30, null, bytes("b"));
            log.appendRecord(20, null, bytes("c"));
            assertEquals(new TimestampOffset(30, 1), log.maxTimestamp());
            log.appendRecord(40, null, bytes("d"));
            assertEquals(3, log.offsetForTimestamp(35).offset());
            log.appendRecord(50, null, bytes("e"));
            final long size = log.sizeInBytes();
            assertEquals(sealedBytes(dir), size, "the size counts the open batch, sealed");
        }
    }

    private static long sealedBytes(final Path logDir)
    {
        try (Stream<Path> files = Files.list(logDir))
        {
            long total = 0;
            for (final Path file : files.filter(f -> f.toString().endsWith(".log")).toList())
            {
                total += lastBatchEnd(file);
            }
            return total;
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }

    /** Where the whole batches at the start of a log file end (room made ahead past them holds zeros). */
    private static long lastBatchEnd(final Path file) throws IOException
    {
        final RecordBatchCursor cursor = new RecordBatchCursor();
        cursor.wrap(ByteBuffer.wrap(Files.readAllBytes(file)), true);
        int end = 0;
        try
        {
            while (cursor.next())
            {
                end = cursor.position();
            }
        }
        catch (final CorruptRecordException zeros)
        {
            // the room past the last batch
        }
        return end;
    }

    @Test
    void afterACrashRecoverySealsTheOpenBatchAndKeepsEveryRecord() throws IOException
    {
        final Path copy = Files.createDirectory(dir.resolve("after-crash"));
        final Path live = Files.createDirectory(dir.resolve("live"));
        try (SegmentedLog log = open(live))
        {
            log.append(batchOf("b", 2, 1));
            for (int i = 0; i < 30; i++)
            {
                log.appendRecord(10 + i, bytes("k" + i), bytes("v" + i));
            }
            copyFiles(live, copy); // as a killed process leaves them: the page cache holds what the map wrote
        }
        try (SegmentedLog recovered = open(copy))
        {
            assertEquals(32, recovered.logEndOffset());
            final List<LogFixtures.Stored> records = readAll(recovered, 0);
            for (int i = 0; i < 30; i++)
            {
                assertEquals(new LogFixtures.Stored(2 + i, 10 + i, "k" + i, "v" + i), records.get(2 + i));
            }
            assertEquals(List.of(2, 30), batchSizes(recovered, 0), "sealed where it lay, as one batch");
            assertEquals(new TimestampOffset(39, 31), recovered.maxTimestamp());
            final List<RecoveryReport.Truncation> truncations = recovered.recoveryReport().truncations();
            assertEquals(1, truncations.size(), "only the zeros of the room are cut: " + truncations);
            assertEquals(32, truncations.get(0).firstDroppedOffset());
            assertEquals(32, recovered.appendRecord(50, null, bytes("after")), "appends go on after the sealed batch");
        }
    }

    @Test
    void aRecordHalfWrittenPastTheOpenBatchIsCutAndTheRecordsWithinItsLengthKept() throws IOException
    {
        final Path copy = Files.createDirectory(dir.resolve("after-crash"));
        final Path live = Files.createDirectory(dir.resolve("live"));
        final long batchEnd;
        try (SegmentedLog log = open(live))
        {
            for (int i = 0; i < 5; i++)
            {
                log.appendRecord(i, null, bytes("v" + i));
            }
            copyFiles(live, copy);
            batchEnd = openBatchEnd(copy.resolve(Segment.fileName(0)));
        }
        // The bytes of a sixth record, written before the kill came and the length moved over them.
        try (FileChannel channel = FileChannel.open(copy.resolve(Segment.fileName(0)), StandardOpenOption.WRITE))
        {
            channel.write(ByteBuffer.wrap(new byte[] {20, 0, 10, 10, 1, 5, 'v', '5'}), batchEnd);
        }
        try (SegmentedLog recovered = open(copy))
        {
            assertEquals(5, recovered.logEndOffset());
            assertEquals(List.of("v0", "v1", "v2", "v3", "v4"), readAll(recovered, 0).stream().map(LogFixtures.Stored::value).toList());
            assertEquals(batchEnd, recovered.recoveryReport().truncations().get(0).validBytes());
        }
    }

    @Test
    void anOpenBatchWhoseRecordsDoNotFillItsLengthIsCutAsCorrupt() throws IOException
    {
        final Path copy = Files.createDirectory(dir.resolve("after-crash"));
        final Path live = Files.createDirectory(dir.resolve("live"));
        try (SegmentedLog log = open(live))
        {
            log.append(batchOf("b", 2, 1));
            log.appendRecord(5, null, bytes("v0"));
            log.appendRecord(6, null, bytes("v1"));
            copyFiles(live, copy);
        }
        final Path file = copy.resolve(Segment.fileName(0));
        final long sealedEnd = lastBatchEnd(file);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            // The open batch's length says one byte more than its records take.
            final ByteBuffer length = ByteBuffer.allocate(4);
            channel.read(length, sealedEnd + LENGTH_OFFSET);
            channel.write(ByteBuffer.allocate(4).putInt(0, length.getInt(0) + 1), sealedEnd + LENGTH_OFFSET);
        }
        try (SegmentedLog recovered = open(copy))
        {
            assertEquals(2, recovered.logEndOffset(), "the damaged open batch is dropped, the batch before it kept");
            final RecoveryReport.Truncation cut = recovered.recoveryReport().truncations().get(0);
            assertEquals(sealedEnd, cut.validBytes());
            assertTrue(cut.reason().contains("open batch"), cut.reason());
        }
    }

    @Test
    void aDamagedAttributeByteThatSetsTheOpenFlagIsCutNotSealed() throws IOException
    {
        try (SegmentedLog log = open(dir))
        {
            log.append(batchOf("a", 2, 1));
            log.append(batchOf("b", 3, 1));
        }
        final Path file = dir.resolve(Segment.fileName(0));
        final long secondBatch;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            final ByteBuffer firstLength = ByteBuffer.allocate(4);
            channel.read(firstLength, LENGTH_OFFSET);
            secondBatch = LOG_OVERHEAD + firstLength.getInt(0);
            final ByteBuffer high = ByteBuffer.allocate(1);
            channel.read(high, secondBatch + ATTRIBUTES_OFFSET);
            // the open flag and an unused bit beside it: not what an interrupted seal leaves
            channel.write(ByteBuffer.wrap(new byte[] {(byte)(high.get(0) ^ 0x41)}), secondBatch + ATTRIBUTES_OFFSET);
        }
        try (SegmentedLog recovered = open(dir))
        {
            assertEquals(2, recovered.logEndOffset());
            assertEquals(secondBatch, recovered.recoveryReport().truncations().get(0).validBytes());
        }
    }

    @Test
    void aProducedBatchWithTheOpenFlagIsRefusedAndWritesNothing()
    {
        try (SegmentedLog log = open(dir))
        {
            // A batch that passes every other check: the flag set, and the CRC computed over it.
            final ByteBuffer flagged = batchOf("b", 1, 1);
            flagged.putShort(ATTRIBUTES_OFFSET, (short)(flagged.getShort(ATTRIBUTES_OFFSET) | OPEN_FLAG_MASK));
            final CRC32C crc = new CRC32C();
            crc.update(flagged.duplicate().position(ATTRIBUTES_OFFSET));
            flagged.putInt(CRC_OFFSET, (int)crc.getValue());
            new RecordBatch().wrap(flagged, 0).validate(flagged.remaining(), Integer.MAX_VALUE);
            final CorruptRecordException refused = assertThrows(CorruptRecordException.class, () -> log.append(flagged));
            assertTrue(refused.getMessage().contains("bit 14"), refused.getMessage());
            assertEquals(0, log.logEndOffset());
        }
    }

    @Test
    void noBatchOutgrowsMaxMessageBytes()
    {
        try (SegmentedLog log = SegmentedLog.open(TP, dir, LogConfig.DEFAULTS.withOverrides(Map.of(LogConfig.MAX_MESSAGE_BYTES, "1000")), clock))
        {
            for (int i = 0; i < 50; i++)
            {
                log.appendRecord(i, null, new byte[100]);
            }
            final List<Integer> sizes = batchSizes(log, 0);
            assertEquals(50, sizes.stream().mapToInt(Integer::intValue).sum());
            assertTrue(sizes.stream().allMatch(count -> 61 + count * 108 <= 1000), "each batch within 1000 bytes: " + sizes);
            assertTrue(sizes.get(0) > 1, "records still share batches: " + sizes);
        }
    }

    @Test
    void aFlushForcesTheRecordsOfTheOpenBatch()
    {
        try (SegmentedLog log = open(dir))
        {
            log.appendRecord(1, null, bytes("a"));
            log.flush();
            final Segment active = log.activeSegment();
            assertFalse(active.hasUnflushed());
            log.appendRecord(2, null, bytes("b")); // into the open batch
            assertTrue(active.hasUnflushed(), "the record in the open batch waits for the next flush");
            log.flush();
            assertFalse(active.hasUnflushed());
        }
    }

    @Test
    void aReaderFollowingTheAppenderFindsEveryRecordTheLogEndOffsetPromises() throws Exception
    {
        final int records = 20_000;
        try (SegmentedLog log = open(dir))
        {
            final Thread appender = new Thread(() ->
            {
                for (int i = 0; i < records; i++)
                {
                    log.appendRecord(i, null, bytes("v" + i));
                }
            });
            appender.start();
            final List<LogFixtures.Stored> read = new ArrayList<>();
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            long next = 0;
            while (next < records)
            {
                assertTrue(System.nanoTime() < deadline, "the reader stalled at " + next);
                final long end = log.logEndOffset();
                if (next == end)
                {
                    Thread.onSpinWait();
                    continue;
                }
                final long after = LogFixtures.readOnce(log, next, 1 << 16, read);
                assertTrue(after > next, "offset " + next + " is below the log end " + end + " yet reads nothing");
                next = after;
            }
            for (int i = 0; i < records; i++)
            {
                assertEquals(new LogFixtures.Stored(i, i, null, "v" + i), read.get(i));
            }
            appender.join();
        }
    }

    private static long openBatchEnd(final Path file) throws IOException
    {
        final ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file));
        assertTrue((bytes.getShort(ATTRIBUTES_OFFSET) & OPEN_FLAG_MASK) != 0, "the file's only batch is open");
        return LOG_OVERHEAD + bytes.getInt(LENGTH_OFFSET);
    }

    private static void copyFiles(final Path from, final Path to) throws IOException
    {
        try (Stream<Path> files = Files.list(from))
        {
            for (final Path file : files.toList())
            {
                Files.copy(file, to.resolve(file.getFileName()));
            }
        }
    }
}
