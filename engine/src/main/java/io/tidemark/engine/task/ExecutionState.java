package io.tidemark.engine.task;

/**
 * Where a job started by {@link LocalExecutor} is: its tasks run, it waits to restart after a
 * failure, or it has ended, and how.
 */
public enum ExecutionState
{
    /** Its tasks run. */
    RUNNING,
    /** A task failed; the job waits out its restart strategy's delay to start again. */
    RESTARTING,
    /** Every task reached the end of its input. */
    FINISHED,
    /** It was cancelled. */
    CANCELLED,
    /** A task failed and the restart strategy allowed no further restart. */
    FAILED
}
