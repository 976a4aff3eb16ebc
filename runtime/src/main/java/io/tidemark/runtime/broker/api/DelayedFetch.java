package io.tidemark.runtime.broker.api;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import io.tidemark.log.TopicPartition;
import io.tidemark.runtime.broker.PartitionWatchers;
import io.tidemark.runtime.broker.Request;
import org.apache.kafka.common.protocol.ApiMessage;

/**
 * A fetch that found fewer than its minimum and waits: it watches its partitions and answers
 * when enough has been appended to them or when its wait is up, with whatever there is then.
 *
 * <p>An append does not re-read the log: the appending thread adds the appended bytes to what
 * the last read found, and only when that reaches the minimum does the fetch read again, on
 * its event loop. Below the minimum the fetch registers again for the partition's next
 * append, a constant cost per append and waiter. The count is an upper bound (a partition's
 * limit or a duplicate batch may give the read less); a read that still finds too little
 * starts counting afresh from what it found. A read-committed fetch does not count: appends
 * above the last stable offset give it nothing, and a marker that moves the last stable offset
 * may give it a whole transaction, so it reads again at every append or marker (the
 * transaction coordinator reports its markers to the watchers, as appends). Reading again
 * below the minimum just registers again.
 *
 * <p>Between the read that found too little and the registration an append may slip through
 * unseen; so after registering, the end offsets are compared with those the read saw, and a
 * difference reads again at once. The read, the registrations of a whole pass and the answer
 * run on the event loop; the appending thread only counts, registers one partition again, and
 * schedules the read, unless the append ran on this fetch's own event loop: then the fetch is
 * answered at once, before the producer's acknowledgement, so the consumer waiting for the
 * record is woken first.
 *
 * <p>The future may be cancelled (the connection closed): the fetch then stops its timer and
 * leaves every partition's watch, holding nothing.
 */
final class DelayedFetch implements PartitionWatchers.Waiter
{
    /** Reads the fetch's partitions again (a session's, or the request's). */
    private final Supplier<FetchPass> reader;
    private final PartitionWatchers watchers;
    private final Request request;
    private final int minBytes;
    /** A read-committed fetch does not count appends: see {@link #dataArrived}. */
    private final boolean readCommitted;
    private final CompletableFuture<ApiMessage> result = new CompletableFuture<>();
    /** Waiting for appends; false while a read is scheduled or running, and once answered. */
    private final AtomicBoolean armed = new AtomicBoolean();
    /** Bytes appended to the watched partitions since the last read, counted by the appenders. */
    private final AtomicLong arrived = new AtomicLong();
    private final ScheduledFuture<?> timeout;
    /** What the last read found, read by the appending threads. */
    private volatile int lastBytes;
    private FetchPass last;

    /**
     * @param reader reads the fetch's partitions again.
     * @param readCommitted whether the fetch is read-committed.
     * @param first what the first read found, too little.
     * @param minBytes the minimum to wait for, already capped so the fetch's limits allow it.
     * @param maxWaitMs how long to wait, already capped.
     */
    DelayedFetch(final Supplier<FetchPass> reader, final PartitionWatchers watchers, final Request request, final boolean readCommitted,
        final FetchPass first, final int minBytes, final int maxWaitMs)
    {
        this.reader = reader;
        this.watchers = watchers;
        this.request = request;
        this.minBytes = minBytes;
        this.readCommitted = readCommitted;
        this.timeout = request.eventLoop().schedule(this::expire, maxWaitMs, TimeUnit.MILLISECONDS);
        // Completed, expired or cancelled, always on the event loop: let go of everything.
        result.whenComplete((response, failure) -> release());
        arm(first);
    }

    CompletableFuture<ApiMessage> result()
    {
        return result;
    }

    private void arm(final FetchPass pass)
    {
        last = pass;
        lastBytes = pass.bytes();
        arrived.set(0);
        final Watches watches = pass.watches();
        for (int i = 0; i < watches.size(); i++)
        {
            watchers.watch(watches.partition(i), this);
        }
        armed.set(true);
        if (watches.grewSince() && armed.compareAndSet(true, false))
        {
            request.eventLoop().execute(this::retry);
        }
    }

    @Override
    public void dataArrived(final TopicPartition partition, final int bytes, final long append)
    {
        if (!armed.get())
        {
            // A read is coming; it sees this append or, registering again, notices it.
            return;
        }
        // A read-committed fetch reads again at every append and marker of its partitions: the
        // bytes of an open transaction do not count towards its minimum until a marker, which
        // appends few bytes, releases them all.
        if (!readCommitted && lastBytes + arrived.addAndGet(bytes) < minBytes)
        {
            // An append between the one waking this fetch and the registration woke nobody
            // here and went uncounted: then read now rather than wait for the next one.
            final boolean missedOne = watchers.watch(partition, this) != append;
            if (result.isDone())
            {
                // Answered meanwhile, and its watches already left: leave no stale one behind.
                watchers.unwatch(partition, this);
                return;
            }
            if (!missedOne)
            {
                return;
            }
        }
        if (armed.compareAndSet(true, false))
        {
            if (request.eventLoop().inEventLoop())
            {
                retry();
            }
            else
            {
                request.eventLoop().execute(this::retry);
            }
        }
    }

    private void retry()
    {
        if (result.isDone())
        {
            return;
        }
        leave();
        try
        {
            final FetchPass pass = reader.get();
            if (pass.bytes() >= minBytes || pass.failed())
            {
                answer(pass);
            }
            else
            {
                arm(pass);
            }
        }
        catch (final RuntimeException e)
        {
            result.completeExceptionally(e);
        }
    }

    private void expire()
    {
        armed.set(false);
        if (!result.isDone())
        {
            leave();
            try
            {
                answer(reader.get());
            }
            catch (final RuntimeException e)
            {
                result.completeExceptionally(e);
            }
        }
    }

    private void answer(final FetchPass pass)
    {
        final ApiMessage response = pass.answer();
        pass.release();
        result.complete(response);
    }

    private void release()
    {
        armed.set(false);
        timeout.cancel(false);
        leave();
    }

    /** Leaves every watch of the last pass and gives its arrays back, for the next pass. */
    private void leave()
    {
        if (last != null)
        {
            final Watches watches = last.watches();
            for (int i = 0; i < watches.size(); i++)
            {
                watchers.unwatch(watches.partition(i), this);
            }
            last.release();
            last = null;
        }
    }
}
