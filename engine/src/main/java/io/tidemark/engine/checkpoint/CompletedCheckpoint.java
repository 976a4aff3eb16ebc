package io.tidemark.engine.checkpoint;

import io.tidemark.engine.graph.JobGraph;
import io.tidemark.engine.graph.JobVertex;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A checkpoint (or savepoint) whose manifest is written: every subtask's state is durable.
 * Restoring deals its state to the subtasks of a job of the same graph, possibly with other
 * parallelism.
 */
public final class CompletedCheckpoint
{
    /**
     * @return the checkpoint id.
     */
    public long id()
    {
        throw new UnsupportedOperationException("BASE SKELETON");
    }

    /**
     * @return when it was triggered, epoch milliseconds.
     */
    public long timestamp()
    {
        throw new UnsupportedOperationException("BASE SKELETON");
    }

    /**
     * @return its directory, or {@code null} for a checkpoint kept in memory.
     */
    public Path directory()
    {
        throw new UnsupportedOperationException("BASE SKELETON");
    }

    /**
     * @return the bytes of state it holds.
     */
    public long sizeBytes()
    {
        throw new UnsupportedOperationException("BASE SKELETON");
    }

    /**
     * Deals the state to one subtask of a job about to resume: for each operator of the
     * vertex, the snapshots it inherits (by key group for keyed operators, {@code j % p} for
     * the others), and for a source, its splits (all splits of the checkpointed job, dealt by
     * the order of their ids as fresh splits are).
     *
     * @param graph          the resuming job's graph; its node ids and names must match.
     * @param vertex         the vertex.
     * @param subtask        the subtask index in the resuming job.
     * @param maxParallelism the resuming job's number of key groups; must be the checkpoint's.
     * @return what that subtask restores.
     * @throws IOException if state cannot be read, or the graph does not match the checkpoint.
     */
    public TaskRestore restoreFor(final JobGraph graph, final JobVertex vertex, final int subtask, final int maxParallelism) throws IOException
    {
        throw new UnsupportedOperationException("BASE SKELETON");
    }
}
