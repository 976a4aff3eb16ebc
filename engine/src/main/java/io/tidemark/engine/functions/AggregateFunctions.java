package io.tidemark.engine.functions;

import java.io.Serializable;
import java.util.function.ToLongFunction;

/**
 * Ready-made aggregations whose accumulator is a one-element {@code long[]}, updated in
 * place: no allocation and no boxing per record, only when a result is produced.
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
    public static <T> AggregateFunction<T, long[], Long> count()
    {
        return sumLong(value -> 1L);
    }

    /**
     * @param field reads the number to add from a record.
     * @param <T>   the record type.
     * @return sums a {@code long} field.
     */
    public static <T> AggregateFunction<T, long[], Long> sumLong(final LongField<T> field)
    {
        return new LongSum<>(field);
    }

    private static final class LongSum<T> implements AggregateFunction<T, long[], Long>
    {
        private static final long serialVersionUID = 1L;

        private final LongField<T> field;

        LongSum(final LongField<T> field)
        {
            this.field = field;
        }

        @Override
        public long[] createAccumulator()
        {
            return new long[1];
        }

        @Override
        public long[] add(final T value, final long[] accumulator)
        {
            accumulator[0] += field.applyAsLong(value);
            return accumulator;
        }

        @Override
        public Long getResult(final long[] accumulator)
        {
            return accumulator[0];
        }

        @Override
        public long[] merge(final long[] a, final long[] b)
        {
            a[0] += b[0];
            return a;
        }
    }
}
