package io.tidemark.runtime.jobs;

import java.nio.file.Path;

/**
 * What {@code job.json} holds of a job: enough to define and start it again after the server
 * restarts, and its last known state. A running job's record says RUNNING also while it waits
 * to restart after a failure.
 *
 * @param id              the job's id.
 * @param name            its display name.
 * @param submission      what it was submitted as.
 * @param state           its last known state.
 * @param failure         why it failed, or {@code null}.
 * @param createdAtMillis when it was submitted (epoch milliseconds).
 * @param savepoint       the savepoint it last started from or took, or {@code null}: a start
 *                        without an explicit savepoint takes it when it is newer than the
 *                        job's latest checkpoint.
 */
record JobRecord(String id, String name, JobSubmission submission, JobState state, String failure, long createdAtMillis, Path savepoint)
{
    /**
     * @param newState   the job's new state.
     * @param newFailure why it failed, or {@code null}.
     * @return a copy in that state.
     */
    JobRecord in(final JobState newState, final String newFailure)
    {
        return new JobRecord(id, name, submission, newState, newFailure, createdAtMillis, savepoint);
    }

    /**
     * @param newSavepoint the savepoint the job last started from or took.
     * @return a copy with it.
     */
    JobRecord withSavepoint(final Path newSavepoint)
    {
        return new JobRecord(id, name, submission, state, failure, createdAtMillis, newSavepoint);
    }
}
