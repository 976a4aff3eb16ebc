package io.tidemark.log.storage;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

import com.sun.management.UnixOperatingSystemMXBean;

/**
 * A budget of open segment files shared by the logs of a data directory, so that a directory
 * with any number of partitions opens whatever the process's descriptor limit. Kafka keeps
 * every segment file open; here a segment's log file is opened on first use and, once more
 * files than the budget are open, the pool closes one that nobody is using and that was not
 * used since the sweep last passed it (the clock approximation of least recently used). The
 * next use opens it again.
 *
 * <p>Only log files count: index and snapshot files are read and written whole and keep no
 * descriptor, and a memory map of a log file outlives its channel. Files in use are never
 * closed, so when more are in use at once than the budget allows, the pool goes over it until
 * they are released rather than fail, and trims back to it then.
 */
public final class ChannelPool
{
    /** The fewest files a default budget allows, whatever the descriptor limit. */
    private static final int MIN_DEFAULT_BUDGET = 64;
    private static final Path PROC_LIMITS = Path.of("/proc/self/limits");
    private static final String PROC_OPEN_FILES = "Max open files";

    private final int maxOpenFiles;
    private SegmentFile[] open = new SegmentFile[16];
    private int count;
    private int hand;
    private long opens;
    /** True while more files are open than the budget: the next release of a use trims. */
    private volatile boolean overBudget;

    /**
     * @param maxOpenFiles how many segment files may be open at once, at least 1.
     */
    public ChannelPool(final int maxOpenFiles)
    {
        if (maxOpenFiles < 1)
        {
            throw new IllegalArgumentException("the budget of open segment files must be at least 1, not " + maxOpenFiles);
        }
        this.maxOpenFiles = maxOpenFiles;
    }

    /**
     * A quarter of the process's descriptor limit: the rest stays for sockets, index and
     * snapshot writes, and the libraries. With the limit unknown (not a Unix system), 1024.
     *
     * @return the default budget of open segment files.
     */
    public static int defaultMaxOpenFiles()
    {
        final long limit = descriptorLimit();
        return limit < 0 ? 1024 : (int)Math.max(MIN_DEFAULT_BUDGET, Math.min(Integer.MAX_VALUE, limit / 4));
    }

    /**
     * The process's (soft) limit of open descriptors: read from {@code /proc/self/limits} where
     * there is one, since the management bean that also knows it reads the container's cgroup
     * files when first made (tens of milliseconds of a server's start); else from that bean.
     *
     * @return the limit, or -1 if unknown.
     */
    static long descriptorLimit()
    {
        try
        {
            for (final String line : Files.readAllLines(PROC_LIMITS, StandardCharsets.US_ASCII))
            {
                if (line.startsWith(PROC_OPEN_FILES))
                {
                    final String soft = line.substring(PROC_OPEN_FILES.length()).strip().split("\\s+")[0];
                    return "unlimited".equals(soft) ? Long.MAX_VALUE : Long.parseLong(soft);
                }
            }
        }
        catch (final IOException | NumberFormatException e)
        {
            // No such file (not Linux) or an unexpected layout: the bean knows.
        }
        return ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix ? unix.getMaxFileDescriptorCount() : -1;
    }

    /**
     * @return how many segment files are open now.
     */
    public synchronized int openFiles()
    {
        return count;
    }

    /**
     * @return how many times a segment file was opened, first opens and reopens after the
     *         pool closed it.
     */
    public synchronized long opens()
    {
        return opens;
    }

    /** Opens {@code file} for a use (pinned), unless another thread just did, closing an idle one if the budget is spent. */
    synchronized void open(final SegmentFile file) throws IOException
    {
        if (file.pinIfOpen())
        {
            return;
        }
        if (file.isRetired())
        {
            throw new ClosedChannelException();
        }
        while (count >= maxOpenFiles && closeOne())
        {
            // each round closes one file
        }
        final FileChannel channel = FileChannel.open(file.path(), StandardOpenOption.READ, StandardOpenOption.WRITE);
        opens++;
        if (count == open.length)
        {
            open = Arrays.copyOf(open, count * 2);
        }
        file.slot = count;
        open[count++] = file;
        overBudget = count > maxOpenFiles;
        file.opened(channel);
    }

    /**
     * Renames {@code file} under the lock {@link #open} takes, so that no reopening reads its
     * name between the rename and the new name.
     */
    synchronized void move(final SegmentFile file, final Path target) throws IOException
    {
        file.rename(target);
    }

    /** @return true if a use just ended should call {@link #trim()}. */
    boolean overBudget()
    {
        return overBudget;
    }

    /** Closes idle files until the budget holds again, after uses that held more open have ended. */
    synchronized void trim()
    {
        while (count > maxOpenFiles && closeOne())
        {
            // each round closes one file
        }
        overBudget = count > maxOpenFiles;
    }

    /** Forgets a file closed for good. */
    synchronized void forget(final SegmentFile file)
    {
        if (file.slot >= 0)
        {
            remove(file.slot);
        }
    }

    /**
     * Sweeps the open files from the hand: a pinned one stays, a recently used one loses its
     * mark and stays, the first other one is closed. Two turns find one unless all are pinned.
     *
     * @return true if a file was closed.
     */
    private boolean closeOne()
    {
        for (int step = 0; step < 2 * count; step++)
        {
            if (hand >= count)
            {
                hand = 0;
            }
            final SegmentFile candidate = open[hand];
            if (!candidate.isPinned())
            {
                if (candidate.referenced)
                {
                    candidate.referenced = false;
                }
                else if (candidate.closeIfIdle())
                {
                    remove(hand);
                    return true;
                }
            }
            hand++;
        }
        return false;
    }

    private void remove(final int slot)
    {
        final SegmentFile removed = open[slot];
        final SegmentFile last = open[--count];
        open[slot] = last;
        last.slot = slot;
        open[count] = null;
        removed.slot = -1;
    }
}
