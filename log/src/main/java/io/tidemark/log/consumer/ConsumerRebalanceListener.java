package io.tidemark.log.consumer;

import java.util.Collection;

import io.tidemark.log.TopicPartition;

/**
 * Told when a subscribed consumer's partitions change, on the thread that calls
 * {@link Consumer#poll}: the place to commit what was processed before partitions go to
 * another member, and to load state for partitions that arrive.
 */
public interface ConsumerRebalanceListener
{
    /**
     * Before a rebalance takes the partitions away, while this consumer still owns them: a
     * commit here succeeds.
     *
     * @param partitions the partitions owned until now.
     */
    void onPartitionsRevoked(Collection<TopicPartition> partitions);

    /**
     * After a rebalance, before the first records of the new assignment are returned.
     *
     * @param partitions the partitions owned from now on.
     */
    void onPartitionsAssigned(Collection<TopicPartition> partitions);

    /**
     * The partitions were already given to others (this consumer was removed from the group
     * after a missed session or poll interval): a commit would fail. By default handled as a
     * revocation.
     *
     * @param partitions the partitions that were owned.
     */
    default void onPartitionsLost(final Collection<TopicPartition> partitions)
    {
        onPartitionsRevoked(partitions);
    }

    /** A listener that does nothing. */
    ConsumerRebalanceListener NONE = new ConsumerRebalanceListener()
    {
        @Override
        public void onPartitionsRevoked(final Collection<TopicPartition> partitions)
        {
        }

        @Override
        public void onPartitionsAssigned(final Collection<TopicPartition> partitions)
        {
        }
    };
}
