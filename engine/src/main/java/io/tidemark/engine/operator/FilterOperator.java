package io.tidemark.engine.operator;

import io.tidemark.engine.functions.FilterFunction;

/**
 * Passes on the records a {@link FilterFunction} accepts.
 *
 * @param <T> the record type.
 */
public final class FilterOperator<T> extends ForwardingOperator<T, T>
{
    private final FilterFunction<T> function;

    /**
     * @param function the predicate.
     */
    public FilterOperator(final FilterFunction<T> function)
    {
        this.function = function;
    }

    @Override
    public void processElement(final T value, final long timestamp) throws Exception
    {
        if (function.filter(value))
        {
            output.collect(value, timestamp);
        }
    }
}
