package io.tidemark.runtime.jobs;

import java.util.List;

/**
 * A job with its graph, for {@code GET /api/jobs/{id}} and the dashboard.
 *
 * @param status    the job's status.
 * @param vertices  its tasks' vertices: chained operators that run in one task, in job order.
 * @param edges     the channels between vertices.
 * @param checkpoints its latest checkpoints' statistics, oldest first.
 */
public record JobDetail(JobStatus status, List<Vertex> vertices, List<Edge> edges, List<CheckpointAttempt> checkpoints)
{
    /**
     * @param id          the vertex's id.
     * @param name        its name (its operators' names joined).
     * @param parallelism its subtasks.
     * @param operators   the names of its chained operators, head first.
     */
    public record Vertex(int id, String name, int parallelism, List<String> operators)
    {
    }

    /**
     * @param source       the upstream vertex's id.
     * @param target       the downstream vertex's id.
     * @param partitioning how records are sent: forward, hash, rebalance, broadcast...
     */
    public record Edge(int source, int target, String partitioning)
    {
    }

    /**
     * @param id             the checkpoint's id.
     * @param status         completed, aborted or in progress.
     * @param triggeredAtMillis when it was triggered.
     * @param durationMillis how long it took, or -1 while in progress.
     * @param sizeBytes      its state's size.
     */
    public record CheckpointAttempt(long id, String status, long triggeredAtMillis, long durationMillis, long sizeBytes)
    {
    }
}
