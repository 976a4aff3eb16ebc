package io.tidemark.engine.window;

import io.tidemark.engine.state.ReducingState;
import io.tidemark.engine.state.ReducingStateDescriptor;
import io.tidemark.engine.state.Serializers;

/**
 * Fires every {@code count} records of a window (and only then: not at the window's end).
 * The count lives in the window's state, so it survives merges and snapshots.
 */
public final class CountTrigger extends Trigger<Object, Window>
{
    private final long count;
    private final ReducingStateDescriptor<Long> countState = new ReducingStateDescriptor<>("count-trigger", Long::sum, Serializers.LONG);

    private CountTrigger(final long count)
    {
        if (count < 1)
        {
            throw new IllegalArgumentException("count must be positive: " + count);
        }
        this.count = count;
    }

    /**
     * @param count records per firing, positive.
     * @param <W>   the window type.
     * @return the trigger.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static <W extends Window> Trigger<Object, W> of(final long count)
    {
        return (Trigger)new CountTrigger(count);
    }

    @Override
    public TriggerResult onElement(final Object element, final long timestamp, final Window window, final TriggerContext ctx) throws Exception
    {
        final ReducingState<Long> seen = ctx.getPartitionedState(countState);
        seen.add(1L);
        if (seen.get() >= count)
        {
            seen.clear();
            return TriggerResult.FIRE;
        }
        return TriggerResult.CONTINUE;
    }

    @Override
    public TriggerResult onEventTime(final long time, final Window window, final TriggerContext ctx)
    {
        return TriggerResult.CONTINUE;
    }

    @Override
    public TriggerResult onProcessingTime(final long time, final Window window, final TriggerContext ctx)
    {
        return TriggerResult.CONTINUE;
    }

    @Override
    public void clear(final Window window, final TriggerContext ctx)
    {
        ctx.getPartitionedState(countState).clear();
    }

    @Override
    public boolean canMerge()
    {
        return true;
    }

    @Override
    public void onMerge(final Window window, final OnMergeContext ctx) throws Exception
    {
        ctx.mergePartitionedState(countState);
    }

    @Override
    public String toString()
    {
        return "CountTrigger(" + count + ")";
    }
}
