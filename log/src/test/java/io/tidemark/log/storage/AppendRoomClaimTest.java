package io.tidemark.log.storage;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.tidemark.log.LogConfig;
import io.tidemark.log.TopicPartition;
import org.agrona.concurrent.SystemEpochClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A call appending batches past the room made ahead, while the pretoucher has a window to make
 * that ends inside them: its map must not cut the file under the batches' write.
 */
class AppendRoomClaimTest
{
    /** Long enough for the race to show within a few hundred rounds when the write is not claimed. */
    private static final long RUN_NS = 8_000_000_000L;

    @TempDir
    Path dir;

    @Test
    void batchesPastTheRoomMadeAheadAreNotCutByThePretouchersMap() throws Exception
    {
        final LogConfig config = LogConfig.DEFAULTS.withOverrides(Map.of(LogConfig.SEGMENT_BYTES, String.valueOf(256 << 20)));
        final List<SegmentedLog> logs = new ArrayList<>();
        try
        {
            for (int i = 0; i < 6; i++)
            {
                logs.add(SegmentedLog.open(new TopicPartition("race", i), dir.resolve("p" + i), config, SystemEpochClock.INSTANCE));
            }
            // three batches of about 600 KB: more than the 1 MiB window the pretoucher makes
            final ByteBuffer template = LogFixtures.batchesOf("v", 3, 30_000, 1);
            final ByteBuffer batches = ByteBuffer.allocate(template.remaining());
            final long deadline = System.nanoTime() + RUN_NS;
            int round = 0;
            while (System.nanoTime() < deadline)
            {
                round++;
                for (final SegmentedLog log : logs)
                {
                    // two single records: the second asks the pretoucher for the next window
                    log.appendRecord(1, null, new byte[50]);
                    log.appendRecord(1, null, new byte[50]);
                    batches.clear();
                    batches.put(template.duplicate()).flip();
                    log.append(batches);
                    final Segment active = log.activeSegment();
                    final long length = Files.size(active.file());
                    if (length < active.size())
                    {
                        fail("round " + round + ": the active segment's file holds " + length + " bytes, its published size is " + active.size());
                    }
                }
            }
            assertTrue(round > 0);
        }
        finally
        {
            for (final SegmentedLog log : logs)
            {
                log.close();
            }
        }
    }
}
