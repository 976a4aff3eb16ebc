package io.tidemark.engine.operator;

import io.tidemark.engine.functions.CoProcessFunction;
import io.tidemark.engine.functions.OutputTag;
import io.tidemark.engine.time.Watermark;

/**
 * Runs a {@link CoProcessFunction} over two inputs that are not keyed.
 *
 * @param <IN1> the first input's type.
 * @param <IN2> the second input's type.
 * @param <OUT> the output type.
 */
public final class CoProcessOperator<IN1, IN2, OUT> extends AbstractStreamOperator<OUT> implements TwoInputOperator<IN1, IN2, OUT>, CoProcessFunction.Context
{
    private final CoProcessFunction<IN1, IN2, OUT> function;
    private TimestampedCollector<OUT> collector;
    private long timestamp;
    private long watermark = Watermark.NONE;

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
    }

    @Override
    public void processElement1(final IN1 value, final long timestamp) throws Exception
    {
        this.timestamp = timestamp;
        function.processElement1(value, this, collector.at(timestamp));
    }

    @Override
    public void processElement2(final IN2 value, final long timestamp) throws Exception
    {
        this.timestamp = timestamp;
        function.processElement2(value, this, collector.at(timestamp));
    }

    @Override
    public void processWatermark(final long watermark) throws Exception
    {
        this.watermark = watermark;
        output.emitWatermark(watermark);
    }

    @Override
    public long timestamp()
    {
        return timestamp;
    }

    @Override
    public long currentWatermark()
    {
        return watermark;
    }

    @Override
    public long currentProcessingTime()
    {
        return context.clock().millis();
    }

    @Override
    public <X> void output(final OutputTag<X> tag, final X value)
    {
        output.collect(tag, value, timestamp);
    }
}
