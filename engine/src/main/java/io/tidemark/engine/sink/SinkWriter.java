package io.tidemark.engine.sink;

import java.io.DataOutput;
import java.io.IOException;

/**
 * Writes one sink subtask's records. Called from the subtask's thread only.
 *
 * <p>In a checkpointed job the writer takes part in each checkpoint: {@link #preCommit} at the
 * barrier, {@link #snapshotState} right after, and {@link #commit} once the checkpoint is
 * complete. A writer that only flushes at the barrier gives at-least-once; a writer that
 * keeps each checkpoint's output invisible until {@link #commit} (a transaction) gives
 * exactly-once.
 *
 * @param <T> the record type.
 */
public interface SinkWriter<T>
{
    /**
     * @param value     a record.
     * @param timestamp its timestamp.
     * @throws Exception to fail the job.
     */
    void write(T value, long timestamp) throws Exception;

    /**
     * Makes everything written so far durable or visible; called at the end of input.
     *
     * @throws Exception to fail the job.
     */
    default void flush() throws Exception
    {
    }

    /**
     * A checkpoint barrier arrived: everything written before it must be durable, and (for a
     * transactional writer) set aside to be committed when the checkpoint completes; what is
     * written after belongs to the next checkpoint. By default, {@link #flush()}.
     *
     * @param checkpointId the checkpoint.
     * @throws Exception to decline the checkpoint and fail the job.
     */
    default void preCommit(final long checkpointId) throws Exception
    {
        flush();
    }

    /**
     * Writes what a restarted writer needs to finish this checkpoint's work, such as the
     * transactions pre-committed and not yet committed. Read back by
     * {@link Sink#restoreWriter}.
     *
     * @param checkpointId the checkpoint.
     * @param out          where to write.
     * @throws IOException if writing fails.
     */
    default void snapshotState(final long checkpointId, final DataOutput out) throws IOException
    {
    }

    /**
     * Checkpoint {@code checkpointId} is complete: make visible what was pre-committed for it
     * and for any earlier checkpoint still pending.
     *
     * @param checkpointId the checkpoint.
     * @throws Exception to fail the job.
     */
    default void commit(final long checkpointId) throws Exception
    {
    }

    /**
     * Releases the writer's resources; called once, also when the job fails.
     *
     * @throws Exception if releasing fails.
     */
    default void close() throws Exception
    {
    }
}
