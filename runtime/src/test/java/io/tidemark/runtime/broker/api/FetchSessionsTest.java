package io.tidemark.runtime.broker.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;

import io.tidemark.runtime.metrics.FetchSessionMetrics;
import org.junit.jupiter.api.Test;

/**
 * The session cache's bounds: at most so many sessions and so many partitions, a full cache
 * refuses rather than evicts a session in use, and a session idle for the idle time goes
 * (making room), on a clock the test moves. That a session growing past the partition bound
 * is dropped is {@code FetchSessionTest}'s, on the wire.
 */
class FetchSessionsTest
{
    private static final long IDLE_NANOS = 1_000_000_000L;

    private final AtomicLong nanos = new AtomicLong();
    private final FetchSessionMetrics metrics = new FetchSessionMetrics();

    private FetchSessions sessions(final int maxSessions, final long maxPartitions)
    {
        return new FetchSessions(maxSessions, maxPartitions, IDLE_NANOS / 1_000_000, nanos::get, metrics);
    }

    @Test
    void aFullCacheRefusesNewSessionsUntilOneIsIdle()
    {
        final FetchSessions sessions = sessions(2, 1_000);
        final FetchSession first = sessions.create(false, 10);
        final FetchSession second = sessions.create(true, 10);
        assertNotNull(first);
        assertNotNull(second);
        assertTrue(first.id > 0 && second.id > 0 && first.id != second.id);
        assertNull(sessions.create(false, 1), "no slot");

        nanos.addAndGet(IDLE_NANOS / 2);
        assertSame(second, sessions.get(second.id), "used: stays");
        nanos.addAndGet(IDLE_NANOS / 2);
        final FetchSession third = sessions.create(false, 1);
        assertNotNull(third, "the idle one made room");
        assertTrue(first.closed);
        assertNull(sessions.get(first.id));
        assertSame(second, sessions.get(second.id));
        assertEquals(2, sessions.size());
        assertEquals(3, metrics.createdCount());
        assertEquals(2, metrics.sessionCount());
    }

    @Test
    void thePartitionBoundRefusesSessionsThatWouldPassIt()
    {
        final FetchSessions sessions = sessions(10, 100);
        assertNotNull(sessions.create(false, 60));
        assertNull(sessions.create(false, 41), "41 more would make 101");
        assertNotNull(sessions.create(false, 40));
        assertEquals(2, sessions.size());
    }

    @Test
    void anEmptiedSessionIsRemoved()
    {
        final FetchSessions sessions = sessions(10, 100);
        final FetchSession session = sessions.create(false, 3);
        assertFalse(sessions.resized(session), "it holds no partitions");
        assertTrue(session.closed);
        assertNull(sessions.get(session.id));
        assertEquals(0, metrics.sessionCount());
    }

    @Test
    void noSlotsMeansNoSessions()
    {
        assertNull(sessions(0, 100).create(false, 1));
    }
}
