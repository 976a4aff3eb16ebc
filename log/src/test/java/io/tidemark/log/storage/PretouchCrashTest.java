package io.tidemark.log.storage;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.tidemark.log.LogConfig;
import io.tidemark.log.RecoveryReport;
import io.tidemark.log.record.CorruptRecordException;
import io.tidemark.log.record.RecordBatch;
import org.agrona.concurrent.SystemEpochClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static io.tidemark.log.record.RecordBatchLayout.LENGTH_OFFSET;
import static io.tidemark.log.record.RecordBatchLayout.LOG_OVERHEAD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kills a child JVM ({@link SingleRecordChild}) with SIGKILL while it appends single records
 * and the pretoucher makes room ahead of it, then checks the file it left and the log
 * recovered from it: past the last batch (whole, or still open: single records grow one batch
 * in place) the file holds nothing but zeros (room made ahead never writes a byte there, only
 * the record the kill caught half built may), and recovery keeps every record within those
 * batches, sealing the open one, cuts the zeros, and appends go on after the cut.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PretouchCrashTest
{
    /** Enough records for several windows of room: about 170 bytes each on disk. */
    private static final long RECORDS_BEFORE_KILL = 30_000;
    /** The most bytes of one record's batch, which a kill may leave half built past the last whole one. */
    private static final int HALF_BUILT = 256;

    @TempDir
    Path dir;

    @Test
    void aKilledAppenderLeavesOnlyZerosPastItsLastBatchAndRecoveryKeepsEveryRecord() throws Exception
    {
        final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        final Path stderr = dir.resolve("child.err");
        final Path partition = dir.resolve("partition");
        final Process child = new ProcessBuilder(java, "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
            "-Xmx64m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
            SingleRecordChild.class.getName(), partition.toString())
            .redirectError(stderr.toFile())
            .start();
        long lastAck = -1;
        try
        {
            final BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            for (String line; lastAck < RECORDS_BEFORE_KILL && (line = lines.readLine()) != null; )
            {
                lastAck = Long.parseLong(line.split(" ")[1]);
            }
            assertTrue(lastAck >= RECORDS_BEFORE_KILL, () -> "the child stopped early: " + read(stderr));
            assertTrue(child.toHandle().destroyForcibly(), "SIGKILL sent");
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the child died");
            assertEquals(128 + 9, child.exitValue(), "killed, not exited");
        }
        finally
        {
            child.destroyForcibly();
        }

        final Path file = partition.resolve(Segment.fileName(0));
        final long fileSize = Files.size(file);
        final Scan scan = scan(file);
        assertTrue(fileSize > scan.end(), "room was made past the last batch: " + fileSize + " bytes, batches end at " + scan.end());

        try (SegmentedLog log = SegmentedLog.open(SingleRecordChild.TP, partition, LogConfig.DEFAULTS, SystemEpochClock.INSTANCE))
        {
            final long end = log.logEndOffset();
            assertTrue(end > lastAck, "every acknowledged record survived: end " + end + ", last ack " + lastAck);
            assertEquals(scan.nextOffset(), end, "every record within the batches, the open one included, survived: " + scan);
            final List<RecoveryReport.Truncation> truncations = log.recoveryReport().truncations();
            assertEquals(1, truncations.size(), truncations.toString());
            assertEquals(scan.end(), truncations.get(0).validBytes(), "cut right after the last batch");
            assertEquals(end, truncations.get(0).firstDroppedOffset());
            assertEquals(scan.end(), Files.size(file), "the zeros were cut");

            final List<LogFixtures.Stored> records = LogFixtures.readAll(log, 0); // checks every CRC
            assertEquals(end, records.size());
            for (int i = 0; i < records.size(); i++)
            {
                assertEquals(i, records.get(i).offset());
                assertEquals(SingleRecordChild.value(i), records.get(i).value(), "offset " + i);
            }
            assertEquals(end, log.appendRecord(0, null, new byte[1]), "appends go on after the cut");
        }
    }

    /**
     * Where the batches of a killed appender's file end, the offset after their last record, and
     * whether the last was still open: nearly always, though a kill between the seal of a full
     * batch and the next record's header leaves only whole ones, so it is reported, not asserted.
     */
    private record Scan(long end, long nextOffset, boolean open)
    {
    }

    /**
     * Walks the batches that pass their checks (CRC included), then the batch the appender was
     * still growing, if any (sealed on a copy, as recovery does), and checks that past them, and
     * past the one record the kill may have caught half built after them, every byte is zero.
     */
    private static Scan scan(final Path file) throws IOException
    {
        final ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file));
        final RecordBatch view = new RecordBatch();
        int position = 0;
        long nextOffset = 0;
        boolean open = false;
        while (!open && bytes.limit() - position >= LOG_OVERHEAD)
        {
            final int length = bytes.getInt(position + LENGTH_OFFSET);
            if (length <= 0 || position + LOG_OVERHEAD + length > bytes.limit())
            {
                break;
            }
            try
            {
                view.wrap(bytes, position);
                if (view.isOpen())
                {
                    final ByteBuffer copy = ByteBuffer.allocate(LOG_OVERHEAD + length).put(bytes.duplicate().position(position).limit(position + LOG_OVERHEAD + length));
                    view.wrap(copy, 0).sealOpen(copy.capacity());
                    open = true;
                }
                view.validate(LOG_OVERHEAD + length, Integer.MAX_VALUE);
            }
            catch (final CorruptRecordException torn)
            {
                break;
            }
            nextOffset = view.lastOffset() + 1;
            position += LOG_OVERHEAD + length;
        }
        for (int i = position + HALF_BUILT; i < bytes.limit(); i++)
        {
            if (bytes.get(i) != 0)
            {
                throw new AssertionError("byte " + i + " past the last batch (at " + position + ") is " + bytes.get(i) + ", not zero");
            }
        }
        return new Scan(position, nextOffset, open);
    }

    private static String read(final Path file)
    {
        try
        {
            return Files.exists(file) ? Files.readString(file) : "(none)";
        }
        catch (final IOException e)
        {
            return "(unreadable: " + e + ")";
        }
    }
}
