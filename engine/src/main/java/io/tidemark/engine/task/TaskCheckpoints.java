package io.tidemark.engine.task;

import io.tidemark.engine.checkpoint.TaskSnapshot;
import io.tidemark.engine.state.KeyGroupRange;

/**
 * One task's part in its job's checkpoints: who it is in a snapshot, its {@link Mailbox}, and
 * where it reports. A task of a job without checkpoints has one too and never gets mail.
 */
final class TaskCheckpoints
{
    final int vertexId;
    final int subtask;
    final int parallelism;
    final KeyGroupRange keyGroups;
    final boolean aligned;
    final boolean source;
    final Mailbox mailbox = new Mailbox();
    private final CheckpointCoordinator coordinator;
    private final CheckpointCoordinator.Attempt attempt;
    private final int index;

    /**
     * @param vertexId    the task's vertex.
     * @param subtask     its subtask index.
     * @param parallelism the vertex's parallelism.
     * @param keyGroups   the key groups the subtask owns.
     * @param aligned     whether barriers are aligned (exactly once).
     * @param source      whether the task is headed by a source: checkpoints start there.
     * @param coordinator where to report, or {@code null} without checkpoints.
     * @param attempt     the run of the job the task belongs to.
     * @param index       the task's index in that run.
     */
    TaskCheckpoints(final int vertexId, final int subtask, final int parallelism, final KeyGroupRange keyGroups, final boolean aligned,
        final boolean source, final CheckpointCoordinator coordinator, final CheckpointCoordinator.Attempt attempt, final int index)
    {
        this.vertexId = vertexId;
        this.subtask = subtask;
        this.parallelism = parallelism;
        this.keyGroups = keyGroups;
        this.aligned = aligned;
        this.source = source;
        this.coordinator = coordinator;
        this.attempt = attempt;
        this.index = index;
    }

    /**
     * @param checkpointId the checkpoint.
     * @param snapshot     what the task captured at its barrier.
     */
    void acknowledge(final long checkpointId, final TaskSnapshot snapshot)
    {
        if (coordinator != null)
        {
            coordinator.acknowledge(attempt, index, checkpointId, snapshot);
        }
    }

    /** The task ended its input: it takes part in no more checkpoints. */
    void finished()
    {
        if (coordinator != null)
        {
            coordinator.taskFinished(attempt, index);
        }
    }
}
