package io.tidemark.engine.operator;

import io.tidemark.engine.state.KeyedStateBackend;
import io.tidemark.engine.state.VoidNamespace;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * What the operators of keyed process functions share, with one input or two: the keyed
 * state backend, timers without namespace that fire in the user's {@code onTimer}, the
 * function's context and the collector, and a snapshot of state and timers.
 *
 * @param <K>   the key type.
 * @param <OUT> the output type.
 */
public abstract class KeyedTimersOperator<K, OUT> extends AbstractStreamOperator<OUT> implements KeyedOperator, TimerService.Target<VoidNamespace>
{
    /** The subtask's keyed state, set by {@link #open}. */
    protected KeyedStateBackend backend;
    /** The keyed timers, set by {@link #open}. */
    protected TimerService<VoidNamespace> timers;
    /** Stamps the function's records, set by {@link #open}. */
    protected TimestampedCollector<OUT> collector;
    /** The function's context, set by {@link #open}. */
    KeyedFunctionContext<K, OUT> functionContext;

    @Override
    public void open(final OperatorContext context, final Output<OUT> output) throws Exception
    {
        super.open(context, output);
        backend = context.createKeyedStateBackend();
        timers = new TimerService<>(backend, this, VoidNamespace.SERIALIZER);
        collector = new TimestampedCollector<>(output);
        functionContext = new KeyedFunctionContext<>(backend, timers, context.clock(), output);
    }

    @Override
    public void setCurrentKey(final Object key)
    {
        backend.setCurrentKey(key);
    }

    @Override
    public void setCurrentLongKey(final long key)
    {
        backend.setCurrentLongKey(key);
    }

    @Override
    public void processWatermark(final long watermark) throws Exception
    {
        timers.advanceWatermark(watermark);
        output.emitWatermark(watermark);
    }

    /** The timers' watermark: restored with them, so it may be ahead of the input's after a restore. */
    @Override
    public long currentWatermark()
    {
        return timers.currentWatermark();
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
        onTimer(timestamp);
    }

    @Override
    public void onProcessingTime(final long timestamp, final VoidNamespace namespace) throws Exception
    {
        functionContext.timestamp = timestamp;
        onTimer(timestamp);
    }

    /**
     * A timer of the current key fired, in event or processing time; the context's timestamp
     * is set to it.
     *
     * @param timestamp the timer's time.
     * @throws Exception to fail the job.
     */
    protected abstract void onTimer(long timestamp) throws Exception;

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
}
