package io.tidemark.engine.operator;

import io.tidemark.engine.checkpoint.OperatorSnapshot;
import io.tidemark.engine.time.Watermark;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * A step of the pipeline, called record at a time by one task thread. The task calls
 * {@link #open} once, then (when the job resumes a checkpoint) {@link #restoreState} for each
 * snapshot this subtask inherits, then {@link #restoreFinished()}, then the
 * {@code process...} methods in the order things arrive, then {@link #endInput()} when every
 * input has ended, then {@link #close()}.
 *
 * <p>At a checkpoint barrier the task calls {@link #prepareSnapshotPreBarrier} and
 * {@link #snapshot} on each operator of its chain, head first, between two records, then
 * forwards the barrier; when the checkpoint completes (or is aborted) every operator hears of
 * it through {@link #notifyCheckpointComplete} (or {@link #notifyCheckpointAborted}), on the
 * task's thread, between two records.
 *
 * <p>An operator that emits a watermark must have finished everything that watermark makes
 * due (event-time timers) before forwarding it: downstream takes the watermark as a promise.
 * An operator's watermark never goes back, also across a restore: its entrance passes on no
 * watermark behind the operator's {@link #currentWatermark()}.
 *
 * <p>{@link OneInputOperator} adds the records of one input, {@link TwoInputOperator} those of
 * two; either way the operator sees one watermark, combined by its task over every input.
 *
 * @param <OUT> the output type.
 */
public interface StreamOperator<OUT>
{
    /**
     * @param context the subtask's name, index, clock, metrics and state.
     * @param output  where results go.
     * @throws Exception if the operator cannot start.
     */
    void open(OperatorContext context, Output<OUT> output) throws Exception;

    /**
     * Fires what the watermark makes due, then forwards it.
     *
     * @param watermark the input's new watermark (for two inputs, the least of theirs), not
     *                  behind {@link #currentWatermark()}.
     * @throws Exception to fail the job.
     */
    void processWatermark(long watermark) throws Exception;

    /**
     * The event-time watermark the operator stands at, which it may have restored from a
     * snapshot. The valves in front of a restored operator start afresh, so the first
     * watermarks the restarted sources send may be behind it; its entrance holds back any
     * watermark behind this one, so that a record behind the restored watermark is late,
     * as it would have been without the restart. By default {@link Watermark#NONE}: an
     * operator that keeps no watermark sees every one its input sends.
     *
     * @return the watermark this operator has reached.
     */
    default long currentWatermark()
    {
        return Watermark.NONE;
    }

    /**
     * @param idle whether the input has gone idle; forwarded so that downstream stops
     *             waiting for this stream's watermark.
     */
    void processIdle(boolean idle);

    /**
     * Fires processing-time timers that are due. Called by the task between batches.
     *
     * @param now the current processing time.
     * @throws Exception to fail the job.
     */
    void advanceProcessingTime(long now) throws Exception;

    /**
     * Every input has ended: emit what is still pending.
     *
     * @throws Exception to fail the job.
     */
    void endInput() throws Exception;

    /**
     * Writes the operator's state (keyed state and timers) to bytes.
     *
     * @param out where to write.
     * @throws IOException if the state cannot be written.
     */
    void snapshotState(DataOutput out) throws IOException;

    /**
     * Reads what {@link #snapshotState} wrote. Called after {@link #open}, before any
     * record, once for each snapshot this subtask inherits: after a change of parallelism a
     * keyed operator receives the snapshot of every earlier subtask that held key groups it
     * now owns, and keeps only the key groups of its {@link OperatorContext#keyGroupRange()};
     * an operator without keyed state receives the snapshots of the earlier subtasks
     * {@code j} with {@code j % parallelism == subtaskIndex}.
     *
     * @param in where to read.
     * @throws IOException if the bytes are not this operator's snapshot.
     */
    void restoreState(DataInput in) throws IOException;

    /**
     * The job resumes a checkpoint, but this subtask inherits no snapshot of this operator:
     * the job's parallelism grew past the subtasks that had one, or the operator is new to the
     * job. Called instead of {@link #restoreState}, after {@link #open}, before
     * {@link #restoreFinished}. An operator whose fresh start assumes the operators around it
     * start fresh too (no watermark yet) can take the cautious path here. By default nothing.
     */
    default void restoredWithoutSnapshot()
    {
    }

    /**
     * Every inherited snapshot has been read (or there was none: a fresh start). Called once,
     * after {@link #open} and any {@link #restoreState}, before the first record.
     *
     * @throws Exception if the operator cannot start from what it restored.
     */
    default void restoreFinished() throws Exception
    {
    }

    /**
     * A barrier has reached this operator: finish what must precede the snapshot, such as a
     * sink flushing or pre-committing what it wrote. Whatever the operator emits here still
     * goes out before the barrier.
     *
     * @param checkpointId the checkpoint.
     * @throws Exception to decline the checkpoint and fail the job.
     */
    default void prepareSnapshotPreBarrier(final long checkpointId) throws Exception
    {
    }

    /**
     * Captures the state as it stands, on the task's thread; the returned snapshot is written
     * on another thread while the task goes on. By default the state is serialized here with
     * {@link #snapshotState}, so it stops the task for as long as that takes; an operator with
     * large state overrides this with a copy-on-write handover.
     *
     * @param checkpointId the checkpoint.
     * @return the captured state.
     * @throws Exception if the state cannot be captured.
     */
    default OperatorSnapshot snapshot(final long checkpointId) throws Exception
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        snapshotState(new DataOutputStream(bytes));
        final byte[] captured = bytes.toByteArray();
        return captured.length == 0 ? OperatorSnapshot.EMPTY : out -> out.write(captured);
    }

    /**
     * Checkpoint {@code checkpointId} is complete: every task's state is durable. A sink
     * commits what it pre-committed for it (and for earlier checkpoints that were aborted).
     *
     * @param checkpointId the checkpoint.
     * @throws Exception to fail the job.
     */
    default void notifyCheckpointComplete(final long checkpointId) throws Exception
    {
    }

    /**
     * Checkpoint {@code checkpointId} was aborted; what was pre-committed for it stays pending
     * and is committed with the next checkpoint that completes.
     *
     * @param checkpointId the checkpoint.
     * @throws Exception to fail the job.
     */
    default void notifyCheckpointAborted(final long checkpointId) throws Exception
    {
    }

    /**
     * Releases resources. Called once, also when the job fails.
     *
     * @throws Exception if releasing fails.
     */
    void close() throws Exception;
}
