package io.tidemark.engine.api;

import java.time.Duration;
import java.util.Objects;

/**
 * An interval join of two keyed streams, before its bounds are set.
 *
 * @param <T1>  the left stream's type.
 * @param <T2>  the right stream's type.
 * @param <KEY> the key type of both.
 */
public final class IntervalJoin<T1, T2, KEY>
{
    private final KeyedStream<T1, KEY> left;
    private final KeyedStream<T2, KEY> right;

    IntervalJoin(final KeyedStream<T1, KEY> left, final KeyedStream<T2, KEY> right)
    {
        this.left = left;
        this.right = right;
    }

    /**
     * Sets the interval, relative to the left record's timestamp, where right records meet it:
     * {@code a.ts + lower <= b.ts <= a.ts + upper}, both bounds inclusive.
     *
     * @param lower the lower bound, negative to reach back in time.
     * @param upper the upper bound, not below {@code lower}.
     * @return the bounded join, to process.
     * @throws IllegalArgumentException if {@code lower > upper}.
     */
    public IntervalJoined<T1, T2, KEY> between(final Duration lower, final Duration upper)
    {
        final long lowerMillis = Objects.requireNonNull(lower, "lower").toMillis();
        final long upperMillis = Objects.requireNonNull(upper, "upper").toMillis();
        if (lowerMillis > upperMillis)
        {
            throw new IllegalArgumentException("an interval join's lower bound " + lower + " is above its upper bound " + upper);
        }
        return new IntervalJoined<>(left, right, lowerMillis, upperMillis);
    }
}
