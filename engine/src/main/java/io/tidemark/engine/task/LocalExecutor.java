package io.tidemark.engine.task;

import io.tidemark.engine.checkpoint.CheckpointConfig;
import io.tidemark.engine.checkpoint.CheckpointStorage;
import io.tidemark.engine.checkpoint.CompletedCheckpoint;
import io.tidemark.engine.checkpoint.DeliveryGuarantee;
import io.tidemark.engine.graph.JobGraph;
import io.tidemark.engine.graph.JobVertex;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Runs a job graph in this process (see {@link JobRunner}): one thread per subtask of every
 * vertex, the source's splits dealt to its subtasks round robin, or, when the job resumes a
 * checkpoint, each subtask restored from it. A job resumes the checkpoint or savepoint of
 * {@link ExecutionConfig#restoreFrom()} if set, else the latest completed checkpoint in its
 * checkpoint directory; an at-most-once job resumes its sources' recorded positions instead,
 * with empty state.
 */
public final class LocalExecutor
{
    private LocalExecutor()
    {
    }

    /**
     * Starts the job and returns at once.
     *
     * @param jobName the job's name, for threads and errors.
     * @param graph   the job graph.
     * @param config  the execution settings; copied.
     * @return the handle to wait on, cancel, checkpoint, and read metrics from.
     * @throws UncheckedIOException if the checkpoint to resume cannot be read, or does not fit
     *                              the graph.
     */
    public static JobHandle start(final String jobName, final JobGraph graph, final ExecutionConfig config)
    {
        final ExecutionConfig settings = config.copy();
        for (final JobVertex vertex : graph.vertices())
        {
            if (vertex.parallelism() > settings.maxParallelism())
            {
                throw new IllegalArgumentException(vertex.name() + " has parallelism " + vertex.parallelism() + " above the max parallelism " + settings.maxParallelism());
            }
        }
        final CheckpointConfig checkpoints = settings.checkpointConfig();
        CheckpointCoordinator coordinator = null;
        PositionFiles positions = null;
        final CompletedCheckpoint restored;
        try
        {
            CheckpointStorage storage = null;
            if (checkpoints != null)
            {
                storage = CheckpointStorage.open(checkpoints.directory(), checkpoints.retained());
            }
            if (settings.restoreFrom() != null)
            {
                restored = CheckpointStorage.load(settings.restoreFrom());
            }
            else if (storage != null && checkpoints.guarantee() != DeliveryGuarantee.AT_MOST_ONCE)
            {
                restored = storage.latest().orElse(null);
            }
            else
            {
                restored = null;
            }
            if (checkpoints != null && checkpoints.guarantee() == DeliveryGuarantee.AT_MOST_ONCE)
            {
                positions = new PositionFiles(checkpoints.directory());
            }
            if (checkpoints != null)
            {
                coordinator = new CheckpointCoordinator(jobName, graph, settings.maxParallelism(), checkpoints, storage, restored);
            }
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("job '" + jobName + "' cannot read its checkpoints: " + e.getMessage(), e);
        }
        final JobRunner runner = new JobRunner(jobName, graph, settings, coordinator, positions);
        try
        {
            runner.start(restored);
        }
        catch (final RuntimeException e)
        {
            if (coordinator != null)
            {
                coordinator.shutdown();
            }
            throw e;
        }
        return new JobHandle(jobName, runner);
    }
}
