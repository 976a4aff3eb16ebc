package io.tidemark.engine.window;

import io.tidemark.engine.state.TypeSerializer;
import java.time.Duration;
import java.util.List;

/** Hopping windows on processing time: windows of {@code size} starting every {@code slide}. */
public final class SlidingProcessingTimeWindows extends WindowAssigner<Object, TimeWindow>
{
    private final long size;
    private final long slide;
    private final WindowListCache<TimeWindow> cache = new WindowListCache<>();

    private SlidingProcessingTimeWindows(final long size, final long slide)
    {
        if (size <= 0 || slide <= 0)
        {
            throw new IllegalArgumentException("size and slide must be positive: " + size + ", " + slide);
        }
        this.size = size;
        this.slide = slide;
    }

    /**
     * @param size  the window size.
     * @param slide how far apart windows start.
     * @return the assigner.
     */
    public static SlidingProcessingTimeWindows of(final Duration size, final Duration slide)
    {
        return new SlidingProcessingTimeWindows(size.toMillis(), slide.toMillis());
    }

    @Override
    public List<TimeWindow> assignWindows(final Object element, final long timestamp, final Context context)
    {
        return SlidingEventTimeWindows.windowsContaining(context.currentProcessingTime(), size, slide, 0, cache);
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
        return "SlidingProcessingTimeWindows(" + size + ", " + slide + ")";
    }
}
