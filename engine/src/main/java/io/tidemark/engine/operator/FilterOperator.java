package io.tidemark.engine.operator;

import io.tidemark.engine.functions.FilterFunction;

/**
 * Passes on the records a {@link FilterFunction} accepts.
 *
 * @param <T> the record type.
 */
public final class FilterOperator<T> extends AbstractOperator<T, T>
{
    private final FilterFunction<T> function;
    private boolean outputRetained = true;

    /**
     * @param function the predicate.
     */
    public FilterOperator(final FilterFunction<T> function)
    {
        this.function = function;
    }

    @Override
    public void outputRetained(final boolean retained)
    {
        outputRetained = retained;
    }

    /**
     * What it emits may be its input, so it keeps its input as long as its consumers keep what
     * it emits; the filter function itself must not keep its input past the call but through
     * what it returns.
     */
    @Override
    public boolean retainsInput()
    {
        return outputRetained;
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
