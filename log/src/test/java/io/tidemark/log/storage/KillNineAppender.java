package io.tidemark.log.storage;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import io.tidemark.log.AppendResult;
import io.tidemark.log.LogConfig;
import io.tidemark.log.TopicPartition;
import io.tidemark.log.record.RecordBatchBuilder;
import org.agrona.concurrent.SystemEpochClock;

/**
 * The child process of {@link KillNineRecoveryTest}: opens a log with flush-every-write and
 * appends batches forever, printing {@code ACK <last offset>} after each append returns. The
 * value of the record at offset n is {@code "v" + n}, so the parent can check every record.
 */
public final class KillNineAppender
{
    private KillNineAppender()
    {
    }

    /**
     * @param args the partition directory, and a seed for the batch sizes.
     */
    public static void main(final String[] args)
    {
        final Map<String, String> config = Map.of(LogConfig.FLUSH_MESSAGES, "1", LogConfig.SEGMENT_BYTES, "65536",
            LogConfig.INDEX_INTERVAL_BYTES, "1024");
        final SegmentedLog log = SegmentedLog.open(new TopicPartition("crash", 0), Path.of(args[0]),
            LogConfig.DEFAULTS.withOverrides(config), SystemEpochClock.INSTANCE);
        System.out.println("OPEN " + log.logEndOffset());
        System.out.flush();
        final java.util.Random random = new java.util.Random(Long.parseLong(args[1]));
        final ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
        final RecordBatchBuilder builder = new RecordBatchBuilder();
        while (true)
        {
            final long next = log.logEndOffset();
            final int count = 1 + random.nextInt(20);
            builder.begin(buffer, 0, buffer.capacity());
            for (int i = 0; i < count; i++)
            {
                builder.append(System.currentTimeMillis(), null, ("v" + (next + i)).getBytes(StandardCharsets.UTF_8));
            }
            buffer.clear().limit(builder.finish());
            final AppendResult result = log.append(buffer);
            System.out.println("ACK " + result.lastOffset());
            System.out.flush();
        }
    }
}
