package io.tidemark.engine.operator;

import io.tidemark.engine.state.KeyGroups;
import io.tidemark.engine.state.KeyedStateBackend;
import io.tidemark.engine.state.TypeSerializer;
import io.tidemark.engine.time.Watermark;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * The event-time and processing-time timers of one keyed operator subtask. A timer belongs
 * to a key and a namespace (for windows, the window) and fires once, however often it was
 * registered. Event-time timers fire when the watermark reaches their time, processing-time
 * timers when the clock does, always in timestamp order and with the timer's key made
 * current in the {@link KeyedStateBackend}, so the callback sees that key's state.
 *
 * <p>Not thread-safe: timers fire on the task thread, between records, so operators need
 * no locks.
 *
 * @param <N> the namespace type.
 */
public final class TimerService<N>
{
    /**
     * Receives fired timers; the timer's key is already current in the backend.
     *
     * @param <N> the namespace type.
     */
    public interface Target<N>
    {
        /**
         * @param timestamp the timer's time.
         * @param namespace the timer's namespace.
         * @throws Exception to fail the job.
         */
        void onEventTime(long timestamp, N namespace) throws Exception;

        /**
         * @param timestamp the timer's time.
         * @param namespace the timer's namespace.
         * @throws Exception to fail the job.
         */
        void onProcessingTime(long timestamp, N namespace) throws Exception;
    }

    private final KeyedStateBackend backend;
    private final Target<N> target;
    private final TypeSerializer<N> namespaceSerializer;
    private final TimerQueue eventTimers = new TimerQueue();
    private final TimerQueue processingTimers = new TimerQueue();
    private long currentWatermark = Watermark.NONE;
    private boolean restored;

    /**
     * @param backend             supplies the current key and receives the firing timer's key.
     * @param target              receives fired timers.
     * @param namespaceSerializer how to snapshot namespaces.
     */
    public TimerService(final KeyedStateBackend backend, final Target<N> target, final TypeSerializer<N> namespaceSerializer)
    {
        this.backend = backend;
        this.target = target;
        this.namespaceSerializer = namespaceSerializer;
    }

    /**
     * @param namespace the namespace, with the backend's current key.
     * @param time      when the watermark should fire it.
     */
    public void registerEventTimeTimer(final N namespace, final long time)
    {
        add(eventTimers, namespace, time);
    }

    /**
     * @param namespace the namespace, with the backend's current key.
     * @param time      when processing time should fire it.
     */
    public void registerProcessingTimeTimer(final N namespace, final long time)
    {
        add(processingTimers, namespace, time);
    }

    /**
     * @param namespace the namespace, with the backend's current key.
     * @param time      the time of the event-time timer to delete; no harm if there is none.
     */
    public void deleteEventTimeTimer(final N namespace, final long time)
    {
        remove(eventTimers, namespace, time);
    }

    /**
     * @param namespace the namespace, with the backend's current key.
     * @param time      the time of the processing-time timer to delete.
     */
    public void deleteProcessingTimeTimer(final N namespace, final long time)
    {
        remove(processingTimers, namespace, time);
    }

    // A key set by value stays one: boxing it would allocate per timer and add a reference
    // for the queue to follow.
    private void add(final TimerQueue queue, final N namespace, final long time)
    {
        if (backend.currentKeyIsLong())
        {
            queue.addLong(backend.currentLongKey(), namespace, time);
        }
        else
        {
            queue.add(backend.currentKey(), namespace, time);
        }
    }

    private void remove(final TimerQueue queue, final N namespace, final long time)
    {
        if (backend.currentKeyIsLong())
        {
            queue.removeLong(backend.currentLongKey(), namespace, time);
        }
        else
        {
            queue.remove(backend.currentKey(), namespace, time);
        }
    }

    /**
     * Sets the watermark, then fires every event-time timer at or before it, including timers
     * the callbacks register on the way.
     *
     * @param watermark the new watermark.
     * @throws Exception if a callback fails.
     */
    public void advanceWatermark(final long watermark) throws Exception
    {
        currentWatermark = watermark;
        while (!eventTimers.isEmpty() && eventTimers.headTimestamp() <= watermark)
        {
            final long timestamp = eventTimers.headTimestamp();
            target.onEventTime(timestamp, takeHead(eventTimers));
        }
    }

    /**
     * Fires every processing-time timer at or before {@code now}.
     *
     * @param now the current processing time.
     * @throws Exception if a callback fails.
     */
    public void advanceProcessingTime(final long now) throws Exception
    {
        while (!processingTimers.isEmpty() && processingTimers.headTimestamp() <= now)
        {
            final long timestamp = processingTimers.headTimestamp();
            target.onProcessingTime(timestamp, takeHead(processingTimers));
        }
    }

    /**
     * Removes the first timer to fire, with its key made current.
     *
     * @return its namespace.
     */
    @SuppressWarnings("unchecked")
    private N takeHead(final TimerQueue queue)
    {
        final N namespace = (N)queue.headNamespace();
        if (queue.headKeyIsLong())
        {
            backend.setCurrentLongKey(queue.headLongKey());
        }
        else
        {
            backend.setCurrentKey(queue.headKey());
        }
        queue.removeHead();
        return namespace;
    }

    /**
     * @return the watermark this service last advanced to.
     */
    public long currentWatermark()
    {
        return currentWatermark;
    }

    /**
     * @return the number of pending event-time timers.
     */
    public int eventTimeTimerCount()
    {
        return eventTimers.size();
    }

    /**
     * @return the number of pending processing-time timers.
     */
    public int processingTimeTimerCount()
    {
        return processingTimers.size();
    }

    /**
     * Writes the watermark and both timer queues, each in firing order.
     *
     * @param out where to write.
     * @throws IOException if a key or namespace cannot be written.
     */
    public void snapshot(final DataOutput out) throws IOException
    {
        out.writeLong(currentWatermark);
        writeQueue(eventTimers, out);
        writeQueue(processingTimers, out);
    }

    /**
     * Reads what {@link #snapshot} wrote, keeping only the timers of keys in this subtask's
     * key groups and adding them to those held: called once per inherited snapshot, it merges
     * them. The watermark is the least of the snapshots': each old subtask had seen its own
     * input's, and a timer due for one of them may not be due for another.
     *
     * @param in where to read.
     * @throws IOException if the bytes are not a timer snapshot.
     */
    public void restore(final DataInput in) throws IOException
    {
        final long watermark = in.readLong();
        currentWatermark = restored ? Math.min(currentWatermark, watermark) : watermark;
        restored = true;
        readQueue(eventTimers, in);
        readQueue(processingTimers, in);
    }

    @SuppressWarnings("unchecked")
    private void writeQueue(final TimerQueue queue, final DataOutput out) throws IOException
    {
        out.writeInt(queue.size());
        queue.forEachInFiringOrder((key, namespace, timestamp) ->
        {
            backend.keySerializer().serialize(key, out);
            namespaceSerializer.serialize((N)namespace, out);
            out.writeLong(timestamp);
        });
    }

    private void readQueue(final TimerQueue queue, final DataInput in) throws IOException
    {
        final int count = in.readInt();
        for (int i = 0; i < count; i++)
        {
            final Object key = backend.keySerializer().deserialize(in);
            final N namespace = namespaceSerializer.deserialize(in);
            final long timestamp = in.readLong();
            if (backend.keyGroupRange().contains(KeyGroups.keyGroupFor(key, backend.maxParallelism())))
            {
                queue.add(key, namespace, timestamp);
            }
        }
    }
}
