package io.tidemark.log.storage;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The log file of one segment, open only while its {@link ChannelPool} has room for it. Every
 * use pins the channel ({@link #acquire}, then {@link #release}), so the pool never closes it
 * under a write, a read or a {@code sendfile} in progress; between uses the pool may close it,
 * and the next use opens it again.
 *
 * <p>A use that finds the channel open costs two atomic updates and no lock: the pin count is
 * also the open state ({@value #CLOSED} when closed), so pinning and closing race on one
 * compare-and-set.
 */
final class SegmentFile
{
    private static final int CLOSED = -1;

    /** Moved once, by {@link #moveTo}, when the log cleaner puts a cleaned file in this one's place. */
    private volatile Path path;
    private final ChannelPool pool;
    private final AtomicInteger pins = new AtomicInteger(CLOSED);
    private volatile FileChannel channel;
    private volatile boolean retired;
    /** Set on use, cleared by the pool's clock sweep: a file used since the last sweep stays open. Racy by design. */
    boolean referenced;
    /** Where the pool keeps this file among its open ones, or -1; guarded by the pool. */
    int slot = -1;

    SegmentFile(final Path path, final ChannelPool pool)
    {
        this.path = path;
        this.pool = pool;
    }

    Path path()
    {
        return path;
    }

    /**
     * Renames the file, for a segment the log cleaner replaced: an open channel reads on, and
     * a reopening after the pool closed it finds the old bytes under the new name, not the
     * cleaned file now at the old one. The rename and the new name are one step for the pool,
     * which opens files under the same lock: a reopening between the two would otherwise open
     * whatever the next rename put at the old name.
     *
     * @param target the new name.
     * @throws IOException if the rename fails; the file keeps its name.
     */
    void moveTo(final Path target) throws IOException
    {
        pool.move(this, target);
    }

    /** Called by the pool, under its lock: renames the file and takes the new name. */
    void rename(final Path target) throws IOException
    {
        Files.move(path, target, StandardCopyOption.ATOMIC_MOVE);
        path = target;
    }

    /**
     * Pins the channel, opening it if the pool had closed it.
     *
     * @return the open channel; do not close it, and call {@link #release} when done.
     * @throws ClosedChannelException if the segment was closed or deleted.
     * @throws IOException if the file cannot be opened (gone, or no descriptor left).
     */
    FileChannel acquire() throws IOException
    {
        if (!pinIfOpen())
        {
            pool.open(this);
        }
        if (retired)
        {
            release();
            throw new ClosedChannelException();
        }
        if (!referenced)
        {
            referenced = true;
        }
        return channel;
    }

    /** Ends a use begun by {@link #acquire}. */
    void release()
    {
        if (pins.decrementAndGet() == 0)
        {
            if (retired)
            {
                closeIfIdle();
            }
            else if (pool.overBudget())
            {
                pool.trim();
            }
        }
    }

    /** @return true if the channel was open and is now pinned once more. */
    boolean pinIfOpen()
    {
        int count = pins.get();
        while (count != CLOSED)
        {
            if (pins.compareAndSet(count, count + 1))
            {
                return true;
            }
            count = pins.get();
        }
        return false;
    }

    /** Called by the pool, under its lock, once it has opened the file for a use: pinned once. */
    void opened(final FileChannel opened)
    {
        channel = opened;
        pins.set(1);
    }

    boolean isRetired()
    {
        return retired;
    }

    boolean isPinned()
    {
        return pins.get() > 0;
    }

    /**
     * Closes the channel if it is open and nobody uses it.
     *
     * @return true if it was closed by this call.
     */
    boolean closeIfIdle()
    {
        if (!pins.compareAndSet(0, CLOSED))
        {
            return false;
        }
        final FileChannel open = channel;
        channel = null;
        try
        {
            open.close();
        }
        catch (final IOException e)
        {
            // Closing a file opened for reading and writing reports nothing worth acting on:
            // the descriptor is released either way.
        }
        return true;
    }

    /**
     * Closes the file for good: later uses fail, and the channel closes as soon as the uses
     * in progress end. Writes nothing.
     */
    void retire()
    {
        retired = true;
        pool.forget(this);
        closeIfIdle();
    }
}
