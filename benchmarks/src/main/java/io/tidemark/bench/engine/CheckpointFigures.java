package io.tidemark.bench.engine;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.ToLongFunction;

import io.tidemark.engine.checkpoint.CheckpointStats;

/**
 * What the checkpoints of a throughput run cost, as the harness prints it: each checkpoint's
 * duration (trigger to completion), size, alignment (the longest any task held an input back)
 * and synchronous part (the longest any task stopped to capture its state), and the medians
 * and maxima over many. The sources of W4 and W3C run flat out, so the window subtasks are
 * the bottleneck and every barrier travels through full channels: these are checkpoints under
 * backpressure.
 */
final class CheckpointFigures
{
    private static final double MIB = 1024.0 * 1024.0;

    private CheckpointFigures()
    {
    }

    /**
     * @param stats one checkpoint's statistics.
     * @return one line: id, status, duration, size, alignment and sync time, and why it was
     * aborted if it was.
     */
    static String describe(final CheckpointStats stats)
    {
        return String.format(Locale.ROOT, "checkpoint %d %s: %d ms, %.2f MiB, alignment %d ms, sync %d ms%s", stats.id(), stats.status(), stats.durationMillis(),
            stats.sizeBytes() / MIB, stats.alignmentMillis(), stats.syncMillis(), stats.failure() == null ? "" : " (" + stats.failure() + ")");
    }

    /**
     * @param all the checkpoints of one workload over all its runs.
     * @return one line: how many completed and aborted, and the median and maximum of the
     * completed ones' duration, size, alignment and sync time.
     */
    static String summarize(final List<CheckpointStats> all)
    {
        final List<CheckpointStats> completed = all.stream().filter(stats -> stats.status() == CheckpointStats.Status.COMPLETED).toList();
        final long aborted = all.stream().filter(stats -> stats.status() == CheckpointStats.Status.ABORTED).count();
        if (completed.isEmpty())
        {
            return String.format(Locale.ROOT, "checkpoints: none completed, %d aborted", aborted);
        }
        return String.format(Locale.ROOT, "checkpoints: %d completed, %d aborted; median (max): duration %s ms, size %.2f (%.2f) MiB, alignment %s ms, sync %s ms",
            completed.size(), aborted, medianAndMax(completed, CheckpointStats::durationMillis), median(completed, CheckpointStats::sizeBytes) / MIB,
            max(completed, CheckpointStats::sizeBytes) / MIB, medianAndMax(completed, CheckpointStats::alignmentMillis), medianAndMax(completed, CheckpointStats::syncMillis));
    }

    private static String medianAndMax(final List<CheckpointStats> completed, final ToLongFunction<CheckpointStats> figure)
    {
        return median(completed, figure) + " (" + max(completed, figure) + ")";
    }

    private static long median(final List<CheckpointStats> completed, final ToLongFunction<CheckpointStats> figure)
    {
        final long[] sorted = completed.stream().mapToLong(figure).toArray();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static long max(final List<CheckpointStats> completed, final ToLongFunction<CheckpointStats> figure)
    {
        return completed.stream().mapToLong(figure).max().orElseThrow();
    }
}
