package io.tidemark.engine.api;

import io.tidemark.engine.functions.OutputTag;
import io.tidemark.engine.functions.ProcessJoinFunction;
import io.tidemark.engine.functions.SerializedCopy;
import io.tidemark.engine.join.IntervalJoinOperator;
import io.tidemark.engine.window.LateDataPolicy;

/**
 * An interval join with its bounds, being configured: exclusive bounds and where late records
 * of each side go (by default dropped and counted), then the function that receives the pairs.
 *
 * @param <T1>  the left stream's type.
 * @param <T2>  the right stream's type.
 * @param <KEY> the key type of both.
 */
public final class IntervalJoined<T1, T2, KEY>
{
    private final KeyedStream<T1, KEY> left;
    private final KeyedStream<T2, KEY> right;
    private final long lower;
    private final long upper;
    private boolean lowerExclusive;
    private boolean upperExclusive;
    private LateDataPolicy leftLate = LateDataPolicy.drop();
    private LateDataPolicy rightLate = LateDataPolicy.drop();

    IntervalJoined(final KeyedStream<T1, KEY> left, final KeyedStream<T2, KEY> right, final long lower, final long upper)
    {
        this.left = left;
        this.right = right;
        this.lower = lower;
        this.upper = upper;
    }

    /**
     * Excludes the lower bound: {@code a.ts + lower < b.ts}. Calling it again changes nothing.
     *
     * @return this join.
     */
    public IntervalJoined<T1, T2, KEY> lowerBoundExclusive()
    {
        lowerExclusive = true;
        return this;
    }

    /**
     * Excludes the upper bound: {@code b.ts < a.ts + upper}. Calling it again changes nothing.
     *
     * @return this join.
     */
    public IntervalJoined<T1, T2, KEY> upperBoundExclusive()
    {
        upperExclusive = true;
        return this;
    }

    /**
     * Sends left records that arrive at or behind the watermark to a side output instead of
     * dropping them; read it with {@code getSideOutput(tag)} on the result stream.
     *
     * @param tag the side output.
     * @return this join.
     */
    public IntervalJoined<T1, T2, KEY> sideOutputLeftLateData(final OutputTag<T1> tag)
    {
        leftLate = LateDataPolicy.sideOutput(tag);
        return this;
    }

    /**
     * Sends right records that arrive at or behind the watermark to a side output instead of
     * dropping them.
     *
     * @param tag the side output.
     * @return this join.
     */
    public IntervalJoined<T1, T2, KEY> sideOutputRightLateData(final OutputTag<T2> tag)
    {
        rightLate = LateDataPolicy.sideOutput(tag);
        return this;
    }

    /**
     * @param function receives each pair, with the larger of the two timestamps.
     * @param <OUT>    the output type.
     * @return the stream of its output.
     * @throws IllegalArgumentException if exclusive bounds left an empty interval.
     */
    public <OUT> DataStream<OUT> process(final ProcessJoinFunction<T1, T2, OUT> function)
    {
        // Checked before a bound is moved inward: moving one at the end of time would wrap.
        final boolean empty = lower > upper || lower == upper && (lowerExclusive || upperExclusive)
            || lowerExclusive && upperExclusive && upper - lower == 1;
        if (empty)
        {
            throw new IllegalArgumentException("the interval join's bounds leave no time between them: " + lower + (lowerExclusive ? " (exclusive)" : "")
                + " to " + upper + (upperExclusive ? " (exclusive)" : "") + " ms");
        }
        final SerializedCopy<ProcessJoinFunction<T1, T2, OUT>> copies = SerializedCopy.of(function, "process join function");
        final long from = lowerExclusive ? lower + 1 : lower;
        final long to = upperExclusive ? upper - 1 : upper;
        final LateDataPolicy leftPolicy = leftLate;
        final LateDataPolicy rightPolicy = rightLate;
        return left.connect(right).transform("intervalJoin", () -> new IntervalJoinOperator<KEY, T1, T2, OUT>(from, to, leftPolicy, rightPolicy, copies.newCopy()));
    }
}
