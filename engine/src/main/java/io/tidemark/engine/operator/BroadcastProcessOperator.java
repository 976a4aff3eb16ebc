package io.tidemark.engine.operator;

import io.tidemark.engine.functions.BroadcastProcessFunction;
import io.tidemark.engine.state.BroadcastStates;
import io.tidemark.engine.state.MapStateDescriptor;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.List;

/**
 * Runs a {@link BroadcastProcessFunction}: the first input is a stream that is not keyed, the
 * second a broadcast stream whose records every subtask receives; the broadcast states are
 * in the snapshot. Every subtask holds the same broadcast states, so after a change of
 * parallelism each subtask restores one or more old subtasks' copies of them (a subtask added
 * by scaling up a copy of an old one's).
 *
 * @param <IN1> the non-broadcast stream's type.
 * @param <IN2> the broadcast stream's type.
 * @param <OUT> the output type.
 */
public final class BroadcastProcessOperator<IN1, IN2, OUT> extends AbstractStreamOperator<OUT> implements TwoInputOperator<IN1, IN2, OUT>
{
    private final BroadcastProcessFunction<IN1, IN2, OUT> function;
    private final BroadcastStates states;
    private TimestampedCollector<OUT> collector;
    private UnkeyedContext functionContext;

    /**
     * @param function    the user function.
     * @param descriptors the broadcast states the broadcast stream declared.
     */
    public BroadcastProcessOperator(final BroadcastProcessFunction<IN1, IN2, OUT> function, final List<MapStateDescriptor<?, ?>> descriptors)
    {
        this.function = function;
        this.states = new BroadcastStates(descriptors);
    }

    @Override
    public void open(final OperatorContext context, final Output<OUT> output) throws Exception
    {
        super.open(context, output);
        collector = new TimestampedCollector<>(output);
        functionContext = new UnkeyedContext(states, context.clock(), output);
    }

    @Override
    public void processElement1(final IN1 value, final long timestamp) throws Exception
    {
        functionContext.timestamp = timestamp;
        function.processElement(value, functionContext, collector.at(timestamp));
    }

    @Override
    public void processElement2(final IN2 value, final long timestamp) throws Exception
    {
        functionContext.timestamp = timestamp;
        function.processBroadcastElement(value, functionContext, collector.at(timestamp));
    }

    @Override
    public void processWatermark(final long watermark) throws Exception
    {
        functionContext.watermark = watermark;
        output.emitWatermark(watermark);
    }

    @Override
    public void snapshotState(final DataOutput out) throws IOException
    {
        states.snapshot(out);
    }

    @Override
    public void restoreState(final DataInput in) throws IOException
    {
        states.restore(in);
    }
}
