package io.tidemark.engine.functions;

/**
 * An aggregation whose whole accumulator is one {@code long}: a count, a sum, a minimum, a
 * maximum. Declaring it lets the session and slicing window operators keep the accumulator
 * inline in their primitive arrays, beside the window's bounds, instead of one object per
 * key and window that the garbage collector must trace. Operators that hold objects use it
 * through {@link AggregateFunction}, with a one-element {@code long[]} as the accumulator.
 *
 * @param <IN>  the input type.
 * @param <OUT> the result type.
 */
public interface LongAggregateFunction<IN, OUT> extends AggregateFunction<IN, long[], OUT>
{
    /**
     * @return the accumulator of no records, the identity of {@link #mergeLong}.
     */
    long zero();

    /**
     * @param value       a record.
     * @param accumulator the accumulator so far.
     * @return the accumulator with the record added.
     */
    long addLong(IN value, long accumulator);

    /**
     * @param a an accumulator.
     * @param b another accumulator.
     * @return their combination; the order of the arguments must not matter.
     */
    long mergeLong(long a, long b);

    /**
     * @param accumulator an accumulator.
     * @return the result it stands for.
     */
    OUT resultOf(long accumulator);

    @Override
    default long[] createAccumulator()
    {
        return new long[] {zero()};
    }

    @Override
    default long[] add(final IN value, final long[] accumulator)
    {
        accumulator[0] = addLong(value, accumulator[0]);
        return accumulator;
    }

    @Override
    default OUT getResult(final long[] accumulator)
    {
        return resultOf(accumulator[0]);
    }

    @Override
    default long[] merge(final long[] a, final long[] b)
    {
        a[0] = mergeLong(a[0], b[0]);
        return a;
    }
}
