package io.tidemark.runtime.broker;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.tidemark.log.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who is waiting for a partition to grow: long-polling fetches register here, and every
 * append through the server wakes the waiters of its partition (Kafka calls this the fetch
 * purgatory). A registration is woken at most once: an append takes the partition's whole
 * set before waking anyone, so a waiter that registers again while it is woken (on the same
 * thread, even) lands in a fresh set and waits for the next append, never for the one that
 * is waking it.
 *
 * <p>Each partition counts its appends. A waiter woken by one append and registering again
 * compares that append's number with the count {@link #watch} returns: another append in
 * between found the set empty and woke nobody, and only the numbers tell.
 *
 * <p>A partition's set and count are guarded by its own monitor, and a set once taken
 * belongs to the waking thread alone: no registration can slip into a set that is being
 * woken and be lost.
 */
public final class PartitionWatchers
{
    private static final Logger LOG = LoggerFactory.getLogger(PartitionWatchers.class);

    /**
     * Something waiting for new data.
     */
    @FunctionalInterface
    public interface Waiter
    {
        /**
         * Called on the appending thread: must be cheap and must only hand real work to
         * another thread (or do it at once if it runs on its own thread).
         *
         * @param partition the partition that grew.
         * @param bytes how many bytes were appended to it (at most: a retried batch that the
         *        log recognised as a duplicate is counted though nothing was stored).
         * @param append the number of this append on the partition, to compare with what
         *        {@link #watch} returns when registering again.
         */
        void dataArrived(TopicPartition partition, int bytes, long append);
    }

    /** One partition's waiters and its appends so far, both guarded by this object. */
    private static final class Watched
    {
        private Set<Waiter> waiters = new HashSet<>();
        private long appends;
    }

    /** Kept for every partition once watched, a few dozen bytes each, so that its count goes on. */
    private final Map<TopicPartition, Watched> partitions = new ConcurrentHashMap<>();

    /**
     * @param partition the partition to watch.
     * @param waiter who to wake, once, at its next append.
     * @return the number of appends the partition has had so far.
     */
    public long watch(final TopicPartition partition, final Waiter waiter)
    {
        final Watched watched = partitions.computeIfAbsent(partition, p -> new Watched());
        synchronized (watched)
        {
            watched.waiters.add(waiter);
            return watched.appends;
        }
    }

    /**
     * @param partition a watched partition.
     * @param waiter who no longer waits for it.
     */
    public void unwatch(final TopicPartition partition, final Waiter waiter)
    {
        final Watched watched = partitions.get(partition);
        if (watched != null)
        {
            synchronized (watched)
            {
                watched.waiters.remove(waiter);
            }
        }
    }

    /**
     * Wakes everyone waiting for {@code partition}, each once. A waiter that fails (its event
     * loop shut down, say) does not keep the others from being woken, nor fail the append.
     *
     * @param partition a partition that was just appended to.
     * @param bytes how many bytes were appended.
     */
    public void appended(final TopicPartition partition, final int bytes)
    {
        // A partition nobody ever watched needs no count: a waiter compares counts only after it registered.
        final Watched watched = partitions.get(partition);
        if (watched == null)
        {
            return;
        }
        final Set<Waiter> woken;
        final long append;
        synchronized (watched)
        {
            append = ++watched.appends;
            if (watched.waiters.isEmpty())
            {
                return;
            }
            woken = watched.waiters;
            watched.waiters = new HashSet<>();
        }
        for (final Waiter waiter : woken)
        {
            try
            {
                waiter.dataArrived(partition, bytes, append);
            }
            catch (final RuntimeException e)
            {
                LOG.debug("a waiter for {} could not be woken", partition, e);
            }
        }
    }
}
