package io.tidemark.runtime.broker.api;

import io.tidemark.log.PartitionLog;
import io.tidemark.log.TopicPartition;
import io.tidemark.log.errors.LogException;
import io.tidemark.log.topic.LogManager;
import io.tidemark.runtime.broker.KafkaErrors;
import io.tidemark.runtime.broker.TopicIds;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.FetchResponseData.PartitionData;
import org.apache.kafka.common.protocol.Errors;

/**
 * One partition of a {@link FetchSession}: where its client last asked to read it from and how
 * much, what the last answered response told the client of it (the marks an incremental fetch
 * compares with, to leave it out when nothing changed), and its log, looked up once and again
 * only when the set of partition logs changes. A link of the session's list, in the order the
 * partitions are read. Guarded by the session's monitor.
 */
final class SessionPartition
{
    /** What the client's requests name it by: topic id from Fetch 13, name before. */
    final FetchSession.Key key;
    long fetchOffset;
    int maxBytes;
    /** The marks last answered; -1 until then, so the first response of a new partition carries it. */
    long highWatermark = -1;
    long lastStableOffset = -1;
    long logStartOffset = -1;
    /** The log, or null with {@link #error} saying why. */
    PartitionLog log;
    TopicPartition topicPartition;
    short error;
    SessionPartition previous;
    SessionPartition next;

    SessionPartition(final FetchSession.Key key)
    {
        this.key = key;
    }

    /** Looks the log up afresh, by topic id or name as the session's client names it. */
    void resolve(final LogManager logs, final boolean topicIds)
    {
        final String name = topicIds ? logs.topicName(TopicIds.fromUuid(key.topicId())) : key.topic();
        log = null;
        topicPartition = null;
        if (name == null)
        {
            error = Errors.UNKNOWN_TOPIC_ID.code();
            return;
        }
        try
        {
            final TopicPartition partition = new TopicPartition(name, key.partition());
            log = logs.partition(partition);
            topicPartition = partition;
            error = Errors.NONE.code();
        }
        catch (final LogException e)
        {
            error = KafkaErrors.forException(e).code();
        }
    }

    /** @return whether the marks differ from those last answered, so an incremental response must carry the partition. */
    boolean marksChanged(final long highWatermark, final long lastStableOffset, final long logStartOffset)
    {
        return highWatermark != this.highWatermark || lastStableOffset != this.lastStableOffset || logStartOffset != this.logStartOffset;
    }

    /** Remembers what an answered response told the client. */
    void answered(final PartitionData data)
    {
        highWatermark = data.highWatermark();
        lastStableOffset = data.lastStableOffset();
        logStartOffset = data.logStartOffset();
    }

    /** @return the id the responses name the topic by, zero before Fetch 13. */
    Uuid topicId()
    {
        return key.topicId();
    }
}
