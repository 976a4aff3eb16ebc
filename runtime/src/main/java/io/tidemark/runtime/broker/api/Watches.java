package io.tidemark.runtime.broker.api;

import java.util.Arrays;

import io.tidemark.log.PartitionLog;
import io.tidemark.log.TopicPartition;

/**
 * The partitions a fetch pass read, with their log end offsets before reading: what a waiting
 * fetch watches, and how it tells whether they grew since. Grows as needed and is reused
 * ({@link #clear}) by a session's later passes, so that a session's fetch does not allocate
 * arrays the size of the session each time.
 */
final class Watches
{
    private TopicPartition[] partitions;
    private PartitionLog[] logs;
    private long[] endOffsets;
    private int size;

    Watches(final int capacity)
    {
        final int length = Math.max(1, capacity);
        partitions = new TopicPartition[length];
        logs = new PartitionLog[length];
        endOffsets = new long[length];
    }

    void add(final TopicPartition partition, final PartitionLog log, final long endBefore)
    {
        if (size == partitions.length)
        {
            partitions = Arrays.copyOf(partitions, size * 2);
            logs = Arrays.copyOf(logs, size * 2);
            endOffsets = Arrays.copyOf(endOffsets, size * 2);
        }
        partitions[size] = partition;
        logs[size] = log;
        endOffsets[size] = endBefore;
        size++;
    }

    /** Empties it for reuse; the entries are overwritten, not cleared, by the next pass. */
    Watches clear()
    {
        size = 0;
        return this;
    }

    int size()
    {
        return size;
    }

    TopicPartition partition(final int index)
    {
        return partitions[index];
    }

    /** @return whether a partition has grown since it was read. */
    boolean grewSince()
    {
        for (int i = 0; i < size; i++)
        {
            if (logs[i].logEndOffset() != endOffsets[i])
            {
                return true;
            }
        }
        return false;
    }
}
