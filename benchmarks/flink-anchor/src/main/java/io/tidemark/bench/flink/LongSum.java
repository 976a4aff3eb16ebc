package io.tidemark.bench.flink;

import org.apache.flink.api.common.functions.AggregateFunction;

/**
 * A window aggregate that adds up one {@code long} per record: what the anchor jobs' counts
 * and sums have in common.
 *
 * @param <T> the record type.
 */
abstract class LongSum<T> implements AggregateFunction<T, Long, Long>
{
    private static final long serialVersionUID = 1L;

    /**
     * @param value a record of the window.
     * @return what the record adds to the window's sum.
     */
    abstract long of(T value);

    @Override
    public Long createAccumulator()
    {
        return 0L;
    }

    @Override
    public Long add(final T value, final Long accumulator)
    {
        return accumulator + of(value);
    }

    @Override
    public Long getResult(final Long accumulator)
    {
        return accumulator;
    }

    @Override
    public Long merge(final Long a, final Long b)
    {
        return a + b;
    }
}
