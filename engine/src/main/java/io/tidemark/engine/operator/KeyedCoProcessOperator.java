package io.tidemark.engine.operator;

import io.tidemark.engine.functions.KeyedCoProcessFunction;

/**
 * Runs a {@link KeyedCoProcessFunction}: records of both inputs, keyed alike, share the
 * key's state and timers.
 *
 * @param <K>   the key type.
 * @param <IN1> the first input's type.
 * @param <IN2> the second input's type.
 * @param <OUT> the output type.
 */
public final class KeyedCoProcessOperator<K, IN1, IN2, OUT> extends KeyedTimersOperator<K, OUT> implements TwoInputOperator<IN1, IN2, OUT>
{
    private final KeyedCoProcessFunction<K, IN1, IN2, OUT> function;

    /**
     * @param function the user function.
     */
    public KeyedCoProcessOperator(final KeyedCoProcessFunction<K, IN1, IN2, OUT> function)
    {
        this.function = function;
    }

    @Override
    public void processElement1(final IN1 value, final long timestamp) throws Exception
    {
        functionContext.timestamp = timestamp;
        function.processElement1(value, functionContext, collector.at(timestamp));
    }

    @Override
    public void processElement2(final IN2 value, final long timestamp) throws Exception
    {
        functionContext.timestamp = timestamp;
        function.processElement2(value, functionContext, collector.at(timestamp));
    }

    @Override
    protected void onTimer(final long timestamp) throws Exception
    {
        function.onTimer(timestamp, functionContext, collector.at(timestamp));
    }
}
