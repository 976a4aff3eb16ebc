package io.tidemark.runtime.broker.api;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.tidemark.log.topic.LogManager;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchRequestData.FetchPartition;
import org.apache.kafka.common.message.FetchRequestData.FetchTopic;
import org.apache.kafka.common.message.FetchRequestData.ForgottenTopic;
import org.apache.kafka.common.protocol.Errors;

/**
 * An incremental fetch session (KIP-227): the partitions a client fetches, kept between its
 * fetches so that each later one names only the partitions it adds, changes or forgets, and
 * its response carries only the partitions with something new. The partitions form a list in
 * the order they are read; one that was sent records moves to its end, so that a response
 * full to its {@code maxBytes} does not starve the partitions behind it.
 *
 * <p>A session's state is guarded by its monitor: its client's fetches are serial, and the
 * monitor only keeps a misbehaving client's concurrent ones from tearing it. The cache's own
 * fields ({@link #lastUsedNanos}, {@link #cachedPartitions}) are guarded by the cache.
 */
final class FetchSession
{
    /**
     * How a client names a partition.
     *
     * @param topicId the topic's id from Fetch 13, else zero.
     * @param topic the topic's name before Fetch 13, else empty.
     * @param partition the partition.
     */
    record Key(Uuid topicId, String topic, int partition)
    {
    }

    final int id;
    /** Whether the session was created at Fetch 13 or later, and so names topics by id. */
    final boolean topicIds;
    /** The epoch the next incremental fetch must carry. */
    int epoch = 1;
    /** Removed from the cache: a fetch that looked it up just before must not use it. */
    volatile boolean closed;
    /** Guarded by the cache: when a fetch last named it. */
    long lastUsedNanos;
    /** Guarded by the cache: its partitions as the cache counts them. */
    int cachedPartitions;

    private final Map<Key, SessionPartition> partitions = new HashMap<>();
    private SessionPartition head;
    private SessionPartition tail;
    /** The sum of the partitions' {@code maxBytes}: the most one response can carry. */
    private long reachableBytes;
    /** The version of the set of partition logs the partitions' logs were looked up in. */
    private long logsVersion = Long.MIN_VALUE;
    /** The arrays of a finished pass, for the next one; null while a pass holds them. */
    private Watches spareWatches;

    FetchSession(final int id, final boolean topicIds)
    {
        this.id = id;
        this.topicIds = topicIds;
    }

    /**
     * Adds the fetch's partitions, or updates their offsets and limits, then forgets its
     * forgotten ones, looking the new ones' logs up.
     *
     * @param incremental whether the fetch is incremental: a full one's forgotten partitions mean nothing, as in Kafka.
     * @param headroom how many partitions the session may grow by: a fetch adding more than that
     *        and the partitions it forgets is given up at once, before it allocates them all.
     * @return false if the fetch was given up, half applied: the caller drops the session.
     */
    boolean update(final FetchRequestData data, final boolean incremental, final LogManager logs, final long headroom)
    {
        final boolean current = logsVersion == logs.partitionSetVersion();
        long budget = headroom;
        for (final ForgottenTopic topic : incremental ? data.forgottenTopicsData() : List.<ForgottenTopic>of())
        {
            budget += topic.partitions().size();
        }
        for (final FetchTopic topic : data.topics())
        {
            for (final FetchPartition partition : topic.partitions())
            {
                final Key key = topicIds ? new Key(topic.topicId(), "", partition.partition())
                    : new Key(Uuid.ZERO_UUID, topic.topic(), partition.partition());
                SessionPartition cached = partitions.get(key);
                if (cached == null)
                {
                    if (--budget < 0)
                    {
                        return false;
                    }
                    cached = new SessionPartition(key);
                    partitions.put(key, cached);
                    append(cached);
                    if (current)
                    {
                        cached.resolve(logs, topicIds);
                    }
                }
                else
                {
                    reachableBytes -= Math.max(1, cached.maxBytes);
                }
                reachableBytes += Math.max(1, partition.partitionMaxBytes());
                cached.fetchOffset = partition.fetchOffset();
                cached.maxBytes = partition.partitionMaxBytes();
            }
        }
        for (final ForgottenTopic topic : incremental ? data.forgottenTopicsData() : List.<ForgottenTopic>of())
        {
            for (final int partition : topic.partitions())
            {
                final Key key = topicIds ? new Key(topic.topicId(), "", partition) : new Key(Uuid.ZERO_UUID, topic.topic(), partition);
                final SessionPartition forgotten = partitions.remove(key);
                if (forgotten != null)
                {
                    reachableBytes -= Math.max(1, forgotten.maxBytes);
                    unlink(forgotten);
                }
            }
        }
        return true;
    }

    /**
     * Looks every partition's log up again if topics were created, deleted or grew since the
     * last look: a session's client names its partitions once, and they may come or go after.
     */
    void resolve(final LogManager logs)
    {
        final long version = logs.partitionSetVersion();
        if (version != logsVersion)
        {
            for (SessionPartition partition = head; partition != null; partition = partition.next)
            {
                partition.resolve(logs, topicIds);
            }
            logsVersion = version;
        }
    }

    /** @return the arrays a finished pass left, taking them, or null if none did. */
    Watches takeWatches()
    {
        final Watches watches = spareWatches;
        spareWatches = null;
        return watches;
    }

    /** Keeps a finished pass's arrays for the next pass. */
    void giveWatches(final Watches watches)
    {
        spareWatches = watches;
    }

    /** @return the first partition to read; the rest follow by {@link SessionPartition#next}. */
    SessionPartition first()
    {
        return head;
    }

    int size()
    {
        return partitions.size();
    }

    long reachableBytes()
    {
        return reachableBytes;
    }

    /** Moves a partition that was sent records behind the others, for the next fetch. */
    void sentRecords(final SessionPartition partition)
    {
        // A forgotten partition is unlinked (no next), as is the tail, which stays.
        if (partition.next != null)
        {
            unlink(partition);
            append(partition);
        }
    }

    /**
     * @param requestEpoch the epoch an incremental fetch carries.
     * @param requestTopicIds whether it names topics by id.
     * @return why the fetch cannot use this session, or {@link Errors#NONE}, after which the next epoch is expected.
     */
    Errors accept(final int requestEpoch, final boolean requestTopicIds)
    {
        if (closed)
        {
            return Errors.FETCH_SESSION_ID_NOT_FOUND;
        }
        if (requestEpoch != epoch)
        {
            return Errors.INVALID_FETCH_SESSION_EPOCH;
        }
        if (requestTopicIds != topicIds)
        {
            return Errors.FETCH_SESSION_TOPIC_ID_ERROR;
        }
        epoch = epoch == Integer.MAX_VALUE ? 1 : epoch + 1;
        return Errors.NONE;
    }

    private void append(final SessionPartition partition)
    {
        partition.previous = tail;
        partition.next = null;
        if (tail == null)
        {
            head = partition;
        }
        else
        {
            tail.next = partition;
        }
        tail = partition;
    }

    private void unlink(final SessionPartition partition)
    {
        if (partition.previous == null)
        {
            head = partition.next;
        }
        else
        {
            partition.previous.next = partition.next;
        }
        if (partition.next == null)
        {
            tail = partition.previous;
        }
        else
        {
            partition.next.previous = partition.previous;
        }
        partition.previous = null;
        partition.next = null;
    }
}
