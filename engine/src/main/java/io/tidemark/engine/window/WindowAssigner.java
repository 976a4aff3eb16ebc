package io.tidemark.engine.window;

import io.tidemark.engine.state.TypeSerializer;
import java.util.List;

/**
 * Decides which windows a record belongs to. Called once per record; assigners return
 * immutable lists and may hand out the same list again for the next record of the same
 * windows, so that the common case allocates nothing.
 *
 * @param <T> the record type.
 * @param <W> the window type.
 */
public abstract class WindowAssigner<T, W extends Window>
{
    /** Processing time, read only by assigners that need it. */
    public interface Context
    {
        /**
         * @return the current processing time.
         */
        long currentProcessingTime();
    }

    /**
     * @param element   the record.
     * @param timestamp its event timestamp.
     * @param context   processing time.
     * @return the windows it belongs to, not to be modified: empty if it falls between
     * windows (windows shorter than their slide), {@code null} if they do not all fit in the
     * range of a {@code long} (a window would start before {@link Long#MIN_VALUE} or end after
     * {@link Long#MAX_VALUE}), which the window operator refuses as out of range.
     */
    public abstract List<W> assignWindows(T element, long timestamp, Context context);

    /**
     * @return the trigger used unless the job sets another.
     */
    public abstract Trigger<Object, W> defaultTrigger();

    /**
     * @return whether windows are on event time (late data, allowed lateness and the
     * watermark apply) rather than processing time.
     */
    public abstract boolean isEventTime();

    /**
     * @return how to snapshot a window.
     */
    public abstract TypeSerializer<W> windowSerializer();

    /**
     * Rejects records without a timestamp, with the usual cause in the message.
     *
     * @param timestamp a record's timestamp.
     * @return the timestamp.
     */
    static long requireTimestamp(final long timestamp)
    {
        if (timestamp == Long.MIN_VALUE)
        {
            throw new IllegalStateException("a record has no event timestamp; did you forget assignTimestampsAndWatermarks(...) or a timestamp assigner?");
        }
        return timestamp;
    }
}
