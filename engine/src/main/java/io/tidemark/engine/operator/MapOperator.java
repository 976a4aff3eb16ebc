package io.tidemark.engine.operator;

import io.tidemark.engine.functions.MapFunction;

/**
 * Applies a {@link MapFunction} to each record; the result keeps the record's timestamp.
 *
 * @param <IN>  the input type.
 * @param <OUT> the output type.
 */
public final class MapOperator<IN, OUT> extends ForwardingOperator<IN, OUT>
{
    private final MapFunction<IN, OUT> function;

    /**
     * @param function the function.
     */
    public MapOperator(final MapFunction<IN, OUT> function)
    {
        this.function = function;
    }

    @Override
    public void processElement(final IN value, final long timestamp) throws Exception
    {
        output.collect(function.map(value), timestamp);
    }
}
