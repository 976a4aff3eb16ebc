package io.tidemark.engine.operator;

import io.tidemark.engine.functions.FlatMapFunction;

/**
 * Applies a {@link FlatMapFunction}; its outputs keep the input record's timestamp.
 *
 * @param <IN>  the input type.
 * @param <OUT> the output type.
 */
public final class FlatMapOperator<IN, OUT> extends AbstractOperator<IN, OUT>
{
    private final FlatMapFunction<IN, OUT> function;
    private TimestampedCollector<OUT> collector;

    /**
     * @param function the function.
     */
    public FlatMapOperator(final FlatMapFunction<IN, OUT> function)
    {
        this.function = function;
    }

    @Override
    public void open(final OperatorContext context, final Output<OUT> output) throws Exception
    {
        super.open(context, output);
        collector = new TimestampedCollector<>(output);
    }

    @Override
    public void processElement(final IN value, final long timestamp) throws Exception
    {
        function.flatMap(value, collector.at(timestamp));
    }
}
