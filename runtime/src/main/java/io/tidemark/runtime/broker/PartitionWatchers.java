package io.tidemark.runtime.broker;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.tidemark.log.TopicPartition;

/**
 * Who is waiting for a partition to grow: long-polling fetches register here, and every
 * append through the server wakes the waiters of its partition (Kafka calls this the fetch
 * purgatory). A registration is woken at most once: an append takes the partition's whole
 * set out of the map before waking anyone, so a waiter that registers again while it is
 * woken (on the same thread, even) lands in a fresh set and waits for the next append,
 * never for the one that is waking it.
 *
 * <p>Each partition's set is only touched inside the map's per-key lock ({@code compute}),
 * and once taken out it belongs to the waking thread alone: no registration can slip into a
 * set that is being woken and be lost.
 */
public final class PartitionWatchers
{
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
         */
        void dataArrived(TopicPartition partition, int bytes);
    }

    private final Map<TopicPartition, Set<Waiter>> waiters = new ConcurrentHashMap<>();

    /**
     * @param partition the partition to watch.
     * @param waiter who to wake, once, at its next append.
     */
    public void watch(final TopicPartition partition, final Waiter waiter)
    {
        waiters.compute(partition, (p, set) ->
        {
            final Set<Waiter> watching = set == null ? new HashSet<>() : set;
            watching.add(waiter);
            return watching;
        });
    }

    /**
     * @param partition a watched partition.
     * @param waiter who no longer waits for it.
     */
    public void unwatch(final TopicPartition partition, final Waiter waiter)
    {
        waiters.computeIfPresent(partition, (p, set) -> set.remove(waiter) && set.isEmpty() ? null : set);
    }

    /**
     * Wakes everyone waiting for {@code partition}, each once.
     *
     * @param partition a partition that was just appended to.
     * @param bytes how many bytes were appended.
     */
    public void appended(final TopicPartition partition, final int bytes)
    {
        final Set<Waiter> woken = waiters.remove(partition);
        if (woken != null)
        {
            for (final Waiter waiter : woken)
            {
                waiter.dataArrived(partition, bytes);
            }
        }
    }
}
