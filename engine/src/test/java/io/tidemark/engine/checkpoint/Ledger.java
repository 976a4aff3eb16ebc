package io.tidemark.engine.checkpoint;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the test operators of one job saw, shared with the test: per checkpoint, the counts by
 * key that passed the sources before the barrier and the counts the keyed counters held in
 * their snapshot; the counters' final counts; and a failure to inject once.
 */
final class Ledger
{
    private final Map<Long, Map<Long, Long>> upstream = new HashMap<>();
    private final Map<Long, Map<Long, Long>> downstream = new HashMap<>();
    private final Map<Long, Long> finals = new ConcurrentHashMap<>();
    final AtomicLong processed = new AtomicLong();
    /** How many times each record was counted, by any run of the job. */
    final Map<Long, Integer> seen = new ConcurrentHashMap<>();
    final AtomicLong aborted = new AtomicLong();
    final AtomicBoolean failed = new AtomicBoolean();
    /** The counters throw once, on the first record after this checkpoint completed; 0 never. */
    volatile long failAfterCheckpoint;
    /** The counters throw once, when they have counted this many records; 0 never. */
    volatile long failAfterRecords;
    final AtomicLong completed = new AtomicLong();

    synchronized void upstream(final long checkpointId, final Map<Long, Long> counts)
    {
        counts.forEach((key, count) -> upstream.computeIfAbsent(checkpointId, id -> new HashMap<>()).merge(key, count, Long::sum));
        upstream.computeIfAbsent(checkpointId, id -> new HashMap<>());
    }

    synchronized void downstream(final long checkpointId, final Map<Long, Long> counts)
    {
        counts.forEach((key, count) -> downstream.computeIfAbsent(checkpointId, id -> new HashMap<>()).merge(key, count, Long::sum));
        downstream.computeIfAbsent(checkpointId, id -> new HashMap<>());
    }

    synchronized Map<Long, Long> upstream(final long checkpointId)
    {
        return Map.copyOf(upstream.getOrDefault(checkpointId, Map.of()));
    }

    synchronized Map<Long, Long> downstream(final long checkpointId)
    {
        return Map.copyOf(downstream.getOrDefault(checkpointId, Map.of()));
    }

    synchronized boolean upstreamSnapshotted(final long checkpointId)
    {
        return upstream.containsKey(checkpointId);
    }

    synchronized long firstUpstreamSnapshot()
    {
        return upstream.keySet().stream().mapToLong(Long::longValue).min().orElse(0);
    }

    void finals(final Map<Long, Long> counts)
    {
        counts.forEach((key, count) -> finals.merge(key, count, Long::sum));
    }

    Map<Long, Long> finals()
    {
        return Map.copyOf(finals);
    }
}
