package io.tidemark.engine.operator;

import io.tidemark.engine.functions.CoProcessFunction;
import io.tidemark.engine.state.BroadcastStates;
import java.util.List;

/**
 * Runs a {@link CoProcessFunction} over two inputs that are not keyed.
 *
 * @param <IN1> the first input's type.
 * @param <IN2> the second input's type.
 * @param <OUT> the output type.
 */
public final class CoProcessOperator<IN1, IN2, OUT> extends AbstractStreamOperator<OUT> implements TwoInputOperator<IN1, IN2, OUT>
{
    private final CoProcessFunction<IN1, IN2, OUT> function;
    private TimestampedCollector<OUT> collector;
    private UnkeyedContext functionContext;

    /**
     * @param function the user function.
     */
    public CoProcessOperator(final CoProcessFunction<IN1, IN2, OUT> function)
    {
        this.function = function;
    }

    @Override
    public void open(final OperatorContext context, final Output<OUT> output) throws Exception
    {
        super.open(context, output);
        collector = new TimestampedCollector<>(output);
        functionContext = new UnkeyedContext(new BroadcastStates(List.of()), context.clock(), output);
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
    public void processWatermark(final long watermark) throws Exception
    {
        functionContext.watermark = watermark;
        output.emitWatermark(watermark);
    }
}
