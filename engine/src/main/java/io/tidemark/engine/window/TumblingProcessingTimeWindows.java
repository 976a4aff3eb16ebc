package io.tidemark.engine.window;

import io.tidemark.engine.state.TypeSerializer;
import java.time.Duration;
import java.util.List;

/**
 * Fixed-size, non-overlapping windows on processing time: a record belongs to the window
 * that holds the moment the operator sees it, whatever its event timestamp.
 */
public final class TumblingProcessingTimeWindows extends WindowAssigner<Object, TimeWindow>
{
    private final long size;
    private final long offset;
    private final WindowListCache<TimeWindow> cache = new WindowListCache<>();

    private TumblingProcessingTimeWindows(final long size, final long offset)
    {
        if (size <= 0)
        {
            throw new IllegalArgumentException("the window size must be positive: " + size);
        }
        this.size = size;
        this.offset = Math.floorMod(offset, size);
    }

    /**
     * @param size the window size.
     * @return windows aligned to the epoch.
     */
    public static TumblingProcessingTimeWindows of(final Duration size)
    {
        return new TumblingProcessingTimeWindows(size.toMillis(), 0);
    }

    /**
     * @return the window size in milliseconds.
     */
    public long size()
    {
        return size;
    }

    /**
     * @return the offset in milliseconds, in {@code [0, size)}.
     */
    public long offset()
    {
        return offset;
    }

    @Override
    public List<TimeWindow> assignWindows(final Object element, final long timestamp, final Context context)
    {
        return TumblingEventTimeWindows.windowContaining(context.currentProcessingTime(), size, offset, cache);
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
        return "TumblingProcessingTimeWindows(" + size + ")";
    }
}
