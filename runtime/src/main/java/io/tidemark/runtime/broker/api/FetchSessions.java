package io.tidemark.runtime.broker.api;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

import io.tidemark.runtime.metrics.FetchSessionMetrics;

/**
 * The broker's incremental fetch sessions, by id, bounded in number and in partitions so that
 * clients cannot make it grow without bound.
 *
 * <p>Rules: a full fetch with epoch 0 asks for a session; it gets one if fewer than
 * {@code maxSessions} are cached and the partitions of all of them stay within
 * {@code maxPartitions}, else it is answered without one (session id 0) and its client goes
 * on with full fetches, as Kafka answers when its cache is full. As in Kafka, a session is
 * evicted only to make room: when a new one finds no slot or no partitions left, sessions
 * unused for {@code idleMs} (Kafka's shortest eviction time, 2 minutes, by default) go, least
 * recently used first, until it fits; a session in use is never evicted for another, and an
 * idle one stays while nobody needs its room, so a consumer that paused every partition for
 * longer keeps its session. Only a fetch the session accepts counts as use. The bounds keep
 * memory bounded whatever the idle time. An incremental fetch that would take the cache past
 * {@code maxPartitions} loses its session ({@code FETCH_SESSION_ID_NOT_FOUND}), after which
 * its client starts over with a full fetch. Ids are random and positive, so a client cannot
 * easily name another's session.
 */
public final class FetchSessions
{
    /** The epoch of a full fetch that asks for a new session. */
    static final int INITIAL_EPOCH = 0;
    /** The epoch of a full fetch that wants no session (and closes the one it names). */
    static final int FINAL_EPOCH = -1;
    /** The id that names no session. */
    static final int NO_SESSION = 0;
    /** How long a session must go unused before it may be evicted to make room: Kafka's shortest eviction time. */
    public static final long IDLE_MS = 120_000;

    private final int maxSessions;
    private final long maxPartitions;
    private final long idleNanos;
    private final LongSupplier nanoClock;
    private final FetchSessionMetrics metrics;
    /** In order of last use, least recent first: {@link #used} moves a session to the end. */
    private final LinkedHashMap<Integer, FetchSession> sessions = new LinkedHashMap<>();
    /** Written under the cache's lock; read without it only as a hint ({@link #headroom}). */
    private volatile long partitions;

    /**
     * @param maxSessions the most sessions cached ({@code max.incremental.fetch.session.cache.slots}).
     * @param maxPartitions the most partitions all cached sessions hold together.
     * @param idleMs how long a session must go unused before it may be evicted to make room.
     * @param nanoClock the monotonic clock, nanoseconds.
     * @param metrics where the sessions are counted.
     */
    public FetchSessions(final int maxSessions, final long maxPartitions, final long idleMs, final LongSupplier nanoClock,
        final FetchSessionMetrics metrics)
    {
        this.maxSessions = maxSessions;
        this.maxPartitions = maxPartitions;
        this.idleNanos = idleMs * 1_000_000;
        this.nanoClock = nanoClock;
        this.metrics = metrics;
    }

    /** @return where the sessions are counted. */
    public FetchSessionMetrics metrics()
    {
        return metrics;
    }

    /**
     * A new, empty session, if there is room for one with this many partitions.
     *
     * @param topicIds whether its client names topics by id.
     * @param partitionCount the partitions the full fetch names, counted against the bound.
     * @return the session, or null if there is no room even after evicting idle sessions; the
     *         caller adds the partitions and calls {@link #resized} if they turn out fewer (a
     *         partition named twice).
     */
    synchronized FetchSession create(final boolean topicIds, final int partitionCount)
    {
        final long now = nanoClock.getAsLong();
        if (maxSessions == 0 || partitionCount > maxPartitions || !makeRoom(partitionCount, now))
        {
            metrics.refused();
            return null;
        }
        int id;
        do
        {
            id = ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE);
        }
        while (sessions.containsKey(id));
        final FetchSession session = new FetchSession(id, topicIds);
        session.lastUsedNanos = now;
        session.cachedPartitions = partitionCount;
        partitions += partitionCount;
        sessions.put(id, session);
        metrics.created(partitionCount);
        return session;
    }

    /**
     * @param id a session id an incremental fetch names.
     * @return the session, or null if none has the id (never had, or dropped); not yet marked as used, see {@link #used}.
     */
    synchronized FetchSession get(final int id)
    {
        return sessions.get(id);
    }

    /** Marks a session as used now: a fetch it accepted, so that it is the last to be evicted. */
    synchronized void used(final FetchSession session)
    {
        if (!session.closed)
        {
            session.lastUsedNanos = nanoClock.getAsLong();
            sessions.remove(session.id);
            sessions.put(session.id, session);
        }
    }

    /**
     * @return about how many partitions the session may grow by: read without the cache's lock,
     *         so only a bound to give up early on a fetch that names far too many, before
     *         {@link #resized} checks exactly.
     */
    long headroom(final FetchSession session)
    {
        return maxPartitions - partitions + session.cachedPartitions;
    }

    /**
     * Counts a session's partitions again after a fetch changed them; the caller holds the
     * session's monitor.
     *
     * @return whether the session stays: false if it now holds none or the cache would hold
     *         too many, and it was removed.
     */
    synchronized boolean resized(final FetchSession session)
    {
        if (session.closed)
        {
            return false;
        }
        final int size = session.size();
        if (size == 0 || partitions - session.cachedPartitions + size > maxPartitions)
        {
            remove(session, false);
            return false;
        }
        partitions += size - session.cachedPartitions;
        metrics.resized(size - session.cachedPartitions);
        session.cachedPartitions = size;
        return true;
    }

    /**
     * Removes the session with this id, if there is one: a full fetch naming it closes it.
     */
    synchronized void remove(final int id)
    {
        final FetchSession session = sessions.get(id);
        if (session != null)
        {
            remove(session, false);
        }
    }

    /** @return the sessions cached now. */
    public synchronized int size()
    {
        return sessions.size();
    }

    /** @return whether a new session of this many partitions fits, after evicting idle sessions, least recently used first, if needed. */
    private boolean makeRoom(final int partitionCount, final long now)
    {
        final Iterator<FetchSession> oldestFirst = sessions.values().iterator();
        while (sessions.size() >= maxSessions || partitions + partitionCount > maxPartitions)
        {
            if (!oldestFirst.hasNext())
            {
                return false;
            }
            final FetchSession session = oldestFirst.next();
            if (now - session.lastUsedNanos < idleNanos)
            {
                // The rest were used later still.
                return false;
            }
            oldestFirst.remove();
            forget(session, true);
        }
        return true;
    }

    private void remove(final FetchSession session, final boolean idle)
    {
        sessions.remove(session.id);
        forget(session, idle);
    }

    private void forget(final FetchSession session, final boolean idle)
    {
        session.closed = true;
        partitions -= session.cachedPartitions;
        metrics.removed(session.cachedPartitions, idle);
    }
}
