package io.tidemark.engine.window;

import io.tidemark.engine.state.TypeSerializer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Hopping windows on event time: windows of {@code size} that start every {@code slide},
 * so a record belongs to {@code size / slide} of them (rounded up). With a size that is a
 * multiple of the slide, a window is a run of whole slices of length {@code slide}; see
 * {@link #slice()}.
 */
public final class SlidingEventTimeWindows extends WindowAssigner<Object, TimeWindow>
{
    private final long size;
    private final long slide;
    private final long offset;
    private final WindowListCache<TimeWindow> cache = new WindowListCache<>();

    private SlidingEventTimeWindows(final long size, final long slide, final long offset)
    {
        if (size <= 0 || slide <= 0)
        {
            throw new IllegalArgumentException("size and slide must be positive: " + size + ", " + slide);
        }
        this.size = size;
        this.slide = slide;
        this.offset = Math.floorMod(offset, slide);
    }

    /**
     * @param size  the window size.
     * @param slide how far apart windows start.
     * @return the assigner.
     */
    public static SlidingEventTimeWindows of(final Duration size, final Duration slide)
    {
        return new SlidingEventTimeWindows(size.toMillis(), slide.toMillis(), 0);
    }

    /**
     * @param size   the window size.
     * @param slide  how far apart windows start.
     * @param offset shifts the windows: they start at {@code offset + k * slide}.
     * @return the assigner.
     */
    public static SlidingEventTimeWindows of(final Duration size, final Duration slide, final Duration offset)
    {
        return new SlidingEventTimeWindows(size.toMillis(), slide.toMillis(), offset.toMillis());
    }

    @Override
    public List<TimeWindow> assignWindows(final Object element, final long timestamp, final Context context)
    {
        return windowsContaining(requireTimestamp(timestamp), size, slide, offset, cache);
    }

    /**
     * @return the windows of {@code size} starting every {@code slide} from {@code offset} that
     * hold {@code time}, latest first; empty if it falls between windows, {@code null} if they
     * do not all fit in the range of a {@code long}.
     */
    static List<TimeWindow> windowsContaining(final long time, final long size, final long slide, final long offset, final WindowListCache<TimeWindow> cache)
    {
        final long position = TimeWindow.positionIn(time, offset, slide);
        if (position >= size)
        {
            return List.of();
        }
        // The earliest window holding `time` starts a whole number of slides before the latest.
        final long spread = (size - position - 1) / slide * slide;
        if (!TimeWindow.fits(time, position, spread, size))
        {
            return null;
        }
        final long latestStart = time - position;
        // With a size that is not a multiple of the slide, the same latest window comes with
        // one earlier window fewer towards the end of the slide.
        final int count = (int)(spread / slide + 1);
        final List<TimeWindow> cached = cache.get(latestStart, count);
        if (cached != null)
        {
            return cached;
        }
        final List<TimeWindow> windows = new ArrayList<>(count);
        for (long i = 0; i < count; i++)
        {
            final long start = latestStart - i * slide;
            windows.add(new TimeWindow(start, start + size));
        }
        return cache.put(latestStart, List.copyOf(windows));
    }

    /**
     * @return the window size in milliseconds.
     */
    public long size()
    {
        return size;
    }

    /**
     * @return the slide in milliseconds.
     */
    public long slide()
    {
        return slide;
    }

    /**
     * @return whether every window is a whole number of slides long, so that it can be
     * computed from per-slide partial aggregates.
     */
    public boolean slice()
    {
        return size % slide == 0 && offset == 0;
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
        return "SlidingEventTimeWindows(" + size + ", " + slide + (offset != 0 ? ", offset " + offset : "") + ")";
    }
}
