package io.tidemark.runtime.jobs;

/**
 * One operator of a running job, its subtasks summed (counts) or at their minimum (watermark).
 *
 * @param name              the operator's name.
 * @param parallelism       its subtasks.
 * @param recordsIn         records it has taken in (a source: records it has read).
 * @param watermark         the least watermark of its subtasks, {@code Long.MIN_VALUE} before any.
 * @param watermarkLagMillis wall-clock time now minus that watermark, or -1 before any.
 * @param lateRecordsDropped late records it dropped.
 * @param lateRecordsUpdated late records it added to a window that fired again (late-update policy).
 * @param lateRecordsToSideOutput late records it sent to its side output (dead-letter policy).
 */
public record OperatorStatus(String name, int parallelism, long recordsIn, long watermark, long watermarkLagMillis, long lateRecordsDropped,
    long lateRecordsUpdated, long lateRecordsToSideOutput)
{
}
