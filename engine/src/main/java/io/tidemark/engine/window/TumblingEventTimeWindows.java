package io.tidemark.engine.window;

import io.tidemark.engine.state.TypeSerializer;
import java.time.Duration;
import java.util.List;

/**
 * Fixed-size, non-overlapping windows on event time: every record belongs to exactly one,
 * {@code [offset + k * size, offset + (k + 1) * size)}.
 */
public final class TumblingEventTimeWindows extends WindowAssigner<Object, TimeWindow>
{
    private final long size;
    private final long offset;
    private final WindowListCache<TimeWindow> cache = new WindowListCache<>();

    private TumblingEventTimeWindows(final long size, final long offset)
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
    public static TumblingEventTimeWindows of(final Duration size)
    {
        return of(size, Duration.ZERO);
    }

    /**
     * @param size   the window size.
     * @param offset shifts the windows, for instance to align daily windows to a time zone.
     * @return the assigner.
     */
    public static TumblingEventTimeWindows of(final Duration size, final Duration offset)
    {
        return new TumblingEventTimeWindows(size.toMillis(), offset.toMillis());
    }

    @Override
    public List<TimeWindow> assignWindows(final Object element, final long timestamp, final Context context)
    {
        return windowContaining(requireTimestamp(timestamp), size, offset, cache);
    }

    /**
     * @return the one window of {@code size} aligned to {@code offset} that holds {@code time},
     * or {@code null} if it does not fit in the range of a {@code long}.
     */
    static List<TimeWindow> windowContaining(final long time, final long size, final long offset, final WindowListCache<TimeWindow> cache)
    {
        final long position = TimeWindow.positionIn(time, offset, size);
        if (!TimeWindow.fits(time, position, 0, size))
        {
            return null;
        }
        final long start = time - position;
        final List<TimeWindow> cached = cache.get(start, 1);
        return cached != null ? cached : cache.put(start, List.of(new TimeWindow(start, start + size)));
    }

    /**
     * @return the window size in milliseconds.
     */
    public long size()
    {
        return size;
    }

    /**
     * @return the alignment offset in milliseconds, in {@code [0, size)}.
     */
    public long offset()
    {
        return offset;
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
        return "TumblingEventTimeWindows(" + size + (offset != 0 ? ", offset " + offset : "") + ")";
    }
}
