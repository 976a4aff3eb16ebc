package io.tidemark.engine.sink;

import java.io.DataInput;
import java.util.List;

/**
 * Where a job's results go. Each parallel subtask writes through its own writer.
 *
 * @param <T> the record type.
 */
@FunctionalInterface
public interface Sink<T>
{
    /**
     * @param subtaskIndex the subtask.
     * @param parallelism  the sink's parallelism.
     * @return the writer for that subtask.
     * @throws Exception if the writer cannot be created.
     */
    SinkWriter<T> createWriter(int subtaskIndex, int parallelism) throws Exception;

    /**
     * Creates the writer of a job that resumes a checkpoint: it first finishes what the
     * snapshots say was left (commits what a completed checkpoint pre-committed, aborts what
     * was written after it). By default, a fresh writer.
     *
     * @param subtaskIndex the subtask.
     * @param parallelism  the sink's parallelism.
     * @param snapshots    what {@link SinkWriter#snapshotState} wrote in the subtasks
     *                     {@code j} of the checkpointed job with
     *                     {@code j % parallelism == subtaskIndex}; empty if none wrote anything.
     * @return the writer.
     * @throws Exception if the writer cannot be created or the leftovers cannot be finished.
     */
    default SinkWriter<T> restoreWriter(final int subtaskIndex, final int parallelism, final List<DataInput> snapshots) throws Exception
    {
        return createWriter(subtaskIndex, parallelism);
    }

    /**
     * Whether this sink's writers may keep a reference to a record past the
     * {@link SinkWriter#write} call that received it (in a buffer, a list of results). A sink
     * whose writers read each record within {@code write} and keep nothing of it says false:
     * it can then take the recycled records of a reusing source
     * ({@link io.tidemark.engine.functions.ReusableRecord}) without a copy per record; through
     * a map or a filter chained before it only if the job turns object reuse on
     * ({@link io.tidemark.engine.task.ExecutionConfig#objectReuse(boolean)}), since this says
     * nothing of what their functions keep.
     *
     * @return true unless the writers are known to keep nothing of a record.
     */
    default boolean keepsRecords()
    {
        return true;
    }
}
