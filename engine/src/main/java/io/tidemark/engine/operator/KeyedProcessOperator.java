package io.tidemark.engine.operator;

import io.tidemark.engine.functions.KeyedProcessFunction;
import io.tidemark.engine.functions.OutputTag;
import io.tidemark.engine.functions.Timers;
import io.tidemark.engine.state.KeyedStateBackend;
import io.tidemark.engine.state.State;
import io.tidemark.engine.state.StateDescriptor;
import io.tidemark.engine.state.VoidNamespace;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Runs a {@link KeyedProcessFunction}: keyed state, event-time and processing-time timers
 * per key, side outputs.
 *
 * @param <K>   the key type.
 * @param <IN>  the input type.
 * @param <OUT> the output type.
 */
public final class KeyedProcessOperator<K, IN, OUT> extends AbstractOperator<IN, OUT>
    implements KeyedOperator, TimerService.Target<VoidNamespace>
{
    private final KeyedProcessFunction<K, IN, OUT> function;
    private final FunctionContext functionContext = new FunctionContext();
    private KeyedStateBackend backend;
    private TimerService<VoidNamespace> timers;
    private TimestampedCollector<OUT> collector;

    /**
     * @param function the user function.
     */
    public KeyedProcessOperator(final KeyedProcessFunction<K, IN, OUT> function)
    {
        this.function = function;
    }

    @Override
    public void open(final OperatorContext context, final Output<OUT> output) throws Exception
    {
        super.open(context, output);
        backend = context.createKeyedStateBackend();
        timers = new TimerService<>(backend, this, VoidNamespace.SERIALIZER);
        collector = new TimestampedCollector<>(output);
    }

    @Override
    public void setCurrentKey(final Object key)
    {
        backend.setCurrentKey(key);
    }

    @Override
    public void processElement(final IN value, final long timestamp) throws Exception
    {
        functionContext.timestamp = timestamp;
        function.processElement(value, functionContext, collector.at(timestamp));
    }

    @Override
    public void processWatermark(final long watermark) throws Exception
    {
        timers.advanceWatermark(watermark);
        output.emitWatermark(watermark);
    }

    @Override
    public void advanceProcessingTime(final long now) throws Exception
    {
        timers.advanceProcessingTime(now);
    }

    @Override
    public void onEventTime(final long timestamp, final VoidNamespace namespace) throws Exception
    {
        functionContext.timestamp = timestamp;
        function.onTimer(timestamp, functionContext, collector.at(timestamp));
    }

    @Override
    public void onProcessingTime(final long timestamp, final VoidNamespace namespace) throws Exception
    {
        functionContext.timestamp = timestamp;
        function.onTimer(timestamp, functionContext, collector.at(timestamp));
    }

    @Override
    public void snapshotState(final DataOutput out) throws IOException
    {
        backend.snapshot(out);
        timers.snapshot(out);
    }

    @Override
    public void restoreState(final DataInput in) throws IOException
    {
        backend.restore(in);
        timers.restore(in);
    }

    private final class FunctionContext implements KeyedProcessFunction.Context<K, OUT>, Timers
    {
        private final Map<StateDescriptor<?>, State> states = new IdentityHashMap<>();
        long timestamp;

        @Override
        public long timestamp()
        {
            return timestamp;
        }

        @Override
        @SuppressWarnings("unchecked")
        public K getCurrentKey()
        {
            return (K)backend.currentKey();
        }

        @Override
        public Timers timerService()
        {
            return this;
        }

        @Override
        @SuppressWarnings("unchecked")
        public <S extends State> S getState(final StateDescriptor<S> descriptor)
        {
            return (S)states.computeIfAbsent(descriptor, backend::getState);
        }

        @Override
        public <X> void output(final OutputTag<X> tag, final X value)
        {
            output.collect(tag, value, timestamp);
        }

        @Override
        public long currentProcessingTime()
        {
            return context.clock().millis();
        }

        @Override
        public long currentWatermark()
        {
            return timers.currentWatermark();
        }

        @Override
        public void registerEventTimeTimer(final long time)
        {
            timers.registerEventTimeTimer(VoidNamespace.INSTANCE, time);
        }

        @Override
        public void registerProcessingTimeTimer(final long time)
        {
            timers.registerProcessingTimeTimer(VoidNamespace.INSTANCE, time);
        }

        @Override
        public void deleteEventTimeTimer(final long time)
        {
            timers.deleteEventTimeTimer(VoidNamespace.INSTANCE, time);
        }

        @Override
        public void deleteProcessingTimeTimer(final long time)
        {
            timers.deleteProcessingTimeTimer(VoidNamespace.INSTANCE, time);
        }
    }
}
