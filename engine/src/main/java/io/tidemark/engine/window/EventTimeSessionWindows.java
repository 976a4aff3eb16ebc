package io.tidemark.engine.window;

import io.tidemark.engine.state.TypeSerializer;
import java.time.Duration;
import java.util.Collection;
import java.util.List;

/**
 * Sessions on event time: a key's records belong to one session as long as each comes
 * within {@code gap} of the one before; a record at {@code t} opens {@code [t, t + gap)},
 * which merges with every session it overlaps or touches.
 */
public final class EventTimeSessionWindows extends MergingWindowAssigner<Object, TimeWindow>
{
    private final long gap;

    private EventTimeSessionWindows(final long gap)
    {
        if (gap <= 0)
        {
            throw new IllegalArgumentException("the session gap must be positive: " + gap);
        }
        this.gap = gap;
    }

    /**
     * @param gap the inactivity that ends a session.
     * @return the assigner.
     */
    public static EventTimeSessionWindows withGap(final Duration gap)
    {
        return new EventTimeSessionWindows(gap.toMillis());
    }

    /**
     * @return the inactivity that ends a session, in milliseconds.
     */
    public long gap()
    {
        return gap;
    }

    @Override
    public List<TimeWindow> assignWindows(final Object element, final long timestamp, final Context context)
    {
        return sessionOf(requireTimestamp(timestamp), gap);
    }

    /**
     * @return the session window {@code [time, time + gap)} of a record, or {@code null} if it
     * ends after {@link Long#MAX_VALUE}.
     */
    static List<TimeWindow> sessionOf(final long time, final long gap)
    {
        return TimeWindow.fits(time, 0, 0, gap) ? List.of(new TimeWindow(time, time + gap)) : null;
    }

    @Override
    public void mergeWindows(final Collection<TimeWindow> windows, final MergeCallback<TimeWindow> callback)
    {
        TimeWindow.mergeIntersecting(windows, callback);
    }

    @Override
    public Trigger<Object, TimeWindow> defaultTrigger()
    {
        return EventTimeTrigger.create();
    }

    @Override
    public boolean isEventTime()
    {
        return true;
    }

    @Override
    public TypeSerializer<TimeWindow> windowSerializer()
    {
        return TimeWindow.SERIALIZER;
    }

    @Override
    public String toString()
    {
        return "EventTimeSessionWindows(" + gap + ")";
    }
}
