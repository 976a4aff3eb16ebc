package io.tidemark.log.storage;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import io.tidemark.log.LogConfig;
import io.tidemark.log.TopicPartition;
import org.agrona.concurrent.SystemEpochClock;

/**
 * The child JVM of {@link PretouchCrashTest}: opens a log with the default configuration (one
 * large segment, flushing left to the OS), then appends single records with
 * {@code appendRecord} forever, so that the pretoucher keeps making room ahead of it. After
 * each {@value #ACK_EVERY} records it prints {@code ACK <last offset>}. It never exits on its
 * own: the parent kills it with SIGKILL (or it halts when its stdin closes).
 */
public final class SingleRecordChild
{
    static final TopicPartition TP = new TopicPartition("pretouch", 0);
    static final int ACK_EVERY = 1000;

    private SingleRecordChild()
    {
    }

    /** The value of the record at {@code offset}: the offset, then padding to about 100 bytes. */
    static String value(final long offset)
    {
        final String prefix = "seq-" + offset + ":";
        return prefix + "x".repeat(100 - prefix.length());
    }

    /**
     * @param args the partition directory.
     */
    public static void main(final String[] args)
    {
        final PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        ParentWatchdog.start();
        final SegmentedLog log = SegmentedLog.open(TP, Path.of(args[0]), LogConfig.DEFAULTS, SystemEpochClock.INSTANCE);
        for (long offset = log.logEndOffset(); ; offset++)
        {
            if (log.appendRecord(offset, null, value(offset).getBytes(StandardCharsets.UTF_8)) != offset)
            {
                throw new IllegalStateException("offset " + offset + " expected");
            }
            if ((offset + 1) % ACK_EVERY == 0)
            {
                out.println("ACK " + offset);
                out.flush();
            }
        }
    }
}
