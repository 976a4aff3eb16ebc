package io.tidemark.log.storage;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.tidemark.log.AppendResult;
import io.tidemark.log.LogConfig;
import io.tidemark.log.TopicPartition;
import io.tidemark.log.record.RecordBatchBuilder;
import org.agrona.concurrent.SystemEpochClock;

/**
 * The child JVM of {@link CrashRecoveryTest}: opens a log with {@code flush.messages=1}, works
 * out from its last record which sequence number comes next, then appends batches of random
 * sizes forever, printing one {@code ACK} line per append after it returns. It never exits on
 * its own: the parent kills it with SIGKILL (or it halts when its stdin closes, so that it
 * cannot outlive a dead parent).
 *
 * <p>Output, one line each, flushed at once:
 * <pre>
 *   OPEN &lt;log end offset&gt; &lt;next sequence&gt; &lt;truncations in the recovery report&gt;
 *   ACK &lt;first offset&gt; &lt;last offset&gt; &lt;last sequence&gt;
 * </pre>
 */
public final class AppendingChild
{
    static final TopicPartition TP = new TopicPartition("crash", 0);
    static final int SEGMENT_BYTES = 32 * 1024;

    private AppendingChild()
    {
    }

    /** Flush every write, small segments so that the test rolls many times, dense indexes. */
    static LogConfig config()
    {
        return LogConfig.DEFAULTS.withOverrides(Map.of(
            LogConfig.FLUSH_MESSAGES, "1",
            LogConfig.SEGMENT_BYTES, Integer.toString(SEGMENT_BYTES),
            LogConfig.INDEX_INTERVAL_BYTES, "1024"));
    }

    /** The value of the record with sequence number {@code sequence}: the number, then padding. */
    static String value(final long sequence)
    {
        return "seq-" + sequence + ":" + "x".repeat((int)(sequence % 97));
    }

    /** The sequence number a {@link #value} encodes. */
    static long sequenceOf(final String value)
    {
        if (value == null || !value.startsWith("seq-") || value.indexOf(':') < 0)
        {
            throw new IllegalStateException("not a value of this test: " + value);
        }
        return Long.parseLong(value.substring(4, value.indexOf(':')));
    }

    /**
     * @param args the partition directory, a seed for the batch sizes, the largest batch.
     */
    public static void main(final String[] args) throws IOException
    {
        final Path dir = Path.of(args[0]);
        final Random random = new Random(Long.parseLong(args[1]));
        final int maxBatch = Integer.parseInt(args[2]);
        final PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);

        ParentWatchdog.start();

        final SegmentedLog log = SegmentedLog.open(TP, dir, config(), SystemEpochClock.INSTANCE);
        final long end = log.logEndOffset();
        long nextSequence = 0;
        if (end > log.logStartOffset())
        {
            final List<LogFixtures.Stored> last = LogFixtures.readAll(log, end - 1);
            nextSequence = sequenceOf(last.get(last.size() - 1).value()) + 1;
        }
        out.println("OPEN " + end + " " + nextSequence + " " + log.recoveryReport().truncations().size());
        out.flush();

        final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        final RecordBatchBuilder builder = new RecordBatchBuilder();
        while (true)
        {
            final int count = 1 + random.nextInt(maxBatch);
            builder.begin(buffer, 0, buffer.capacity());
            for (int i = 0; i < count; i++)
            {
                final long sequence = nextSequence + i;
                if (!builder.append(System.currentTimeMillis(), ("k" + sequence).getBytes(StandardCharsets.UTF_8),
                    value(sequence).getBytes(StandardCharsets.UTF_8)))
                {
                    throw new IllegalStateException("batch buffer too small");
                }
            }
            buffer.clear().limit(builder.finish());
            final AppendResult result = log.append(buffer);
            nextSequence += count;
            out.println("ACK " + result.firstOffset() + " " + result.lastOffset() + " " + (nextSequence - 1));
            out.flush();
        }
    }
}
