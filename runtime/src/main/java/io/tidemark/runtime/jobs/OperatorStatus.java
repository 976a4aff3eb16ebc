package io.tidemark.runtime.jobs;

/**
 * One operator of a running job, its subtasks summed (counts) or at their minimum (watermark)
 * or maximum (newest event time).
 *
 * @param name              the operator's name.
 * @param parallelism       its subtasks.
 * @param recordsIn         records it has taken in (a source: records it has read).
 * @param recordsOut        records it has sent on.
 * @param watermark         the least watermark of its subtasks, {@code Long.MIN_VALUE} before any.
 * @param watermarkLagMillis wall-clock time now minus that watermark, or -1 before any.
 * @param newestEventTime   the largest timestamp it has taken in, {@code Long.MIN_VALUE} before any.
 * @param lateRecordsDropped late records it dropped.
 * @param lateRecordsUpdated late records it added to a window that fired again (late-update policy).
 * @param lateRecordsToSideOutput late records it sent to its side output (dead-letter policy).
 * @param lateWindowsMissed windows that had fired before an on-time record of theirs arrived (hopping windows).
 */
public record OperatorStatus(String name, int parallelism, long recordsIn, long recordsOut, long watermark, long watermarkLagMillis, long newestEventTime,
    long lateRecordsDropped, long lateRecordsUpdated, long lateRecordsToSideOutput, long lateWindowsMissed)
{
}
