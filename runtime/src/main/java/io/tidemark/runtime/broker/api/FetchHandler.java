package io.tidemark.runtime.broker.api;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.tidemark.log.AbortedTransaction;
import io.tidemark.log.LogSlice;
import io.tidemark.log.PartitionLog;
import io.tidemark.log.TopicPartition;
import io.tidemark.log.errors.LogException;
import io.tidemark.runtime.broker.ApiHandler;
import io.tidemark.runtime.broker.Broker;
import io.tidemark.runtime.broker.KafkaErrors;
import io.tidemark.runtime.broker.Request;
import io.tidemark.runtime.broker.SliceRecords;
import io.tidemark.runtime.broker.TopicIds;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchRequestData.FetchPartition;
import org.apache.kafka.common.message.FetchRequestData.FetchTopic;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.FetchResponseData.FetchableTopicResponse;
import org.apache.kafka.common.message.FetchResponseData.PartitionData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;

/**
 * Fetch: each partition's batches from the fetch offset, as slices of the segment files that
 * go to the socket with {@code sendfile}, never decoded or copied. Limits as in Kafka: at most
 * {@code partitionMaxBytes} per partition and {@code maxBytes} in all, except that the first
 * non-empty partition always gets at least one whole batch so a large batch cannot stall a
 * consumer.
 *
 * <p>A read-committed fetch (isolation level 1) reads each partition only up to its last stable
 * offset, the first offset of its oldest open transaction, and is told the aborted transactions
 * among what it may read, whose records the consumer drops; a read-uncommitted one reads to the
 * log end offset and gets no list (null, as from Kafka). Both are told the last stable offset.
 *
 * <p>If fewer than {@code minBytes} are available the fetch waits, up to {@code maxWaitMs},
 * for appends to its partitions ({@link DelayedFetch}); an error in any partition answers at
 * once. The wait is capped at {@link #MAX_WAIT_MS} and the minimum at what the fetch's own
 * limits ({@code maxBytes}, the partitions' {@code partitionMaxBytes}) let a response carry,
 * so no fetch waits for ever. The future may be cancelled when the connection closes
 * ({@link #cancelledWithConnection}). Fetch sessions are not kept: every fetch is a full one and the response carries
 * session id 0, which tells clients to keep sending full fetches. A request for an existing
 * session gets {@code FETCH_SESSION_ID_NOT_FOUND}, after which clients start over.
 *
 * <p>From version 13 topics are named by id, each looked up once per read (a map lookup, no
 * work per record); an id no topic has (never created, or deleted and perhaps created again
 * under its name) is {@code UNKNOWN_TOPIC_ID} for each of its partitions. The fields of the
 * later versions are a follower's (replica state, directory id, high watermark) or tagged,
 * and a consumer's fetch needs none of them.
 */
final class FetchHandler implements ApiHandler
{
    /**
     * The longest a fetch waits, whatever its {@code maxWaitMs}: Kafka's default request
     * timeout, after which a client gives up on the request anyway. Waiting longer would only
     * hold a connection and a watch for a client that is no longer listening.
     */
    static final int MAX_WAIT_MS = 30_000;

    /** The first version that names topics by id. */
    private static final short TOPIC_ID_VERSION = 13;

    private final Broker broker;

    FetchHandler(final Broker broker)
    {
        this.broker = broker;
    }

    /**
     * One pass over a fetch's partitions.
     *
     * @param response the response, if sent now.
     * @param bytes the record bytes it carries.
     * @param failed whether any partition has an error.
     * @param partitions the existing partitions fetched, to watch while waiting.
     * @param logs their logs.
     * @param endOffsets their log end offsets before reading, to tell whether they grew since.
     */
    record Pass(FetchResponseData response, int bytes, boolean failed, List<TopicPartition> partitions, List<PartitionLog> logs,
        long[] endOffsets)
    {
        boolean grewSince()
        {
            for (int i = 0; i < logs.size(); i++)
            {
                if (logs.get(i).logEndOffset() != endOffsets[i])
                {
                    return true;
                }
            }
            return false;
        }
    }

    @Override
    public boolean cancelledWithConnection()
    {
        // Reading has no effect a vanished client could miss.
        return true;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(final Request request)
    {
        final FetchRequestData data = (FetchRequestData)request.data();
        if (data.sessionId() != 0)
        {
            return CompletableFuture.completedFuture(new FetchResponseData().setErrorCode(Errors.FETCH_SESSION_ID_NOT_FOUND.code()));
        }
        final Pass first = read(data, request.version());
        final int minBytes = minBytes(data);
        if (first.bytes() >= minBytes || first.failed() || data.maxWaitMs() <= 0)
        {
            return CompletableFuture.completedFuture(first.response());
        }
        return new DelayedFetch(this, broker.watchers(), request, data, first, minBytes, Math.min(data.maxWaitMs(), MAX_WAIT_MS)).result();
    }

    /**
     * @return the fetch's minimum, capped to what its limits let one response carry, so that a
     *         minimum no response can reach still answers once the partitions hold enough.
     */
    private static int minBytes(final FetchRequestData data)
    {
        long reachable = 0;
        for (final FetchTopic topic : data.topics())
        {
            for (final FetchPartition partition : topic.partitions())
            {
                reachable += Math.max(1, partition.partitionMaxBytes());
            }
        }
        return (int)Math.min(data.minBytes(), Math.min(Math.max(1, data.maxBytes()), reachable));
    }

    /**
     * @param data the fetch.
     * @param version its version: from 13 its topics are named by id, each looked up once here.
     * @return what the partitions hold now.
     */
    Pass read(final FetchRequestData data, final short version)
    {
        final FetchResponseData response = new FetchResponseData().setSessionId(0);
        final List<TopicPartition> partitions = new ArrayList<>();
        final List<PartitionLog> logs = new ArrayList<>();
        final List<Long> endOffsets = new ArrayList<>();
        final boolean committed = data.isolationLevel() == IsolationLevel.READ_COMMITTED.id();
        int remaining = data.maxBytes();
        int bytes = 0;
        boolean failed = false;
        for (final FetchTopic topic : data.topics())
        {
            final FetchableTopicResponse topicResponse = new FetchableTopicResponse().setTopic(topic.topic()).setTopicId(topic.topicId());
            final String name = version < TOPIC_ID_VERSION ? topic.topic() : broker.logs().topicName(TopicIds.fromUuid(topic.topicId()));
            for (final FetchPartition partition : topic.partitions())
            {
                final PartitionData partitionResponse = new PartitionData()
                    .setPartitionIndex(partition.partition())
                    .setRecords(MemoryRecords.EMPTY);
                if (name == null)
                {
                    failed = true;
                    topicResponse.partitions().add(partitionResponse.setErrorCode(Errors.UNKNOWN_TOPIC_ID.code())
                        .setHighWatermark(-1).setLastStableOffset(-1).setLogStartOffset(-1));
                    continue;
                }
                final TopicPartition topicPartition = new TopicPartition(name, partition.partition());
                try
                {
                    final PartitionLog log = broker.logs().partition(topicPartition);
                    final long endBefore = log.logEndOffset();
                    // Read before the slice, so that the slice stops where the response says the stable part ends.
                    final long lastStable = log.lastStableOffset();
                    boolean sent = false;
                    if (bytes == 0 || remaining > 0)
                    {
                        final int max = Math.max(1, Math.min(partition.partitionMaxBytes(), remaining));
                        final LogSlice slice = committed ? log.read(partition.fetchOffset(), max, lastStable) : log.read(partition.fetchOffset(), max);
                        if (slice.sizeInBytes() > 0 && (bytes == 0 || slice.sizeInBytes() <= remaining))
                        {
                            partitionResponse.setRecords(new SliceRecords(slice));
                            bytes += slice.sizeInBytes();
                            remaining -= slice.sizeInBytes();
                            sent = true;
                        }
                    }
                    // Read after the slice: the high watermark covers every record sent.
                    final long end = log.logEndOffset();
                    partitionResponse.setHighWatermark(end).setLastStableOffset(lastStable).setLogStartOffset(log.logStartOffset())
                        .setAbortedTransactions(committed ? aborted(log, sent, partition.fetchOffset(), lastStable) : null);
                    partitions.add(topicPartition);
                    logs.add(log);
                    endOffsets.add(endBefore);
                }
                catch (final LogException e)
                {
                    failed = true;
                    partitionResponse.setErrorCode(KafkaErrors.forException(e).code())
                        .setHighWatermark(-1).setLastStableOffset(-1).setLogStartOffset(-1);
                }
                topicResponse.partitions().add(partitionResponse);
            }
            response.responses().add(topicResponse);
        }
        return new Pass(response, bytes, failed, partitions, logs, endOffsets.stream().mapToLong(Long::longValue).toArray());
    }

    /**
     * @return the aborted transactions a read-committed consumer of the partition from
     *         {@code fetchOffset} needs, to drop their records: all up to the last stable offset,
     *         which bounds whatever the slice holds; none when no records are sent.
     */
    private static List<FetchResponseData.AbortedTransaction> aborted(final PartitionLog log, final boolean sent, final long fetchOffset,
        final long lastStable)
    {
        final List<FetchResponseData.AbortedTransaction> aborted = new ArrayList<>();
        if (!sent)
        {
            return aborted;
        }
        for (final AbortedTransaction transaction : log.abortedTransactions(fetchOffset, lastStable))
        {
            aborted.add(new FetchResponseData.AbortedTransaction().setProducerId(transaction.producerId())
                .setFirstOffset(transaction.firstOffset()));
        }
        return aborted;
    }
}
