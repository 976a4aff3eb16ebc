package io.tidemark.runtime.jobs;

import java.util.List;

/**
 * A job of the server as {@code tidemark job list} and the HTTP API show it.
 *
 * @param id               the job's id.
 * @param name             its name.
 * @param state            where it is in its life.
 * @param submission       what it was submitted as.
 * @param startedAtMillis  when it was last started (epoch milliseconds).
 * @param uptimeMillis     how long it has been running since then, 0 if it is not running.
 * @param recordsIn        records its sources have read.
 * @param recordsOut       records its sinks have taken in.
 * @param restarts         restarts after failures since it was last started.
 * @param lastCheckpoint   its latest completed checkpoint, or {@code null}.
 * @param operators        its operators, in job order.
 * @param failure          why it failed or last restarted, or {@code null}.
 */
public record JobStatus(String id, String name, JobState state, JobSubmission submission, long startedAtMillis, long uptimeMillis, long recordsIn, long recordsOut,
    int restarts, CheckpointSummary lastCheckpoint, List<OperatorStatus> operators, String failure)
{
    /**
     * A completed checkpoint or savepoint.
     *
     * @param id              its id.
     * @param timestampMillis when it was triggered.
     * @param path            its directory.
     * @param sizeBytes       its state's size.
     */
    public record CheckpointSummary(long id, long timestampMillis, String path, long sizeBytes)
    {
    }
}
