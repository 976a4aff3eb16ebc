package io.tidemark.runtime.broker;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.tidemark.log.TopicPartition;

/**
 * Who is waiting for a partition to grow: long-polling fetches register here, and every
 * append through the server wakes the waiters of its partition (Kafka calls this the fetch
 * purgatory). A waiter is woken at most once per registration and removes itself.
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
         * Called on the appending thread: must only hand work to another thread.
         */
        void dataArrived();
    }

    private final Map<TopicPartition, Set<Waiter>> waiters = new ConcurrentHashMap<>();

    /**
     * @param partition the partition to watch.
     * @param waiter who to wake when it grows.
     */
    public void watch(final TopicPartition partition, final Waiter waiter)
    {
        waiters.computeIfAbsent(partition, p -> ConcurrentHashMap.newKeySet()).add(waiter);
    }

    /**
     * @param partition a watched partition.
     * @param waiter who no longer waits for it.
     */
    public void unwatch(final TopicPartition partition, final Waiter waiter)
    {
        final Set<Waiter> set = waiters.get(partition);
        if (set != null)
        {
            set.remove(waiter);
        }
    }

    /**
     * Wakes everyone waiting for {@code partition}.
     *
     * @param partition a partition that was just appended to.
     */
    public void appended(final TopicPartition partition)
    {
        final Set<Waiter> set = waiters.get(partition);
        if (set != null && !set.isEmpty())
        {
            for (final Waiter waiter : set)
            {
                if (set.remove(waiter))
                {
                    waiter.dataArrived();
                }
            }
        }
    }
}
