package io.tidemark.engine.window;

import io.tidemark.engine.state.ReducingState;
import io.tidemark.engine.state.ReducingStateDescriptor;
import io.tidemark.engine.state.Serializers;
import java.time.Duration;

/**
 * Fires early results every {@code interval} of event time while the window is open
 * (aligned to multiples of the interval), and the final result when the watermark passes
 * the window's end: a long window that shows its progress.
 */
public final class ContinuousEventTimeTrigger extends Trigger<Object, Window>
{
    private final long interval;
    private final ReducingStateDescriptor<Long> nextFire = new ReducingStateDescriptor<>("continuous-event-time", Math::min, Serializers.LONG);

    private ContinuousEventTimeTrigger(final long interval)
    {
        if (interval < 1)
        {
            throw new IllegalArgumentException("the interval must be positive: " + interval);
        }
        this.interval = interval;
    }

    /**
     * @param interval event time between early firings.
     * @param <W>      the window type.
     * @return the trigger.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static <W extends Window> Trigger<Object, W> of(final Duration interval)
    {
        return (Trigger)new ContinuousEventTimeTrigger(interval.toMillis());
    }

    @Override
    public TriggerResult onElement(final Object element, final long timestamp, final Window window, final TriggerContext ctx) throws Exception
    {
        if (window.maxTimestamp() <= ctx.currentWatermark())
        {
            return TriggerResult.FIRE;
        }
        ctx.registerEventTimeTimer(window.maxTimestamp());
        final ReducingState<Long> next = ctx.getPartitionedState(nextFire);
        if (next.get() == null)
        {
            scheduleAfter(timestamp, window, ctx, next);
        }
        return TriggerResult.CONTINUE;
    }

    @Override
    public TriggerResult onEventTime(final long time, final Window window, final TriggerContext ctx) throws Exception
    {
        if (time == window.maxTimestamp())
        {
            return TriggerResult.FIRE;
        }
        final ReducingState<Long> next = ctx.getPartitionedState(nextFire);
        final Long due = next.get();
        if (due != null && due == time)
        {
            next.clear();
            scheduleAfter(time, window, ctx, next);
            return TriggerResult.FIRE;
        }
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
        final ReducingState<Long> next = ctx.getPartitionedState(nextFire);
        final Long due = next.get();
        if (due != null)
        {
            ctx.deleteEventTimeTimer(due);
            next.clear();
        }
        ctx.deleteEventTimeTimer(window.maxTimestamp());
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
            ctx.registerEventTimeTimer(due);
        }
        if (window.maxTimestamp() > ctx.currentWatermark())
        {
            ctx.registerEventTimeTimer(window.maxTimestamp());
        }
    }

    private void scheduleAfter(final long time, final Window window, final TriggerContext ctx, final ReducingState<Long> next) throws Exception
    {
        // The next multiple of the interval strictly after `time`, unless it is past the
        // window's end (which fires anyway) or past the end of time.
        final long wait = interval - Math.floorMod(time, interval);
        if (time <= Long.MAX_VALUE - wait && time + wait < window.maxTimestamp())
        {
            next.add(time + wait);
            ctx.registerEventTimeTimer(time + wait);
        }
    }

    @Override
    public String toString()
    {
        return "ContinuousEventTimeTrigger(" + interval + ")";
    }
}
