package io.tidemark.runtime.tradeoff;

/**
 * One window result as the harness sees it: the count, and what it needs to date the
 * result on the simulated clock.
 *
 * @param key         a device, or {@link GroundTruth#TOTAL} for the all-devices count.
 * @param windowStart the window's start.
 * @param windowEnd   the window's end (exclusive).
 * @param count       events counted.
 * @param lastArrival the latest arrival time among them.
 * @param watermark   the window operator's watermark when it fired.
 * @param update      whether it revises an earlier result.
 */
record WindowEmission(int key, long windowStart, long windowEnd, long count, long lastArrival, long watermark, boolean update)
{
}
