package io.tidemark.engine.window;

import io.tidemark.engine.state.TypeSerializer;
import java.time.Duration;
import java.util.Collection;
import java.util.List;

/** Sessions on processing time: a session ends after {@code gap} without records. */
public final class ProcessingTimeSessionWindows extends MergingWindowAssigner<Object, TimeWindow>
{
    private final long gap;

    private ProcessingTimeSessionWindows(final long gap)
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
    public static ProcessingTimeSessionWindows withGap(final Duration gap)
    {
        return new ProcessingTimeSessionWindows(gap.toMillis());
    }

    @Override
    public List<TimeWindow> assignWindows(final Object element, final long timestamp, final Context context)
    {
        return EventTimeSessionWindows.sessionOf(context.currentProcessingTime(), gap);
    }

    @Override
    public void mergeWindows(final Collection<TimeWindow> windows, final MergeCallback<TimeWindow> callback)
    {
        TimeWindow.mergeIntersecting(windows, callback);
    }

    @Override
    public Trigger<Object, TimeWindow> defaultTrigger()
    {
        return ProcessingTimeTrigger.create();
    }

    @Override
    public boolean isEventTime()
    {
        return false;
    }

    @Override
    public TypeSerializer<TimeWindow> windowSerializer()
    {
        return TimeWindow.SERIALIZER;
    }

    @Override
    public String toString()
    {
        return "ProcessingTimeSessionWindows(" + gap + ")";
    }
}
