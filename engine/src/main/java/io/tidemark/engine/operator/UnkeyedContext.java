package io.tidemark.engine.operator;

import io.tidemark.engine.functions.BroadcastProcessFunction;
import io.tidemark.engine.functions.KeyedBroadcastProcessFunction;
import io.tidemark.engine.functions.OutputTag;
import io.tidemark.engine.state.BroadcastState;
import io.tidemark.engine.state.BroadcastStates;
import io.tidemark.engine.state.MapStateDescriptor;
import io.tidemark.engine.time.Clock;
import io.tidemark.engine.time.Watermark;

/**
 * The context of two-input functions where there is no key (a co-process function, either
 * side of a broadcast process function, the broadcast side of a keyed one): the timestamp and
 * watermark the operator sets, processing time, side outputs and the broadcast states
 * (writable where the function's type says so). One per operator, reused for every record.
 */
final class UnkeyedContext implements BroadcastProcessFunction.Context, BroadcastProcessFunction.ReadOnlyContext,
    KeyedBroadcastProcessFunction.Context
{
    private final BroadcastStates states;
    private final Clock clock;
    private final Output<?> output;
    /** The timestamp of the record being handled, set by the operator. */
    long timestamp;
    /** The operator's watermark, set by the operator. */
    long watermark = Watermark.NONE;

    UnkeyedContext(final BroadcastStates states, final Clock clock, final Output<?> output)
    {
        this.states = states;
        this.clock = clock;
        this.output = output;
    }

    @Override
    public <K, V> BroadcastState<K, V> getBroadcastState(final MapStateDescriptor<K, V> descriptor)
    {
        return states.get(descriptor);
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
        return clock.millis();
    }

    @Override
    public <X> void output(final OutputTag<X> tag, final X value)
    {
        output.collect(tag, value, timestamp);
    }
}
