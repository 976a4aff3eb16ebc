package io.tidemark.engine.window;

import io.tidemark.engine.functions.KeySelector;
import io.tidemark.engine.functions.LongAggregateFunction;
import io.tidemark.engine.functions.LongKeySelector;

/**
 * What a {@link SlicePreAggregator} sends across the key exchange instead of records: one
 * key's {@code long} accumulator over some of its records in one slice, timestamped inside
 * that slice. A {@code Long} key travels by value. The slicing operator on the other side
 * folds it into its own slice with the aggregate's {@code mergeLong}
 * ({@link #merging}), so that the window results are those of the records themselves.
 */
public final class PartialAggregate
{
    // The key, or null when it is a Long, held by value in longKey.
    private final Object key;
    private final long longKey;
    private final long accumulator;

    PartialAggregate(final Object key, final long longKey, final long accumulator)
    {
        this.key = key;
        this.longKey = longKey;
        this.accumulator = accumulator;
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
     * @return the accumulator of the records it stands for.
     */
    public long accumulator()
    {
        return accumulator;
    }

    @Override
    public String toString()
    {
        return "PartialAggregate[key=" + key() + ", accumulator=" + accumulator + "]";
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
     * @return the aggregate that folds partial aggregates of {@code function} into one:
     * {@code mergeLong} where {@code function} adds a record.
     */
    public static <R> LongAggregateFunction<PartialAggregate, R> merging(final LongAggregateFunction<?, R> function)
    {
        return new Merging<>(function);
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
}
