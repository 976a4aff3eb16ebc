package io.tidemark.runtime.tradeoff;

import org.agrona.collections.LongArrayList;

/**
 * The watermarks a replay's source emitted, each with the simulated processing time at which
 * it was emitted. A window fired by watermark {@code w} was emitted when {@code w} was: that
 * is its emission time. Written by the source thread, read after the job has ended.
 */
final class WatermarkTimeline
{
    private final LongArrayList watermarks = new LongArrayList();
    private final LongArrayList times = new LongArrayList();

    synchronized void emitted(final long watermark, final long time)
    {
        if (watermarks.isEmpty() || watermark > watermarks.getLong(watermarks.size() - 1))
        {
            watermarks.addLong(watermark);
            times.addLong(time);
        }
    }

    /**
     * @param watermark a watermark the source emitted.
     * @return the simulated time at which the source first reached it, or
     *         {@code Long.MIN_VALUE} if it never did (the final watermark at the end of input).
     */
    synchronized long emissionTime(final long watermark)
    {
        int low = 0;
        int high = watermarks.size() - 1;
        while (low <= high)
        {
            final int mid = (low + high) >>> 1;
            if (watermarks.getLong(mid) < watermark)
            {
                low = mid + 1;
            }
            else
            {
                high = mid - 1;
            }
        }
        return low < watermarks.size() ? times.getLong(low) : Long.MIN_VALUE;
    }
}
