package io.tidemark.bench.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LatencyAllocationTest
{
    /**
     * What W5 may allocate per event beyond a fixed cost per run: nothing is made per event,
     * and a heap measured by G1 region is exact to a few MiB, under 6 bytes an event over the
     * 800,000 events by which the two runs differ. A source that made its {@code Stamped} (32
     * bytes), a channel that copied it into a new one, or a key boxed per event (16 bytes) is
     * far above it.
     */
    private static final double MAX_BYTES_PER_EVENT = 8;

    @Test
    void w5AllocatesNothingPerEventOnceWarm()
    {
        run(1);
        // A run of 1 s and one of 5 s: what a run costs whatever its length cancels out.
        final long once = run(1);
        final long longer = run(5);
        final long events = 4L * LatencyRun.RATE;
        final double perEvent = (double)(longer - once) / events;
        assertTrue(perEvent < MAX_BYTES_PER_EVENT, "W5 allocates " + perEvent + " bytes per event (" + once + " bytes in 1 s, " + longer + " in 5 s)");
    }

    /** Runs W5 for {@code seconds} without a warm-up and returns the bytes it allocated. */
    private static long run(final int seconds)
    {
        final LatencyRun.HistogramSink sink = new LatencyRun.HistogramSink();
        final long bytes = LatencyRun.run("0", seconds, 0, 2, sink).bytes();
        assertEquals((long)LatencyRun.RATE * seconds, sink.measured.histogram().getTotalCount(), "every event reached the sink");
        return bytes;
    }
}
