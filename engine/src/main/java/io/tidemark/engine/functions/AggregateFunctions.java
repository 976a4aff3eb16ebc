package io.tidemark.engine.functions;

import java.io.Serializable;
import java.util.function.ToLongFunction;

/**
 * Ready-made aggregations over one {@code long}. Each is a {@link LongAggregateFunction}: the
 * session and slicing window operators keep its accumulator inline in their primitive
 * arrays; other operators hold a one-element {@code long[]}, updated in place. Either way
 * there is no allocation and no boxing per record, only when a result is produced.
 */
public final class AggregateFunctions
{
    /**
     * Reads a number from a record; serializable, since aggregate functions are copied per
     * subtask.
     *
     * @param <T> the record type.
     */
    @FunctionalInterface
    public interface LongField<T> extends ToLongFunction<T>, Serializable
    {
    }

    private AggregateFunctions()
    {
    }

    /**
     * @param <T> the record type.
     * @return counts records.
     */
    public static <T> LongAggregateFunction<T, Long> count()
    {
        return sumLong(value -> 1L);
    }

    /**
     * @param field reads the number to add from a record.
     * @param <T>   the record type.
     * @return sums a {@code long} field.
     */
    public static <T> LongAggregateFunction<T, Long> sumLong(final LongField<T> field)
    {
        return new LongSum<>(field);
    }

    private static final class LongSum<T> implements LongAggregateFunction<T, Long>
    {
        private static final long serialVersionUID = 1L;

        private final LongField<T> field;

        LongSum(final LongField<T> field)
        {
            this.field = field;
        }

        @Override
        public long zero()
        {
            return 0;
        }

        @Override
        public long addLong(final T value, final long accumulator)
        {
            return accumulator + field.applyAsLong(value);
        }

        @Override
        public long mergeLong(final long a, final long b)
        {
            return a + b;
        }

        @Override
        public Long resultOf(final long accumulator)
        {
            return accumulator;
        }
    }
}
