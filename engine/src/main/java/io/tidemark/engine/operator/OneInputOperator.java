package io.tidemark.engine.operator;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * A step of the pipeline, called record at a time by one task thread. The task calls
 * {@link #open} once, then the {@code process...} methods in the order things arrive, then
 * {@link #endInput()} when every input has ended, then {@link #close()}.
 *
 * <p>An operator that emits a watermark must have finished everything that watermark makes
 * due (event-time timers) before forwarding it: downstream takes the watermark as a promise.
 *
 * @param <IN>  the input type.
 * @param <OUT> the output type.
 */
public interface OneInputOperator<IN, OUT>
{
    /**
     * @param context the subtask's name, index, clock, metrics and state.
     * @param output  where results go.
     * @throws Exception if the operator cannot start.
     */
    void open(OperatorContext context, Output<OUT> output) throws Exception;

    /**
     * @param value     a record.
     * @param timestamp its event timestamp, or {@link io.tidemark.engine.time.Watermark#NONE}.
     * @throws Exception to fail the job.
     */
    void processElement(IN value, long timestamp) throws Exception;

    /**
     * Fires what the watermark makes due, then forwards it.
     *
     * @param watermark the input's new watermark.
     * @throws Exception to fail the job.
     */
    void processWatermark(long watermark) throws Exception;

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
     * record.
     *
     * @param in where to read.
     * @throws IOException if the bytes are not this operator's snapshot.
     */
    void restoreState(DataInput in) throws IOException;

    /**
     * Releases resources. Called once, also when the job fails.
     *
     * @throws Exception if releasing fails.
     */
    void close() throws Exception;
}
