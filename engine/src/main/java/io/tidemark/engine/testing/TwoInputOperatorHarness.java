package io.tidemark.engine.testing;

import io.tidemark.engine.functions.KeySelector;
import io.tidemark.engine.operator.TwoInputEntrance;
import io.tidemark.engine.operator.TwoInputOperator;

/**
 * Runs one two-input operator by hand, as {@link OneInputOperatorHarness} runs one with one
 * input: push records of either input, the watermark and processing time in, read what came
 * out. The watermark given is the one the task hands the operator once its two-level valve
 * ({@link io.tidemark.engine.time.TwoInputWatermarkValve}) has combined both inputs.
 *
 * <pre>{@code
 * var harness = TwoInputOperatorHarness.forKeyedOperator(joinOperator, Bid::auction, Auction::id);
 * harness.processElement1(bid, 1_000);
 * harness.processElement2(auction, 1_200);
 * harness.processWatermark(59_999);
 * assertEquals(List.of(...), harness.takeOutput());
 * }</pre>
 *
 * @param <IN1> the operator's first input type.
 * @param <IN2> its second input type.
 * @param <OUT> its output type.
 */
public final class TwoInputOperatorHarness<IN1, IN2, OUT> extends OperatorHarness<OUT>
{
    private final TwoInputOperator<IN1, IN2, OUT> operator;
    private final KeySelector<IN1, ?> keySelector1;
    private final KeySelector<IN2, ?> keySelector2;
    private final TwoInputEntrance<IN1, IN2> input;

    private TwoInputOperatorHarness(final TwoInputOperator<IN1, IN2, OUT> operator, final KeySelector<IN1, ?> keySelector1, final KeySelector<IN2, ?> keySelector2)
        throws Exception
    {
        super(operator);
        this.operator = operator;
        this.keySelector1 = keySelector1;
        this.keySelector2 = keySelector2;
        this.input = new TwoInputEntrance<>(operator, metrics());
    }

    /**
     * @param operator a non-keyed two-input operator, not yet opened.
     * @param <IN1>    its first input type.
     * @param <IN2>    its second input type.
     * @param <OUT>    its output type.
     * @return an opened harness, with processing time 0.
     * @throws Exception if the operator fails to open.
     */
    public static <IN1, IN2, OUT> TwoInputOperatorHarness<IN1, IN2, OUT> forOperator(final TwoInputOperator<IN1, IN2, OUT> operator) throws Exception
    {
        return new TwoInputOperatorHarness<>(operator, null, null);
    }

    /**
     * @param operator     a keyed two-input operator, not yet opened.
     * @param keySelector1 extracts the key of a first-input record, as its keyed edge would.
     * @param keySelector2 extracts the key of a second-input record; {@code null} for an
     *                     input that is not keyed (a broadcast side).
     * @param <IN1>        its first input type.
     * @param <IN2>        its second input type.
     * @param <OUT>        its output type.
     * @return an opened harness, with processing time 0.
     * @throws Exception if the operator fails to open.
     */
    public static <IN1, IN2, OUT> TwoInputOperatorHarness<IN1, IN2, OUT> forKeyedOperator(final TwoInputOperator<IN1, IN2, OUT> operator,
        final KeySelector<IN1, ?> keySelector1, final KeySelector<IN2, ?> keySelector2) throws Exception
    {
        return new TwoInputOperatorHarness<>(operator, keySelector1, keySelector2);
    }

    /**
     * @param value     a record of the first input.
     * @param timestamp its event timestamp.
     * @throws Exception if the key selector fails.
     */
    public void processElement1(final IN1 value, final long timestamp) throws Exception
    {
        if (keySelector1 != null)
        {
            input.collectKeyed1(keySelector1.getKey(value), value, timestamp);
        }
        else
        {
            input.collect1(value, timestamp);
        }
    }

    /**
     * @param value     a record of the second input.
     * @param timestamp its event timestamp.
     * @throws Exception if the key selector fails.
     */
    public void processElement2(final IN2 value, final long timestamp) throws Exception
    {
        if (keySelector2 != null)
        {
            input.collectKeyed2(keySelector2.getKey(value), value, timestamp);
        }
        else
        {
            input.collect2(value, timestamp);
        }
    }

    /**
     * @param watermark the operator's new watermark, combined over both inputs.
     */
    public void processWatermark(final long watermark)
    {
        input.emitWatermark(watermark);
    }

    /**
     * @param idle whether both inputs have gone idle.
     */
    public void processIdle(final boolean idle)
    {
        input.emitIdle(idle);
    }

    /**
     * @return the operator under test.
     */
    public TwoInputOperator<IN1, IN2, OUT> operator()
    {
        return operator;
    }
}
