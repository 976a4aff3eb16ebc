package io.tidemark.engine.testing;

import io.tidemark.engine.functions.KeySelector;
import io.tidemark.engine.functions.OutputTag;
import io.tidemark.engine.operator.ChainedInput;
import io.tidemark.engine.operator.OneInputOperator;
import io.tidemark.engine.operator.OperatorContext;
import io.tidemark.engine.operator.OperatorMetrics;
import io.tidemark.engine.state.KeyGroups;
import io.tidemark.engine.time.ManualClock;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;

/**
 * Runs one operator by hand, without tasks or threads: push records, watermarks and
 * processing time in, read what came out. Processing time is a {@link ManualClock} that
 * moves only through {@link #setProcessingTime}. For operator tests, and for learning what
 * an operator does one step at a time.
 *
 * <pre>{@code
 * var harness = OneInputOperatorHarness.forKeyedOperator(windowOperator, Click::user);
 * harness.processElement(click, 1_000);
 * harness.processWatermark(59_999);
 * assertEquals(List.of(...), harness.takeOutput());
 * }</pre>
 *
 * @param <IN>  the operator's input type.
 * @param <OUT> its output type.
 */
public final class OneInputOperatorHarness<IN, OUT>
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

    private final OneInputOperator<IN, OUT> operator;
    private final KeySelector<IN, ?> keySelector;
    private final ManualClock clock;
    private final OperatorMetrics metrics;
    private final ChainedInput<IN> input;
    private final CollectedOutput<OUT> output = new CollectedOutput<>();

    private OneInputOperatorHarness(final OneInputOperator<IN, OUT> operator, final KeySelector<IN, ?> keySelector, final long startTime) throws Exception
    {
        this.operator = operator;
        this.keySelector = keySelector;
        this.clock = new ManualClock(startTime);
        this.metrics = new OperatorMetrics("harness", 0);
        this.input = new ChainedInput<>(operator, metrics);
        operator.open(new OperatorContext("harness", 0, 1, KeyGroups.DEFAULT_MAX_PARALLELISM, clock, metrics), output);
        operator.restoreFinished();
    }

    /**
     * @param operator a non-keyed operator, not yet opened.
     * @param <IN>     its input type.
     * @param <OUT>    its output type.
     * @return an opened harness, with processing time 0.
     * @throws Exception if the operator fails to open.
     */
    public static <IN, OUT> OneInputOperatorHarness<IN, OUT> forOperator(final OneInputOperator<IN, OUT> operator) throws Exception
    {
        return new OneInputOperatorHarness<>(operator, null, 0);
    }

    /**
     * @param operator    a keyed operator, not yet opened.
     * @param keySelector extracts each record's key, as the keyed edge would.
     * @param <IN>        its input type.
     * @param <OUT>       its output type.
     * @return an opened harness, with processing time 0.
     * @throws Exception if the operator fails to open.
     */
    public static <IN, OUT> OneInputOperatorHarness<IN, OUT> forKeyedOperator(final OneInputOperator<IN, OUT> operator, final KeySelector<IN, ?> keySelector)
        throws Exception
    {
        return new OneInputOperatorHarness<>(operator, keySelector, 0);
    }

    /**
     * @param value     a record.
     * @param timestamp its event timestamp.
     * @throws Exception if the key selector fails.
     */
    public void processElement(final IN value, final long timestamp) throws Exception
    {
        if (keySelector != null)
        {
            input.collectKeyed(keySelector.getKey(value), value, timestamp);
        }
        else
        {
            input.collect(value, timestamp);
        }
    }

    /**
     * @param watermark the input's new watermark.
     */
    public void processWatermark(final long watermark)
    {
        input.emitWatermark(watermark);
    }

    /**
     * @param idle the input's new idleness.
     */
    public void processIdle(final boolean idle)
    {
        input.emitIdle(idle);
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
     * @return the operator under test.
     */
    public OneInputOperator<IN, OUT> operator()
    {
        return operator;
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
