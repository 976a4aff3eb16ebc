package io.tidemark.engine.window;

import io.tidemark.engine.functions.AggregateFunction;
import io.tidemark.engine.functions.KeySelector;
import io.tidemark.engine.functions.LongAggregateFunction;
import io.tidemark.engine.functions.LongKeySelector;

/**
 * What a {@link SlicePreAggregator} sends across the key exchange instead of records: one
 * key's accumulator over some of its records in one slice, timestamped inside that slice: a
 * {@code long} for a {@link LongAggregateFunction}, else the function's own accumulator
 * object. A {@code Long} key travels by value. The slicing operator on the other side folds
 * it into its own slice with the aggregate's merge ({@link #merging}), so that the window
 * results are those of the records themselves.
 */
public final class PartialAggregate
{
    // The key, or null when it is a Long, held by value in longKey.
    private final Object key;
    private final long longKey;
    private final long accumulator;
    private final Object objectAccumulator;

    PartialAggregate(final Object key, final long longKey, final long accumulator, final Object objectAccumulator)
    {
        this.key = key;
        this.longKey = longKey;
        this.accumulator = accumulator;
        this.objectAccumulator = objectAccumulator;
    }

    /**
     * @return the key as an object.
     */
    public Object key()
    {
        return key != null ? key : Long.valueOf(longKey);
    }

    /**
     * @return the key, when the stream was keyed by a {@link LongKeySelector}.
     */
    public long longKey()
    {
        return longKey;
    }

    /**
     * @return the accumulator of the records it stands for, that of a {@link LongAggregateFunction}.
     */
    public long accumulator()
    {
        return accumulator;
    }

    /**
     * @return the accumulator of the records it stands for, that of any other aggregate function; null for a {@link LongAggregateFunction}'s.
     */
    public Object objectAccumulator()
    {
        return objectAccumulator;
    }

    @Override
    public String toString()
    {
        return "PartialAggregate[key=" + key() + ", accumulator=" + (objectAccumulator != null ? objectAccumulator : accumulator) + "]";
    }

    /**
     * @param keys the key selector of the records.
     * @param <K>  the key type.
     * @return the key selector that gives a partial aggregate the key of its records, and so
     * the same key group; a {@code long} one if {@code keys} is.
     */
    @SuppressWarnings("unchecked")
    public static <K> KeySelector<PartialAggregate, K> keysLike(final KeySelector<?, K> keys)
    {
        if (keys instanceof LongKeySelector<?>)
        {
            final LongKeySelector<PartialAggregate> byValue = PartialAggregate::longKey;
            return (KeySelector<PartialAggregate, K>)byValue;
        }
        return partial -> (K)partial.key;
    }

    /**
     * @param function the aggregate of the records.
     * @param <R>      its result type.
     * @return the aggregate that folds partial aggregates of {@code function} into one: its
     * merge where {@code function} adds a record; a {@link LongAggregateFunction} if
     * {@code function} is one.
     */
    @SuppressWarnings("unchecked")
    public static <R> AggregateFunction<PartialAggregate, ?, R> merging(final AggregateFunction<?, ?, R> function)
    {
        if (function instanceof LongAggregateFunction<?, ?> inline)
        {
            return new Merging<>((LongAggregateFunction<?, R>)inline);
        }
        return new ObjectMerging<>((AggregateFunction<?, Object, R>)function);
    }

    private record Merging<R>(LongAggregateFunction<?, R> function) implements LongAggregateFunction<PartialAggregate, R>
    {
        @Override
        public long zero()
        {
            return function.zero();
        }

        @Override
        public long addLong(final PartialAggregate value, final long accumulator)
        {
            return function.mergeLong(accumulator, value.accumulator);
        }

        @Override
        public long mergeLong(final long a, final long b)
        {
            return function.mergeLong(a, b);
        }

        @Override
        public R resultOf(final long accumulator)
        {
            return function.resultOf(accumulator);
        }
    }

    /**
     * Folds object accumulators: the partial's accumulator is merged into the slice's, and
     * left as it is (the slicing operator's rule for {@code merge}), so it is never shared
     * with the slice.
     */
    private record ObjectMerging<R>(AggregateFunction<?, Object, R> function) implements AggregateFunction<PartialAggregate, Object, R>
    {
        @Override
        public Object createAccumulator()
        {
            return function.createAccumulator();
        }

        @Override
        public Object add(final PartialAggregate value, final Object accumulator)
        {
            return function.merge(accumulator, value.objectAccumulator);
        }

        @Override
        public R getResult(final Object accumulator)
        {
            return function.getResult(accumulator);
        }

        @Override
        public Object merge(final Object a, final Object b)
        {
            return function.merge(a, b);
        }
    }
}
