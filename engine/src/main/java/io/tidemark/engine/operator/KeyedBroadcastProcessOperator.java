package io.tidemark.engine.operator;

import io.tidemark.engine.functions.KeyedBroadcastProcessFunction;
import io.tidemark.engine.functions.OutputTag;
import io.tidemark.engine.functions.Timers;
import io.tidemark.engine.state.BroadcastStates;
import io.tidemark.engine.state.MapStateDescriptor;
import io.tidemark.engine.state.ReadOnlyBroadcastState;
import io.tidemark.engine.state.State;
import io.tidemark.engine.state.StateDescriptor;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.List;

/**
 * Runs a {@link KeyedBroadcastProcessFunction}: the first input is keyed (state and timers per
 * key), the second a broadcast stream whose records every subtask receives, without a key.
 * The snapshot holds keyed state, timers and the broadcast states; every subtask holds the
 * same broadcast states, so a subtask that inherits several old subtasks' snapshots after a
 * change of parallelism gets that same contents.
 *
 * @param <K>   the key type.
 * @param <IN1> the keyed stream's type.
 * @param <IN2> the broadcast stream's type.
 * @param <OUT> the output type.
 */
public final class KeyedBroadcastProcessOperator<K, IN1, IN2, OUT> extends KeyedTimersOperator<K, OUT> implements TwoInputOperator<IN1, IN2, OUT>
{
    private final KeyedBroadcastProcessFunction<K, IN1, IN2, OUT> function;
    private final BroadcastStates states;
    private final KeyedSide keyedSide = new KeyedSide();
    private UnkeyedContext broadcastSide;

    /**
     * @param function    the user function.
     * @param descriptors the broadcast states the broadcast stream declared.
     */
    public KeyedBroadcastProcessOperator(final KeyedBroadcastProcessFunction<K, IN1, IN2, OUT> function, final List<MapStateDescriptor<?, ?>> descriptors)
    {
        this.function = function;
        this.states = new BroadcastStates(descriptors);
    }

    @Override
    public void open(final OperatorContext context, final Output<OUT> output) throws Exception
    {
        super.open(context, output);
        broadcastSide = new UnkeyedContext(states, context.clock(), output);
    }

    @Override
    public void processElement1(final IN1 value, final long timestamp) throws Exception
    {
        functionContext.timestamp = timestamp;
        function.processElement(value, keyedSide, collector.at(timestamp));
    }

    @Override
    public void processElement2(final IN2 value, final long timestamp) throws Exception
    {
        broadcastSide.timestamp = timestamp;
        function.processBroadcastElement(value, broadcastSide, collector.at(timestamp));
    }

    @Override
    public void processWatermark(final long watermark) throws Exception
    {
        broadcastSide.watermark = watermark;
        super.processWatermark(watermark);
    }

    @Override
    protected void onTimer(final long timestamp) throws Exception
    {
        function.onTimer(timestamp, keyedSide, collector.at(timestamp));
    }

    @Override
    public void snapshotState(final DataOutput out) throws IOException
    {
        super.snapshotState(out);
        states.snapshot(out);
    }

    @Override
    public void restoreState(final DataInput in) throws IOException
    {
        super.restoreState(in);
        states.restore(in);
        // The broadcast side reports the watermark the keyed side restored with its timers.
        broadcastSide.watermark = currentWatermark();
    }

    /** The keyed side's context: the keyed function context, and broadcast state read only. */
    private final class KeyedSide implements KeyedBroadcastProcessFunction.ReadOnlyContext<K, OUT>
    {
        @Override
        public long timestamp()
        {
            return functionContext.timestamp();
        }

        @Override
        public K getCurrentKey()
        {
            return functionContext.getCurrentKey();
        }

        @Override
        public Timers timerService()
        {
            return functionContext;
        }

        @Override
        public <S extends State> S getState(final StateDescriptor<S> descriptor)
        {
            return functionContext.getState(descriptor);
        }

        @Override
        public <X> void output(final OutputTag<X> tag, final X value)
        {
            functionContext.output(tag, value);
        }

        @Override
        public <KB, VB> ReadOnlyBroadcastState<KB, VB> getBroadcastState(final MapStateDescriptor<KB, VB> descriptor)
        {
            return states.get(descriptor);
        }
    }
}
