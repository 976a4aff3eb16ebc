package io.tidemark.log.storage;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.tidemark.log.LogConfig;
import io.tidemark.log.TopicPartition;
import io.tidemark.log.record.RecordBatchBuilder;
import org.agrona.concurrent.SystemEpochClock;

/**
 * The child JVM of {@link CleanerCrashTest}: opens a compacted log and, forever, appends one
 * round (one batch holding a value of every key), rolls, and runs a cleaning round, printing
 * {@code ACK <round>} after each append. The parent kills it with SIGKILL at any point of that
 * cycle; it halts when its stdin closes, so that it cannot outlive a dead parent.
 */
public final class CleaningChild
{
    static final TopicPartition TP = new TopicPartition("cleaned", 0);
    static final int KEYS = 50;

    private CleaningChild()
    {
    }

    /** Small segments, every append forced to disk, due for cleaning whenever anything is dirty. */
    static LogConfig config()
    {
        return LogConfig.DEFAULTS.withOverrides(Map.of(
            LogConfig.CLEANUP_POLICY, "compact",
            LogConfig.FLUSH_MESSAGES, "1",
            LogConfig.SEGMENT_BYTES, "4096",
            LogConfig.MIN_CLEANABLE_DIRTY_RATIO, "0",
            LogConfig.INDEX_INTERVAL_BYTES, "512"));
    }

    /** The value of key {@code key} in round {@code round}. */
    static String value(final long round, final int key)
    {
        return "round-" + round + "-key-" + key + "-" + "x".repeat(key % 13);
    }

    /** The round a {@link #value} was written in. */
    static long roundOf(final String value)
    {
        return Long.parseLong(value.substring(6, value.indexOf("-key-")));
    }

    /**
     * @param args the partition directory.
     */
    public static void main(final String[] args) throws IOException
    {
        final PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        ParentWatchdog.start();

        final SegmentedLog log = SegmentedLog.open(TP, Path.of(args[0]), config(), SystemEpochClock.INSTANCE);
        final List<LogFixtures.Stored> records = CompactionFixtures.readFromStart(log);
        long round = records.isEmpty() ? 0 : roundOf(records.get(records.size() - 1).value()) + 1;
        final ByteBuffer buffer = ByteBuffer.allocate(16 * 1024);
        final RecordBatchBuilder builder = new RecordBatchBuilder();
        while (true)
        {
            builder.begin(buffer.clear(), 0, buffer.capacity());
            for (int key = 0; key < KEYS; key++)
            {
                builder.append(System.currentTimeMillis(), ("key-" + key).getBytes(StandardCharsets.UTF_8),
                    value(round, key).getBytes(StandardCharsets.UTF_8));
            }
            log.append(buffer.limit(builder.finish()));
            out.println("ACK " + round);
            out.flush();
            log.roll();
            log.clean(System.currentTimeMillis());
            round++;
        }
    }
}
