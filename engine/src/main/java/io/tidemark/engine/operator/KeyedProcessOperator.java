package io.tidemark.engine.operator;

import io.tidemark.engine.functions.KeyedProcessFunction;

/**
 * Runs a {@link KeyedProcessFunction}: keyed state, event-time and processing-time timers
 * per key, side outputs.
 *
 * @param <K>   the key type.
 * @param <IN>  the input type.
 * @param <OUT> the output type.
 */
public final class KeyedProcessOperator<K, IN, OUT> extends KeyedTimersOperator<K, OUT> implements OneInputOperator<IN, OUT>
{
    private final KeyedProcessFunction<K, IN, OUT> function;

    /**
     * @param function the user function.
     */
    public KeyedProcessOperator(final KeyedProcessFunction<K, IN, OUT> function)
    {
        this.function = function;
    }

    @Override
    public void processElement(final IN value, final long timestamp) throws Exception
    {
        functionContext.timestamp = timestamp;
        function.processElement(value, functionContext, collector.at(timestamp));
    }

    @Override
    protected void onTimer(final long timestamp) throws Exception
    {
        function.onTimer(timestamp, functionContext, collector.at(timestamp));
    }
}
