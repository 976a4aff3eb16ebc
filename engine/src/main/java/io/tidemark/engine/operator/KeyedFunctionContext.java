package io.tidemark.engine.operator;

import io.tidemark.engine.functions.KeyedCoProcessFunction;
import io.tidemark.engine.functions.OutputTag;
import io.tidemark.engine.functions.Timers;
import io.tidemark.engine.state.KeyedStateBackend;
import io.tidemark.engine.state.State;
import io.tidemark.engine.state.StateDescriptor;
import io.tidemark.engine.state.VoidNamespace;
import io.tidemark.engine.time.Clock;
import java.util.Arrays;

/**
 * The context a keyed process function (one input or two) sees: the current key, the
 * timestamp its operator set, the key's state, timers and side outputs. One per operator,
 * reused for every record and timer.
 *
 * @param <K> the key type.
 * @param <O> the main output's type.
 */
final class KeyedFunctionContext<K, O> implements KeyedCoProcessFunction.Context<K, O>, Timers
{
    /**
     * The states the function asked for, by descriptor, side by side: a function has a few, and
     * comparing the references of a few descriptors is cheaper per record than hashing one
     * into a map.
     */
    private StateDescriptor<?>[] descriptors = new StateDescriptor<?>[2];
    private State[] states = new State[2];
    private int stateCount;
    private final KeyedStateBackend backend;
    private final TimerService<VoidNamespace> timers;
    private final Clock clock;
    private final Output<O> output;
    /** The timestamp of the record or timer being handled, set by the operator. */
    long timestamp;

    KeyedFunctionContext(final KeyedStateBackend backend, final TimerService<VoidNamespace> timers, final Clock clock, final Output<O> output)
    {
        this.backend = backend;
        this.timers = timers;
        this.clock = clock;
        this.output = output;
    }

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
        for (int i = 0; i < stateCount; i++)
        {
            if (descriptors[i] == descriptor)
            {
                return (S)states[i];
            }
        }
        // The backend knows states by name (and refuses another kind under a known one), so a
        // function that makes a new descriptor on every call gets its one state back, and the
        // descriptor takes its slot: one slot per state, however many descriptors name it.
        final S state = backend.getState(descriptor);
        for (int i = 0; i < stateCount; i++)
        {
            if (states[i] == state)
            {
                descriptors[i] = descriptor;
                return state;
            }
        }
        if (stateCount == descriptors.length)
        {
            descriptors = Arrays.copyOf(descriptors, 2 * stateCount);
            states = Arrays.copyOf(states, 2 * stateCount);
        }
        descriptors[stateCount] = descriptor;
        states[stateCount++] = state;
        return state;
    }

    /**
     * @return how many states the context holds a handle of: one per state name.
     */
    int statesKnown()
    {
        return stateCount;
    }

    @Override
    public <X> void output(final OutputTag<X> tag, final X value)
    {
        output.collect(tag, value, timestamp);
    }

    @Override
    public long currentProcessingTime()
    {
        return clock.millis();
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
