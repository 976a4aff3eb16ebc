package io.tidemark.runtime.tradeoff;

import java.util.HashMap;
import java.util.Map;

/**
 * The right answer, computed in batch over the whole stream: the count of every
 * (device, minute) and of every minute over all devices. Streaming results are judged
 * against it.
 */
public final class GroundTruth
{
    /** The key of the all-devices count. */
    public static final int TOTAL = -1;

    private final long windowSize;
    private final Map<Long, Long> counts = new HashMap<>();
    private final long events;

    /**
     * @param stream     the events.
     * @param windowSize the tumbling window size, ms.
     */
    public GroundTruth(final EventStream stream, final long windowSize)
    {
        this.windowSize = windowSize;
        for (int i = 0; i < stream.size(); i++)
        {
            final long start = stream.eventTime(i) - Math.floorMod(stream.eventTime(i), windowSize);
            counts.merge(cell(stream.device(i), start), 1L, Long::sum);
            counts.merge(cell(TOTAL, start), 1L, Long::sum);
        }
        this.events = stream.size();
    }

    /**
     * @param key         a device or {@link #TOTAL}.
     * @param windowStart a window start.
     * @return the identity of that (key, window) cell.
     */
    long cell(final int key, final long windowStart)
    {
        return (long)(key + 1) << 32 | Math.floorDiv(windowStart, windowSize) & 0xFFFF_FFFFL;
    }

    /**
     * @return every cell's true count.
     */
    Map<Long, Long> counts()
    {
        return counts;
    }

    /**
     * @return the number of events.
     */
    public long events()
    {
        return events;
    }
}
