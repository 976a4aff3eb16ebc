package io.tidemark.runtime.tradeoff;

/**
 * What one watermark strategy achieved on one stream: one row of the table.
 *
 * @param strategy          its name.
 * @param latencyP50        result latency (emission time minus window end) of first results,
 *                          median, ms.
 * @param latencyP99        the same, 99th percentile, ms.
 * @param completeness      the share of events counted in the first result of their window.
 * @param lateEvents        events that arrived after their window had fired (what drop drops
 *                          and dead-letter sends away).
 * @param dropped           events dropped by the policy.
 * @param deadLettered      events sent to the dead letter.
 * @param lateUpdates       results re-emitted as updates.
 * @param flushedAtEnd      first results that only the end of input emitted (not in the
 *                          latency figures: their wait was cut short).
 * @param finalMatchesTruth under late updates, whether the last result of every window equals
 *                          the batch count; {@code null} under other policies.
 * @param notReached        why the strategy was not reached in this run: no window was closed by
 *                          its watermarks before the end of input, so its latency (none measured)
 *                          and completeness (everything waited for the end) say nothing about it;
 *                          {@code null} when it was reached.
 */
public record StrategyResult(
    String strategy, long latencyP50, long latencyP99, double completeness, long lateEvents, long dropped, long deadLettered,
    long lateUpdates, long flushedAtEnd, Boolean finalMatchesTruth, String notReached)
{
    /**
     * @return whether the run reached the strategy: some window was closed by its watermarks
     *         before the end of input.
     */
    public boolean reached()
    {
        return notReached == null;
    }
}
