package io.tidemark.runtime.broker.api;

import java.util.concurrent.CompletableFuture;

import io.tidemark.log.PartitionLog;
import io.tidemark.log.TopicPartition;
import io.tidemark.log.errors.LogException;
import io.tidemark.runtime.broker.ApiHandler;
import io.tidemark.runtime.broker.Broker;
import io.tidemark.runtime.broker.KafkaErrors;
import io.tidemark.runtime.broker.Request;
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
 * ({@link #cancelledWithConnection}).
 *
 * <p>Incremental fetch sessions (KIP-227, from version 7): a full fetch with epoch 0 asks for a
 * {@link FetchSession}, kept in the broker's {@link FetchSessions} if there is room, whose id
 * its response carries; each later fetch names the session and the next epoch, and only the
 * partitions it adds or changes (offset, limit) and those it forgets. Its response carries
 * only the partitions with records, with an error, or whose high watermark, last stable offset
 * or log start offset changed since the last response told the client; an unchanged partition
 * costs three reads of its log's offsets and a slot in the pass's watch list: no lookup of its
 * log, no read of it, no entry. A fetch that waits still registers, and then removes, a watch
 * for each of the session's partitions ({@link DelayedFetch}). A session's
 * logs are looked up once, and again only when topics come or go. A full fetch with epoch -1
 * is sessionless, as before sessions; a full fetch closes the session it names. An unknown
 * session is {@code FETCH_SESSION_ID_NOT_FOUND}, a wrong epoch
 * {@code INVALID_FETCH_SESSION_EPOCH}, a session of the other way of naming topics (ids from
 * version 13, names before) {@code FETCH_SESSION_TOPIC_ID_ERROR}: answered at once, with no
 * partitions and session id 0, after which clients start over with a full fetch.
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
    private final FetchSessions sessions;

    FetchHandler(final Broker broker)
    {
        this.broker = broker;
        this.sessions = broker.fetchSessions();
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
        final boolean topicIds = request.version() >= TOPIC_ID_VERSION;
        final int epoch = data.sessionEpoch();
        final boolean full = epoch == FetchSessions.INITIAL_EPOCH || epoch == FetchSessions.FINAL_EPOCH;
        FetchSession session = null;
        if (full)
        {
            if (data.sessionId() != FetchSessions.NO_SESSION)
            {
                sessions.remove(data.sessionId());
            }
            if (epoch == FetchSessions.INITIAL_EPOCH)
            {
                session = newSession(data, topicIds);
            }
        }
        else
        {
            session = sessions.get(data.sessionId());
            final Errors refusal = session == null ? Errors.FETCH_SESSION_ID_NOT_FOUND : update(session, data, topicIds);
            if (refusal != Errors.NONE)
            {
                return CompletableFuture.completedFuture(new FetchResponseData().setErrorCode(refusal.code()).setSessionId(FetchSessions.NO_SESSION));
            }
            if (session.closed)
            {
                // It forgot its last partition: answered without a session, as Kafka does.
                session = null;
            }
        }
        final FetchSession read = session;
        final FetchPass first = read(data, request.version(), read, full);
        final int minBytes = minBytes(data, read);
        if (first.bytes() >= minBytes || first.failed() || data.maxWaitMs() <= 0)
        {
            final FetchResponseData response = first.answer();
            first.release();
            return CompletableFuture.completedFuture(response);
        }
        final int epochRead = first.epoch();
        return new DelayedFetch(() -> readAgain(data, request.version(), read, full, epochRead), broker.watchers(), request, first.committed(),
            first, minBytes, Math.min(data.maxWaitMs(), MAX_WAIT_MS)).result();
    }

    /**
     * Reads a waiting fetch's partitions again. Its own request's offsets are the session's only
     * while no later fetch moved the session on: once one did (a client's second connection),
     * it is answered as a stale epoch at once, telling the session nothing, rather than with
     * another request's offsets.
     */
    private FetchPass readAgain(final FetchRequestData data, final short version, final FetchSession session, final boolean full,
        final int epochRead)
    {
        if (session == null)
        {
            return readRequest(data, version);
        }
        synchronized (session)
        {
            if (session.closed || session.epoch != epochRead)
            {
                return FetchPass.superseded(committed(data), session.id);
            }
            return readSession(data, session, full);
        }
    }

    /** @return a session for a full fetch with epoch 0, holding its partitions, or null if there is no room (or it names none). */
    private FetchSession newSession(final FetchRequestData data, final boolean topicIds)
    {
        int partitions = 0;
        for (final FetchTopic topic : data.topics())
        {
            partitions += topic.partitions().size();
        }
        final FetchSession session = partitions == 0 ? null : sessions.create(topicIds, partitions);
        if (session == null)
        {
            return null;
        }
        synchronized (session)
        {
            // Its partitions were counted when it was created: only a repeated partition makes it smaller.
            session.update(data, false, broker.logs(), Long.MAX_VALUE);
            return session.size() == session.cachedPartitions || sessions.resized(session) ? session : null;
        }
    }

    /**
     * Applies an incremental fetch to its session.
     *
     * @return why the fetch cannot use the session, or {@link Errors#NONE}; the session is
     *         closed if the fetch forgot all its partitions.
     */
    private Errors update(final FetchSession session, final FetchRequestData data, final boolean topicIds)
    {
        synchronized (session)
        {
            final Errors refusal = session.accept(data.sessionEpoch(), topicIds);
            if (refusal != Errors.NONE)
            {
                return refusal;
            }
            if (!session.update(data, true, broker.logs(), sessions.headroom(session)))
            {
                // Far too many partitions for the cache, given up before adding them all.
                sessions.remove(session.id);
                return Errors.FETCH_SESSION_ID_NOT_FOUND;
            }
            // The cache's lock only when the partitions changed in number.
            if (session.size() != session.cachedPartitions && !sessions.resized(session) && session.size() > 0)
            {
                // Too many partitions for the cache: the client starts over, and gets a session if there is room then.
                return Errors.FETCH_SESSION_ID_NOT_FOUND;
            }
        }
        sessions.used(session);
        sessions.metrics().incremental();
        return Errors.NONE;
    }

    /**
     * @return the fetch's minimum, capped to what its limits let one response carry, so that a
     *         minimum no response can reach still answers once the partitions hold enough.
     */
    private static int minBytes(final FetchRequestData data, final FetchSession session)
    {
        long reachable = 0;
        if (session == null)
        {
            for (final FetchTopic topic : data.topics())
            {
                for (final FetchPartition partition : topic.partitions())
                {
                    reachable += Math.max(1, partition.partitionMaxBytes());
                }
            }
        }
        else
        {
            synchronized (session)
            {
                reachable = session.reachableBytes();
            }
        }
        return (int)Math.min(data.minBytes(), Math.min(Math.max(1, data.maxBytes()), reachable));
    }

    /**
     * @param data the fetch.
     * @param version its version: from 13 its topics are named by id, each looked up once here.
     * @param session its session, or null for a sessionless fetch.
     * @param full whether the response carries every partition, not only the changed ones of an incremental fetch.
     * @return what the partitions hold now.
     */
    FetchPass read(final FetchRequestData data, final short version, final FetchSession session, final boolean full)
    {
        if (session == null)
        {
            return readRequest(data, version);
        }
        synchronized (session)
        {
            return readSession(data, session, full);
        }
    }

    private FetchPass readRequest(final FetchRequestData data, final short version)
    {
        int count = 0;
        for (final FetchTopic topic : data.topics())
        {
            count += topic.partitions().size();
        }
        final FetchResponseData response = new FetchResponseData().setSessionId(FetchSessions.NO_SESSION);
        final FetchPass pass = new FetchPass(response, committed(data), data.maxBytes(), count, null, null);
        for (final FetchTopic topic : data.topics())
        {
            final FetchableTopicResponse topicResponse = new FetchableTopicResponse().setTopic(topic.topic()).setTopicId(topic.topicId());
            final String name = version < TOPIC_ID_VERSION ? topic.topic() : broker.logs().topicName(TopicIds.fromUuid(topic.topicId()));
            for (final FetchPartition partition : topic.partitions())
            {
                if (name == null)
                {
                    topicResponse.partitions().add(pass.failed(partition.partition(), Errors.UNKNOWN_TOPIC_ID.code()));
                    continue;
                }
                final TopicPartition topicPartition = new TopicPartition(name, partition.partition());
                try
                {
                    final PartitionLog log = broker.logs().partition(topicPartition);
                    final long endBefore = log.logEndOffset();
                    final long lastStable = log.lastStableOffset();
                    topicResponse.partitions().add(pass.read(topicPartition, log, partition.fetchOffset(), partition.partitionMaxBytes(), endBefore,
                        lastStable));
                }
                catch (final LogException e)
                {
                    topicResponse.partitions().add(pass.failed(partition.partition(), KafkaErrors.forException(e).code()));
                }
            }
            response.responses().add(topicResponse);
        }
        return pass;
    }

    /**
     * Reads a session's partitions; the caller holds its monitor. An incremental fetch leaves
     * out, without reading its log or making an entry, a partition with nothing to send and
     * nothing new to tell; consecutive partitions of a topic share its entry.
     */
    private FetchPass readSession(final FetchRequestData data, final FetchSession session, final boolean full)
    {
        session.resolve(broker.logs());
        final FetchResponseData response = new FetchResponseData().setSessionId(session.id);
        final FetchPass pass = new FetchPass(response, committed(data), data.maxBytes(), session.size(), session, sessions.metrics());
        FetchableTopicResponse topicResponse = null;
        for (SessionPartition partition = session.first(); partition != null; partition = partition.next)
        {
            PartitionData entry;
            final PartitionLog log = partition.log;
            if (log == null)
            {
                entry = pass.failed(partition.key.partition(), partition.error);
            }
            else
            {
                final long endBefore = log.logEndOffset();
                final long lastStable = log.lastStableOffset();
                final long readable = pass.committed() ? lastStable : endBefore;
                if (!full && partition.fetchOffset >= readable && partition.fetchOffset <= endBefore
                    && !partition.marksChanged(endBefore, lastStable, log.logStartOffset()))
                {
                    pass.watch(partition.topicPartition, log, endBefore);
                    pass.leaveOut();
                    continue;
                }
                try
                {
                    entry = pass.read(partition.topicPartition, log, partition.fetchOffset, partition.maxBytes, endBefore, lastStable);
                }
                catch (final LogException e)
                {
                    entry = pass.failed(partition.key.partition(), KafkaErrors.forException(e).code());
                }
                if (!full && entry.errorCode() == Errors.NONE.code() && entry.records().sizeInBytes() == 0
                    && !partition.marksChanged(entry.highWatermark(), entry.lastStableOffset(), entry.logStartOffset()))
                {
                    // Records there, but the response is full: nothing to tell this time.
                    pass.leaveOut();
                    continue;
                }
            }
            if (topicResponse == null || !sameTopic(topicResponse, partition.key))
            {
                topicResponse = new FetchableTopicResponse().setTopic(partition.key.topic()).setTopicId(partition.key.topicId());
                response.responses().add(topicResponse);
            }
            topicResponse.partitions().add(entry);
            pass.carry(partition, entry);
        }
        return pass;
    }

    private static boolean sameTopic(final FetchableTopicResponse topic, final FetchSession.Key key)
    {
        return topic.topicId().equals(key.topicId()) && topic.topic().equals(key.topic());
    }

    private static boolean committed(final FetchRequestData data)
    {
        return data.isolationLevel() == IsolationLevel.READ_COMMITTED.id();
    }
}
