package io.tidemark.engine.window;

import io.tidemark.engine.state.TypeSerializer;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * The half-open time interval {@code [start, end)}, in milliseconds. Immutable.
 */
public final class TimeWindow extends Window
{
    /** Writes start and end. */
    public static final TypeSerializer<TimeWindow> SERIALIZER = new TypeSerializer<>()
    {
        @Override
        public void serialize(final TimeWindow value, final DataOutput out) throws IOException
        {
            out.writeLong(value.start);
            out.writeLong(value.end);
        }

        @Override
        public TimeWindow deserialize(final DataInput in) throws IOException
        {
            return new TimeWindow(in.readLong(), in.readLong());
        }
    };

    private final long start;
    private final long end;

    /**
     * @param start the first millisecond in the window.
     * @param end   the first millisecond after it, larger than {@code start}.
     */
    public TimeWindow(final long start, final long end)
    {
        if (end <= start)
        {
            throw new IllegalArgumentException("a window needs start < end, got [" + start + ", " + end + ")");
        }
        this.start = start;
        this.end = end;
    }

    /**
     * @return the first millisecond in the window.
     */
    public long start()
    {
        return start;
    }

    /**
     * @return the first millisecond after the window.
     */
    public long end()
    {
        return end;
    }

    @Override
    public long maxTimestamp()
    {
        return end - 1;
    }

    /**
     * @param other another window.
     * @return whether the two overlap or touch, which for sessions means they merge: a
     * record at {@code t} with gap {@code g} joins a session that ends at {@code t}.
     */
    public boolean intersects(final TimeWindow other)
    {
        return start <= other.end && end >= other.start;
    }

    /**
     * @param other another window.
     * @return the smallest window that covers both.
     */
    public TimeWindow cover(final TimeWindow other)
    {
        return new TimeWindow(Math.min(start, other.start), Math.max(end, other.end));
    }

    /**
     * The start of the window of size {@code size}, aligned to {@code offset}, that holds
     * {@code timestamp}; correct for negative timestamps too.
     *
     * @param timestamp a timestamp.
     * @param offset    the alignment: windows start at {@code offset + k * size}.
     * @param size      the window size, positive.
     * @return the window's start.
     * @throws ArithmeticException if that start lies before {@link Long#MIN_VALUE}.
     */
    public static long startOf(final long timestamp, final long offset, final long size)
    {
        return Math.subtractExact(timestamp, positionIn(timestamp, offset, size));
    }

    /**
     * How far a timestamp lies into its window: {@code floorMod(timestamp - offset, size)},
     * also where that subtraction would overflow.
     *
     * @param timestamp a timestamp.
     * @param offset    the alignment: windows start at {@code offset + k * size}.
     * @param size      the window size, positive.
     * @return the distance from the window's start, in {@code [0, size)}.
     */
    static long positionIn(final long timestamp, final long offset, final long size)
    {
        final long difference = timestamp - offset;
        if (((timestamp ^ offset) & (timestamp ^ difference)) >= 0)
        {
            return Math.floorMod(difference, size);
        }
        final long position = Math.floorMod(timestamp, size) - Math.floorMod(offset, size);
        return position < 0 ? position + size : position;
    }

    /**
     * Whether all the windows that hold a timestamp fit in the range of a {@code long}: the
     * earliest starts at or after {@link Long#MIN_VALUE}, the latest ends at or before
     * {@link Long#MAX_VALUE}. The window operators refuse a record for which they do not.
     *
     * @param timestamp a timestamp.
     * @param position  how far it lies into the latest window that holds it, at least 0.
     * @param spread    how much earlier the earliest of them starts, at least 0, with
     *                  {@code position + spread < size}: 0 for tumbling windows.
     * @param size      the window size, positive.
     * @return whether they fit.
     */
    static boolean fits(final long timestamp, final long position, final long spread, final long size)
    {
        // position + spread < size and size > 0: neither bound overflows.
        return timestamp >= Long.MIN_VALUE + position + spread && timestamp - position <= Long.MAX_VALUE - size;
    }

    /**
     * Merges windows that intersect (overlap or touch), for session windows: sorts them by
     * start and sweeps, reporting each group of two or more.
     *
     * @param windows  the windows; not modified.
     * @param callback receives each group and the window that covers it.
     */
    public static void mergeIntersecting(final Collection<TimeWindow> windows, final MergingWindowAssigner.MergeCallback<TimeWindow> callback)
    {
        final List<TimeWindow> sorted = new ArrayList<>(windows);
        sorted.sort(Comparator.comparingLong(TimeWindow::start));
        List<TimeWindow> group = new ArrayList<>();
        TimeWindow cover = null;
        for (final TimeWindow window : sorted)
        {
            if (cover != null && cover.intersects(window))
            {
                group.add(window);
                cover = cover.cover(window);
            }
            else
            {
                if (group.size() > 1)
                {
                    callback.merge(group, cover);
                }
                group = new ArrayList<>();
                group.add(window);
                cover = window;
            }
        }
        if (group.size() > 1)
        {
            callback.merge(group, cover);
        }
    }

    @Override
    public boolean equals(final Object other)
    {
        return other instanceof TimeWindow window && window.start == start && window.end == end;
    }

    @Override
    public int hashCode()
    {
        return Long.hashCode(start) * 31 + Long.hashCode(end);
    }

    @Override
    public String toString()
    {
        return "[" + start + ", " + end + ")";
    }
}
