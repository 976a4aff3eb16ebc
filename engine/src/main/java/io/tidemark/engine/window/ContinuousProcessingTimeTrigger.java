package io.tidemark.engine.window;

import io.tidemark.engine.state.ReducingState;
import io.tidemark.engine.state.ReducingStateDescriptor;
import io.tidemark.engine.state.Serializers;
import java.time.Duration;

/**
 * Fires every {@code interval} of processing time (aligned to multiples of the interval)
 * while the window receives records, and when processing time passes the window's end.
 */
public final class ContinuousProcessingTimeTrigger extends Trigger<Object, Window>
{
    private final long interval;
    private final ReducingStateDescriptor<Long> nextFire = new ReducingStateDescriptor<>("continuous-processing-time", Math::min, Serializers.LONG);

    private ContinuousProcessingTimeTrigger(final long interval)
    {
        if (interval < 1)
        {
            throw new IllegalArgumentException("the interval must be positive: " + interval);
        }
        this.interval = interval;
    }

    /**
     * @param interval processing time between firings.
     * @param <W>      the window type.
     * @return the trigger.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static <W extends Window> Trigger<Object, W> of(final Duration interval)
    {
        return (Trigger)new ContinuousProcessingTimeTrigger(interval.toMillis());
    }

    @Override
    public TriggerResult onElement(final Object element, final long timestamp, final Window window, final TriggerContext ctx) throws Exception
    {
        final ReducingState<Long> next = ctx.getPartitionedState(nextFire);
        if (next.get() == null)
        {
            final long now = ctx.currentProcessingTime();
            final long wait = interval - Math.floorMod(now, interval);
            // No firing past the end of time.
            if (now <= Long.MAX_VALUE - wait)
            {
                next.add(now + wait);
                ctx.registerProcessingTimeTimer(now + wait);
            }
        }
        if (window.maxTimestamp() != Long.MAX_VALUE)
        {
            ctx.registerProcessingTimeTimer(window.maxTimestamp());
        }
        return TriggerResult.CONTINUE;
    }

    @Override
    public TriggerResult onEventTime(final long time, final Window window, final TriggerContext ctx)
    {
        return TriggerResult.CONTINUE;
    }

    @Override
    public TriggerResult onProcessingTime(final long time, final Window window, final TriggerContext ctx) throws Exception
    {
        final ReducingState<Long> next = ctx.getPartitionedState(nextFire);
        final Long due = next.get();
        if (due != null && due == time)
        {
            // The next firing is scheduled by the next record: a window that receives
            // nothing new has nothing new to say.
            next.clear();
            return TriggerResult.FIRE;
        }
        return time == window.maxTimestamp() ? TriggerResult.FIRE : TriggerResult.CONTINUE;
    }

    @Override
    public void clear(final Window window, final TriggerContext ctx)
    {
        final ReducingState<Long> next = ctx.getPartitionedState(nextFire);
        final Long due = next.get();
        if (due != null)
        {
            ctx.deleteProcessingTimeTimer(due);
            next.clear();
        }
        ctx.deleteProcessingTimeTimer(window.maxTimestamp());
    }

    @Override
    public boolean canMerge()
    {
        return true;
    }

    @Override
    public void onMerge(final Window window, final OnMergeContext ctx) throws Exception
    {
        ctx.mergePartitionedState(nextFire);
        final Long due = ctx.<ReducingState<Long>>getPartitionedState(nextFire).get();
        if (due != null)
        {
            ctx.registerProcessingTimeTimer(due);
        }
    }

    @Override
    public String toString()
    {
        return "ContinuousProcessingTimeTrigger(" + interval + ")";
    }
}
