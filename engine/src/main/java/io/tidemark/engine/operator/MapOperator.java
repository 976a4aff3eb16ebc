package io.tidemark.engine.operator;

import io.tidemark.engine.functions.MapFunction;

/**
 * Applies a {@link MapFunction} to each record; the result keeps the record's timestamp.
 *
 * @param <IN>  the input type.
 * @param <OUT> the output type.
 */
public final class MapOperator<IN, OUT> extends AbstractOperator<IN, OUT>
{
    private final MapFunction<IN, OUT> function;
    private boolean outputRetained = true;

    /**
     * @param function the function.
     */
    public MapOperator(final MapFunction<IN, OUT> function)
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
     * it emits; the map function itself must not keep its input past the call but through
     * what it returns.
     */
    @Override
    public boolean retainsInput()
    {
        return outputRetained;
    }

    @Override
    public void processElement(final IN value, final long timestamp) throws Exception
    {
        output.collect(function.map(value), timestamp);
    }
}
