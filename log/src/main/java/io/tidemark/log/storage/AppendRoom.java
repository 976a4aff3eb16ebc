package io.tidemark.log.storage;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

import org.agrona.IoUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The room past the last batch of the active segment where the log builds single records in
 * place ({@link Segment#reserve}): zeros written to the file ahead of the end, and a writable
 * shared map over them, one window at a time.
 *
 * <p>The zeros allocate the file's blocks, so a full disk fails an append as an
 * {@link IOException} instead of faulting the process when the map touches an unallocated
 * block. Zeros past the end are what recovery cuts as a torn tail after a crash, and what
 * {@link #release} cuts when the segment is sealed: room never changes what recovery keeps.
 *
 * <p>The next window is made ready off the appending thread, by one daemon thread the
 * process's logs share (the pretoucher): as soon as the appender starts on a window, the
 * pretoucher writes the zeros of the next, maps it and touches each of its pages, so the
 * appender meets neither the write of the zeros, nor the map call, nor the page faults of first
 * touch. It touches a page with a compare-and-set of one of its ints from 0 to 0: a write, so
 * the kernel maps the page writable, that changes no byte, not even one the appender wrote a
 * moment before through its own map of the same page. When the appender runs out of its window
 * before the next is ready, it maps what the pretoucher has zeroed so far, if that is enough,
 * rather than wait for a thread that may be off the CPU; else it waits for the pretoucher's
 * work in progress or makes a small window itself.
 *
 * <p>Only the log's appender calls {@link #reserve}, {@link #claim}, {@link #unclaim} and
 * {@link #release}, under the log's lock. {@code work} serialises what writes or maps the end of
 * the file (the pretoucher, the appender making room itself, a batch appended by {@code pwrite}
 * from its claim to its unclaim); {@code this} guards the handoff of requests and windows. Lock
 * order: {@code work}, then {@code this}. No map ever extends the file: {@code FileChannel.map}
 * grows a file it finds shorter than the map by truncating it to the map's end, which would cut
 * a batch written beside it, and would leave a hole a full disk faults on.
 */
final class AppendRoom
{
    /** The size of a window the pretoucher makes ready: one map, one zeroing and one touch of 256 pages per about 9,000 small records. */
    static final int STEP = 1 << 20;
    /** The window the appender makes itself when none is ready: small, so that the wait is short; the pretoucher makes the next at once. */
    static final int FIRST_STEP = 64 * 1024;
    /**
     * The most windows left mapped until the seal: about a default segment's worth, and a
     * bound on the maps a partition written by single records holds (Linux allows a process
     * {@code vm.max_map_count}, 65,530 by default).
     */
    static final int LEFT_KEPT = 1024;
    /**
     * How far before the end of the appender's window the next one starts: a batch of up to
     * this many bytes that does not fit the end of one window fits the next; a larger one waits
     * for a window of its own.
     */
    static final int OVERLAP = 64 * 1024;
    /** The smallest page size: touching each 4 KiB also touches every page of any larger size. */
    private static final int PAGE = 4096;
    /** Written, never changed, to make room at the end of the file: its blocks are allocated then, not when a map touches them. */
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(64 * 1024).asReadOnlyBuffer();
    /** Between two warnings about a window the pretoucher failed to make ready. */
    private static final long WARN_INTERVAL_NS = TimeUnit.MINUTES.toNanos(1);
    private static final Logger LOG = LoggerFactory.getLogger(AppendRoom.class);
    private static final AtomicLong PREPARE_FAILURES = new AtomicLong();
    private static final AtomicLong LAST_WARN_NS = new AtomicLong(System.nanoTime() - WARN_INTERVAL_NS);
    private static final VarHandle INTS = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());
    private static final ExecutorService PRETOUCHER = Executors.newSingleThreadExecutor(task ->
    {
        final Thread thread = new Thread(task, "tidemark-pretoucher");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * Whether windows can be unmapped when they are left ({@link #unmap}): Agrona does it with
     * the JDK's internal {@code Unsafe}, which a JVM started without
     * {@code --add-exports=java.base/jdk.internal.misc=ALL-UNNAMED} refuses. Without it, the
     * garbage collector unmaps them, later.
     */
    private static final boolean EXPLICIT_UNMAP = explicitUnmapWorks();

    private final SegmentFile file;
    private final ReentrantLock work = new ReentrantLock();
    private final Runnable prepare = this::prepare;

    /** The appender's window: a map of the file from {@link #mapStart}; null until the first reserve. */
    private MappedByteBuffer map;
    private int mapStart;
    /** The size at which the appender asks for the next window (at once, or never); appender only. */
    private int prepareAt = Integer.MAX_VALUE;

    /**
     * How far zeros reach past the segment's batches (the file's length while room exists), else
     * 0; written under {@code work}, read without it by an appender that does not wait for the pretoucher.
     */
    private volatile int zeroedEnd;
    /** A window the pretoucher made ready, from {@link #readyStart}; guarded by this. */
    private MappedByteBuffer ready;
    private int readyStart;
    /** The window asked for, {@code [wantFrom, wantTo)}; guarded by this. */
    private int wantFrom;
    private int wantTo;
    /** True while a request waits in the pretoucher's queue; guarded by this. */
    private boolean queued;
    /**
     * Windows the appender left, oldest first, unmapped when the segment is sealed, before it
     * is forced, or by the pretoucher once there are more than {@link #LEFT_KEPT}; guarded by
     * this. Unmapping as the appender goes slowed single-record appends by a tenth here, from
     * whichever thread: each unmap interrupts every core running the process to flush its TLB.
     */
    private final ArrayDeque<MappedByteBuffer> left = new ArrayDeque<>();
    /** True once the segment is sealed or abandoned: no more room is made; guarded by this. */
    private boolean stopped;

    AppendRoom(final SegmentFile file)
    {
        this.file = file;
    }

    /**
     * @param start the segment's size, where the batch goes.
     * @param capacity the most bytes the batch may take.
     * @param segmentBytes the size at which the log rolls: no room is made past it.
     * @return a map covering {@code capacity} bytes from {@code start}, which starts at {@link #mapStart()}.
     */
    ByteBuffer reserve(final int start, final int capacity, final int segmentBytes) throws IOException
    {
        final MappedByteBuffer current = map;
        if (current != null && start - mapStart + capacity <= current.capacity())
        {
            if (start >= prepareAt)
            {
                requestNext(start, segmentBytes);
            }
            return current;
        }
        return nextWindow(start, capacity, segmentBytes);
    }

    /** @return the file position where the map {@link #reserve} returned starts. */
    int mapStart()
    {
        return mapStart;
    }

    /**
     * Asks the pretoucher for the window after the appender's: from a little before its end, so
     * that a batch that no longer fits the current window starts inside the next, to
     * {@value #STEP} bytes past it.
     */
    private void requestNext(final int start, final int segmentBytes)
    {
        prepareAt = Integer.MAX_VALUE;
        final int end = mapStart + map.capacity();
        final int to = (int)Math.min((long)end + STEP, segmentBytes);
        if (to <= end)
        {
            return; // the segment rolls before it needs more
        }
        final int from = Math.max(start, (end - OVERLAP) / PAGE * PAGE);
        synchronized (this)
        {
            if (stopped)
            {
                return;
            }
            wantFrom = from;
            wantTo = to;
            if (!queued)
            {
                queued = true;
                PRETOUCHER.execute(prepare);
            }
        }
    }

    private ByteBuffer nextWindow(final int start, final int capacity, final int segmentBytes) throws IOException
    {
        if (!work.tryLock())
        {
            // The pretoucher is making the next window: rather than wait for all of it (its
            // thread may be off the CPU), map what it has zeroed so far, which no zeros will
            // touch again, and fault those pages here.
            final int zeroed = zeroedEnd;
            if (start + capacity <= zeroed)
            {
                return adopt(map(start, zeroed), start, Integer.MAX_VALUE);
            }
            work.lock();
        }
        try
        {
            MappedByteBuffer next;
            int nextStart;
            synchronized (this)
            {
                next = ready;
                nextStart = readyStart;
                ready = null;
            }
            if (next == null || nextStart > start || start + capacity > nextStart + next.capacity())
            {
                unmap(next);
                final long ahead = Math.min((long)start + FIRST_STEP, segmentBytes);
                final int end = (int)Math.min(Integer.MAX_VALUE, Math.max((long)start + capacity, ahead));
                next = mapZeros(start, end);
                nextStart = start;
            }
            // the pretoucher starts on the window after this one at the next append
            return adopt(next, nextStart, start);
        }
        finally
        {
            work.unlock();
        }
    }

    private ByteBuffer adopt(final MappedByteBuffer window, final int windowStart, final int nextPrepareAt)
    {
        if (map != null)
        {
            synchronized (this)
            {
                left.add(map);
            }
        }
        map = window;
        mapStart = windowStart;
        prepareAt = nextPrepareAt;
        return window;
    }

    /** The pretoucher's task: makes the window last asked for ready. */
    private void prepare()
    {
        work.lock();
        try
        {
            final int from;
            final int to;
            synchronized (this)
            {
                queued = false;
                if (stopped)
                {
                    return;
                }
                from = wantFrom;
                to = wantTo;
            }
            try
            {
                final MappedByteBuffer next = mapZeros(from, to);
                touch(next, from);
                synchronized (this)
                {
                    unmap(ready); // never taken: the appender asked for a later window since
                    ready = next;
                    readyStart = from;
                }
            }
            catch (final IOException | RuntimeException e)
            {
                // Nothing made ready: the appender makes the room itself and meets the same failure
                // (a full disk, a closed file) there, as its own; counted and warned about, at most
                // once a minute, so that a pretoucher failing on every window is seen.
                PREPARE_FAILURES.incrementAndGet();
                final long now = System.nanoTime();
                final long last = LAST_WARN_NS.get();
                if (now - last >= WARN_INTERVAL_NS && LAST_WARN_NS.compareAndSet(last, now))
                {
                    LOG.warn("The pretoucher failed to make room at the end of {} ({} failures so far)", file.path(), PREPARE_FAILURES.get(), e);
                }
            }
            for (MappedByteBuffer window = takeLeft(); window != null; window = takeLeft())
            {
                unmap(window);
            }
        }
        finally
        {
            work.unlock();
        }
    }

    /** @return the oldest window left if more than {@link #LEFT_KEPT} are, else null. */
    private synchronized MappedByteBuffer takeLeft()
    {
        return left.size() > LEFT_KEPT ? left.poll() : null;
    }

    /** Writes zeros from the end of those already written up to {@code to}, and maps {@code [from, to)}; under {@code work}. */
    private MappedByteBuffer mapZeros(final int from, final int to) throws IOException
    {
        final FileChannel channel = file.acquire();
        try
        {
            // zeroedEnd never passes the file's end; the bound keeps a map from growing the file should it ever
            long position = Math.max(from, Math.min(zeroedEnd, channel.size()));
            while (position < to)
            {
                position += channel.write(ZEROS.duplicate().limit((int)Math.min(ZEROS.capacity(), to - position)), position);
                zeroedEnd = (int)position; // so that sealing cuts them even if a later write fails (a full disk)
            }
        }
        finally
        {
            file.release();
        }
        return map(from, to);
    }

    /** Maps {@code [from, to)}, bytes the file already holds: never grows the file. */
    private MappedByteBuffer map(final int from, final int to) throws IOException
    {
        final FileChannel channel = file.acquire();
        try
        {
            final long length = channel.size();
            if (length < to)
            {
                throw new IOException("Room up to " + to + " asked of " + file.path() + ", which holds " + length + " bytes");
            }
            return channel.map(FileChannel.MapMode.READ_WRITE, from, to - from);
        }
        finally
        {
            file.release();
        }
    }

    /**
     * Touches every page of {@code window}, a map from file position {@code from}, for writing.
     * A map's address is as far from a page boundary as its file position, so file page
     * boundaries are the map's, and an int there is aligned for the compare-and-set.
     */
    private static void touch(final MappedByteBuffer window, final int from)
    {
        final int capacity = window.capacity();
        for (int at = (PAGE - from % PAGE) % PAGE; at + Integer.BYTES <= capacity; at += PAGE)
        {
            INTS.compareAndSet(window, at, 0, 0);
        }
    }

    private static boolean explicitUnmapWorks()
    {
        try
        {
            IoUtil.unmap(ByteBuffer.allocateDirect(1)); // frees a buffer of its own, through the same internal call
            return true;
        }
        catch (final LinkageError e)
        {
            LOG.warn("Windows of segment files are left to the garbage collector to unmap: the JVM lacks " +
                "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED ({})", e.toString());
            return false;
        }
    }

    /** @return true if the pretoucher made a window ready that the appender has not taken yet. */
    synchronized boolean readyAhead()
    {
        return ready != null;
    }

    /**
     * Takes the end of the file for a batch written there without the map: until
     * {@link #unclaim}, the pretoucher neither writes zeros nor maps. Always followed by
     * {@link #unclaim}, in a finally block.
     */
    void claim()
    {
        work.lock();
    }

    /**
     * Gives the end of the file back after a batch written there without the map.
     *
     * @param written how far the batch's bytes actually reach, written or not in full: zeros
     *        made afterwards start past them, never over them.
     */
    void unclaim(final int written)
    {
        try
        {
            if (zeroedEnd != 0 && written > zeroedEnd)
            {
                zeroedEnd = written;
            }
        }
        finally
        {
            work.unlock();
        }
    }

    /**
     * Queues a task on the pretoucher's thread, which runs its tasks one at a time in order: for
     * tests, to hold back the requests made meanwhile, or to wait for those made before.
     */
    static Future<?> onPretoucher(final Runnable task)
    {
        return PRETOUCHER.submit(task);
    }

    /** @return how many times the pretoucher failed to make a window ready, in this process. */
    static long prepareFailures()
    {
        return PREPARE_FAILURES.get();
    }

    /**
     * Stops making room, waiting for the pretoucher's work in progress, forgets the maps and
     * cuts the zeros written past {@code size}. Called again after a failed cut, it cuts again.
     *
     * @param size the end of the segment's batches.
     * @return true if zeros were cut.
     */
    boolean release(final int size) throws IOException
    {
        work.lock();
        try
        {
            stop();
            final boolean cut = zeroedEnd > size;
            if (cut)
            {
                final FileChannel channel = file.acquire();
                try
                {
                    channel.truncate(size);
                }
                finally
                {
                    file.release();
                }
            }
            zeroedEnd = 0;
            return cut;
        }
        finally
        {
            work.unlock();
        }
    }

    /** Stops making room, waiting for the pretoucher's work in progress, and forgets the maps, for a segment about to be deleted. */
    void discard()
    {
        work.lock();
        try
        {
            stop();
            zeroedEnd = 0;
        }
        finally
        {
            work.unlock();
        }
    }

    private void stop()
    {
        synchronized (this)
        {
            stopped = true;
            unmap(ready);
            ready = null;
            unmapLeft();
        }
        unmap(map);
        map = null;
    }

    /** Unmaps the windows the appender left; under this. */
    private void unmapLeft()
    {
        for (MappedByteBuffer window = left.poll(); window != null; window = left.poll())
        {
            unmap(window);
        }
    }

    /**
     * Unmaps a window no one uses any more, rather than leave it to the garbage collector: an
     * appender that allocates nothing would otherwise keep every window of every segment
     * mapped, up to the process's limit of maps, and forcing a sealed segment would
     * write-protect each page of them, which interrupts every core running the process to
     * flush its TLB, page by page. Only for a map this room made, that nothing reads again.
     */
    private static void unmap(final MappedByteBuffer window)
    {
        if (window != null && EXPLICIT_UNMAP)
        {
            IoUtil.unmap(window);
        }
    }
}
