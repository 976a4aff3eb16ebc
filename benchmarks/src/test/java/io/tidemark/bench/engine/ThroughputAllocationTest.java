package io.tidemark.bench.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ThroughputAllocationTest
{
    private static final long EVENTS = 4_000_000;
    /**
     * What W1 may allocate per event beyond a fixed cost per run: its window results, 10,000
     * per minute of event time, come to under half a byte an event; the rest is the slack of
     * a heap measured by G1 region. A source that made an {@code Event} (40 bytes) or a key
     * that was boxed (16 bytes) per record is far above it.
     */
    private static final double MAX_BYTES_PER_EVENT = 3;

    @Test
    void w1AllocatesNothingPerEventOnceWarm()
    {
        ThroughputWorkload.W1.run(EVENTS / 4);
        // Two runs of N and 2N events: what a run costs whatever its length (operators'
        // arrays, channels, threads) cancels out, and what is left is the cost of N events.
        final long once = ThroughputWorkload.W1.run(EVENTS).heap().bytes();
        final long twice = ThroughputWorkload.W1.run(2 * EVENTS).heap().bytes();
        final double perEvent = (double)(twice - once) / EVENTS;
        assertTrue(perEvent < MAX_BYTES_PER_EVENT, "W1 allocates " + perEvent + " bytes per event (" + once + " bytes for " + EVENTS + " events, " + twice
            + " for twice as many)");
    }
}
