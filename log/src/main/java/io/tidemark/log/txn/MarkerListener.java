package io.tidemark.log.txn;

import io.tidemark.log.TopicPartition;

/**
 * Told of every marker the transaction coordinator writes: a marker can move a partition's
 * last stable offset, so read-committed fetches waiting on that partition may now have data.
 */
@FunctionalInterface
public interface MarkerListener
{
    /** A listener for a coordinator nobody waits on (embedded use). */
    MarkerListener NONE = (partition, bytes) ->
    {
    };

    /**
     * Called after a marker was appended, on the thread that appended it; must not block.
     *
     * @param partition the partition the marker went to.
     * @param bytes the size of the marker's batch.
     */
    void markerWritten(TopicPartition partition, int bytes);
}
