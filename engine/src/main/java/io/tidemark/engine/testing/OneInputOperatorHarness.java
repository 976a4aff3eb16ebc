package io.tidemark.engine.testing;

import io.tidemark.engine.functions.KeySelector;
import io.tidemark.engine.operator.ChainedInput;
import io.tidemark.engine.operator.OneInputOperator;

/**
 * Runs one operator by hand, without tasks or threads: push records, watermarks and
 * processing time in, read what came out. Processing time is a {@link io.tidemark.engine.time.ManualClock} that
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
public final class OneInputOperatorHarness<IN, OUT> extends OperatorHarness<OUT>
{
    private final OneInputOperator<IN, OUT> operator;
    private final KeySelector<IN, ?> keySelector;
    private final ChainedInput<IN> input;

    private OneInputOperatorHarness(final OneInputOperator<IN, OUT> operator, final KeySelector<IN, ?> keySelector) throws Exception
    {
        super(operator);
        this.operator = operator;
        this.keySelector = keySelector;
        this.input = new ChainedInput<>(operator, metrics());
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
        return new OneInputOperatorHarness<>(operator, null);
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
        return new OneInputOperatorHarness<>(operator, keySelector);
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
     * @return the operator under test.
     */
    public OneInputOperator<IN, OUT> operator()
    {
        return operator;
    }
}
