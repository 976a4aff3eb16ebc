package io.tidemark.runtime.jobs;

/**
 * Where a job of the server is in its life. RUNNING and RESTARTING jobs are resumed when the
 * server starts again; the others stay as they are until resumed by hand.
 */
public enum JobState
{
    /** Its tasks run. */
    RUNNING,
    /** A task failed and the restart strategy is waiting to start the job again. */
    RESTARTING,
    /** Its bounded input ended and every task finished. */
    FINISHED,
    /** Cancelled by a user, perhaps with a savepoint. */
    CANCELLED,
    /** It failed more often than its restart strategy allows, or could not be defined. */
    FAILED;

    /**
     * @return whether the job is meant to be running: running now, or waiting to restart.
     */
    public boolean live()
    {
        return this == RUNNING || this == RESTARTING;
    }
}
