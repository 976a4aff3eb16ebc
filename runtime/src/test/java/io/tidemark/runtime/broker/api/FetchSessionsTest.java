package io.tidemark.runtime.broker.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.tidemark.log.LogConfig;
import io.tidemark.log.topic.LogManager;
import io.tidemark.runtime.metrics.FetchSessionMetrics;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The session cache's bounds: at most so many sessions and so many partitions, a full cache
 * refuses rather than evicts a session in use, and a session idle for the idle time goes only
 * when a new one needs its room, on a clock the test moves; the epoch wraps; a fetch naming
 * far too many partitions is given up early. That a session growing past the partition bound
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
        sessions.used(second);
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
    void anIdleSessionStaysWhileNobodyNeedsItsRoom()
    {
        final FetchSessions sessions = sessions(2, 100);
        final FetchSession paused = sessions.create(false, 10);
        nanos.addAndGet(IDLE_NANOS * 10);
        assertSame(paused, sessions.get(paused.id), "idle, but there is room: kept");
        assertFalse(paused.closed);
        final FetchSession other = sessions.create(false, 10);
        assertNotNull(other, "a free slot: nothing evicted");
        assertFalse(paused.closed);

        // A refused fetch (wrong epoch) is no use: the session is still the idle one.
        assertEquals(Errors.INVALID_FETCH_SESSION_EPOCH, paused.accept(7, false));
        nanos.addAndGet(IDLE_NANOS * 10);
        sessions.used(other);
        assertNotNull(sessions.create(false, 10), "the idle one made room");
        assertTrue(paused.closed);
        assertFalse(other.closed);
        assertNull(sessions.create(false, 10), "no idle one left to make room");
    }

    @Test
    void theEpochWrapsFromTheLargestIntToOne()
    {
        final FetchSession session = new FetchSession(1, false);
        session.epoch = Integer.MAX_VALUE;
        assertEquals(Errors.NONE, session.accept(Integer.MAX_VALUE, false));
        assertEquals(1, session.epoch);
        assertEquals(Errors.NONE, session.accept(1, false));
        assertEquals(2, session.epoch);
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

    /** A fetch naming far more new partitions than the bound leaves is given up before it adds them all. */
    @Test
    void anIncrementalFetchNamingTooManyIsGivenUpEarly(@TempDir final Path dataDir) throws Exception
    {
        final FetchSessions sessions = sessions(10, 100);
        final FetchSession session = sessions.create(false, 3);
        final List<FetchRequestData.FetchPartition> partitions = new ArrayList<>();
        for (int p = 0; p < 10_000; p++)
        {
            partitions.add(new FetchRequestData.FetchPartition().setPartition(p));
        }
        final FetchRequestData data = new FetchRequestData().setTopics(List.of(new FetchRequestData.FetchTopic().setTopic("t")
            .setPartitions(partitions)));
        try (LogManager logs = LogManager.open(dataDir, LogConfig.DEFAULTS))
        {
            assertFalse(session.update(data, true, logs, sessions.headroom(session)));
        }
        assertEquals(100, session.size(), "stopped at the first partition past the bound of 100");
    }

    @Test
    void noSlotsMeansNoSessions()
    {
        assertNull(sessions(0, 100).create(false, 1));
    }
}
