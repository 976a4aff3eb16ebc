package io.tidemark.runtime.metrics;

import java.util.concurrent.atomic.AtomicLong;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

/**
 * The broker's incremental fetch sessions: how many are cached and with how many partitions,
 * how many were created, evicted or refused for want of room, and how many fetches were
 * incremental and how many partitions they left out of their responses because nothing about
 * them changed. The fetch path counts once per fetch (an atomic add), never per partition.
 */
public final class FetchSessionMetrics implements MultiCollector
{
    private final AtomicLong sessions = new AtomicLong();
    private final AtomicLong partitions = new AtomicLong();
    private final AtomicLong created = new AtomicLong();
    private final AtomicLong evicted = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong incrementalFetches = new AtomicLong();
    private final AtomicLong partitionsLeftOut = new AtomicLong();

    /**
     * A session was cached.
     *
     * @param partitionCount its partitions.
     */
    public void created(final int partitionCount)
    {
        created.incrementAndGet();
        sessions.incrementAndGet();
        partitions.addAndGet(partitionCount);
    }

    /**
     * A session left the cache.
     *
     * @param partitionCount the partitions it had.
     * @param idle whether it was evicted, idle too long, to make room, rather than closed by its client or emptied.
     */
    public void removed(final int partitionCount, final boolean idle)
    {
        sessions.decrementAndGet();
        partitions.addAndGet(-partitionCount);
        if (idle)
        {
            evicted.incrementAndGet();
        }
    }

    /** A full fetch asked for a session and the cache had no room: it was answered without one. */
    public void refused()
    {
        refused.incrementAndGet();
    }

    /**
     * A cached session gained or lost partitions.
     *
     * @param partitionDelta partitions added minus those forgotten.
     */
    public void resized(final int partitionDelta)
    {
        partitions.addAndGet(partitionDelta);
    }

    /** An incremental fetch was served. */
    public void incremental()
    {
        incrementalFetches.incrementAndGet();
    }

    /**
     * @param count partitions of a session left out of an answered incremental fetch's response.
     */
    public void leftOut(final int count)
    {
        partitionsLeftOut.addAndGet(count);
    }

    /** @return sessions created so far. */
    public long createdCount()
    {
        return created.get();
    }

    /** @return incremental fetches served so far. */
    public long incrementalCount()
    {
        return incrementalFetches.get();
    }

    /** @return partitions left out of incremental responses so far. */
    public long leftOutCount()
    {
        return partitionsLeftOut.get();
    }

    /** @return sessions in the cache now. */
    public long sessionCount()
    {
        return sessions.get();
    }

    @Override
    public MetricSnapshots collect()
    {
        return MetricSnapshots.of(
            gauge("tidemark_fetch_sessions", "Incremental fetch sessions cached", sessions.get()),
            gauge("tidemark_fetch_session_partitions", "Partitions held by the cached fetch sessions", partitions.get()),
            counter("tidemark_fetch_sessions_created", "Fetch sessions created", created.get()),
            counter("tidemark_fetch_sessions_evicted", "Fetch sessions idle too long, evicted to make room for a new one", evicted.get()),
            counter("tidemark_fetch_sessions_refused", "Full fetches that asked for a session when the cache had no room", refused.get()),
            counter("tidemark_fetch_incremental", "Incremental fetches served", incrementalFetches.get()),
            counter("tidemark_fetch_incremental_partitions_left_out", "Session partitions left out of incremental responses, unchanged",
                partitionsLeftOut.get()));
    }

    private static GaugeSnapshot gauge(final String name, final String help, final long value)
    {
        return GaugeSnapshot.builder().name(name).help(help)
            .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(Labels.EMPTY).value(value).build()).build();
    }

    private static CounterSnapshot counter(final String name, final String help, final long value)
    {
        return CounterSnapshot.builder().name(name).help(help)
            .dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().labels(Labels.EMPTY).value(value).build()).build();
    }
}
