package io.tidemark.engine.checkpoint;

/**
 * What one checkpoint cost, for the job's metrics.
 *
 * @param id               the checkpoint id.
 * @param triggerTimestamp when it was triggered, epoch milliseconds.
 * @param status           how it ended, or {@link Status#IN_PROGRESS}.
 * @param durationMillis   from trigger to completion (or to abort).
 * @param sizeBytes        the bytes of state written.
 * @param alignmentMillis  the longest any task held an input back waiting for the barrier on
 *                         its other inputs; 0 without alignment.
 * @param syncMillis       the longest any task stopped processing to capture its state.
 * @param savepoint        whether it is a savepoint.
 * @param failure          why it was aborted, or {@code null}.
 */
public record CheckpointStats(long id, long triggerTimestamp, Status status, long durationMillis, long sizeBytes, long alignmentMillis,
                              long syncMillis, boolean savepoint, String failure)
{
    /** How a checkpoint ended. */
    public enum Status
    {
        /** Triggered, not every task has acknowledged yet. */
        IN_PROGRESS,
        /** Every task acknowledged and the manifest is written. */
        COMPLETED,
        /** Timed out, declined by a task, or failed to write. */
        ABORTED
    }
}
