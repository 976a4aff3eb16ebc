package io.tidemark.engine.testing;

import io.tidemark.engine.functions.OutputTag;
import io.tidemark.engine.operator.OperatorContext;
import io.tidemark.engine.operator.OperatorMetrics;
import io.tidemark.engine.operator.StreamOperator;
import io.tidemark.engine.state.KeyGroups;
import io.tidemark.engine.time.ManualClock;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;

/**
 * What the operator harnesses share, whatever the operator's inputs: the opened operator with a
 * {@link ManualClock} for processing time, what it emitted, its metrics, snapshots and restores.
 *
 * @param <OUT> the operator's output type.
 */
public abstract class OperatorHarness<OUT>
{
    /**
     * Something the operator emitted.
     *
     * @param kind      {@code RECORD}, {@code SIDE}, {@code WATERMARK} or {@code IDLE}.
     * @param tag       the side output, for {@code SIDE}.
     * @param value     the record, for {@code RECORD} and {@code SIDE}; the idle flag for
     *                  {@code IDLE}.
     * @param timestamp the record's timestamp or the watermark.
     */
    public record Emitted(String kind, OutputTag<?> tag, Object value, long timestamp)
    {
    }

    private final StreamOperator<OUT> operator;
    private final ManualClock clock = new ManualClock(0);
    private final OperatorMetrics metrics = new OperatorMetrics("harness", 0);
    private final CollectedOutput<OUT> output = new CollectedOutput<>();

    /**
     * Opens the operator as subtask 0 of 1, with processing time 0.
     *
     * @param operator the operator, not yet opened.
     * @throws Exception if the operator fails to open.
     */
    OperatorHarness(final StreamOperator<OUT> operator) throws Exception
    {
        this.operator = operator;
        operator.open(new OperatorContext("harness", 0, 1, KeyGroups.DEFAULT_MAX_PARALLELISM, clock, metrics), output);
        operator.restoreFinished();
    }

    /**
     * Moves processing time and fires the timers that became due.
     *
     * @param time the new processing time.
     * @throws Exception if a timer callback fails.
     */
    public void setProcessingTime(final long time) throws Exception
    {
        clock.set(time);
        operator.advanceProcessingTime(time);
    }

    /**
     * Ends the input, as when every upstream finished.
     *
     * @throws Exception if the operator fails.
     */
    public void endInput() throws Exception
    {
        operator.endInput();
    }

    /**
     * @return the main-output records emitted since the last call, and forgets them.
     */
    public List<OUT> takeOutput()
    {
        return output.takeOutput();
    }

    /**
     * @param tag a side output.
     * @param <X> its type.
     * @return the records emitted to it so far.
     */
    public <X> List<X> sideOutput(final OutputTag<X> tag)
    {
        return output.sideOutput(tag);
    }

    /**
     * @return the watermarks emitted so far, in order.
     */
    public List<Long> watermarks()
    {
        return output.watermarks();
    }

    /**
     * @return everything emitted and not yet taken, in order.
     */
    public List<Emitted> emitted()
    {
        return output.emitted();
    }

    /**
     * @return the operator's metrics.
     */
    public OperatorMetrics metrics()
    {
        return metrics;
    }

    /**
     * @return the operator's state, as a checkpoint would store it.
     * @throws IOException if the state cannot be written.
     */
    public byte[] snapshot() throws IOException
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        operator.snapshotState(new DataOutputStream(bytes));
        return bytes.toByteArray();
    }

    /**
     * @param snapshot what {@link #snapshot} returned, possibly from another harness.
     * @throws IOException if it is not this operator's snapshot.
     */
    public void restore(final byte[] snapshot) throws IOException
    {
        operator.restoreState(new DataInputStream(new ByteArrayInputStream(snapshot)));
    }
}
