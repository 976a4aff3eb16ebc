package io.tidemark.engine.task;

import io.tidemark.engine.checkpoint.CheckpointBarrier;
import io.tidemark.engine.functions.ReusableRecord;
import org.agrona.concurrent.IdleStrategy;

/**
 * The producer's side of a {@link Channel}. Writes go into slots past the published tail
 * and become visible to the consumer in batches: when {@code batchSize} are pending, when
 * the oldest pending one has waited {@code flushTimeout} (checked by the task between
 * batches), or at once for control elements. A flush timeout of zero publishes every
 * record: lowest latency, most cross-core traffic. When the ring is full the writer
 * publishes what it has and waits with its idle strategy (spin, yield, then park) until the
 * consumer frees slots: that wait is backpressure, and it propagates upstream by itself.
 * Each publish rings the consumer's {@link Doorbell}, in case it fell asleep waiting.
 *
 * <p>The writer of a channel made to copy (for a source that reuses its records, with nothing
 * chained to it) copies each {@link ReusableRecord} on the way in, since its producer refills it for the
 * next record: into the record the slot still holds from the last lap when the consumer
 * recycles records ({@link ChannelReader#recycleRecords}), otherwise into a new one. Every
 * other writer passes its records by reference.
 */
public final class ChannelWriter
{
    private final Channel channel;
    private final Object[] keys;
    private final long[] longKeys;
    private final Object[] values;
    private final long[] timestamps;
    private final int mask;
    private final int capacity;
    private final int batchSize;
    private final long flushTimeoutNanos;
    private final IdleStrategy idleStrategy;
    private final JobControl control;
    private final Doorbell consumer;
    private final boolean copies;
    private long next;
    private long published;
    private long limit;
    private long firstPendingNanos;
    private long backpressureWaits;
    private long backpressureNanos;

    /**
     * @param channel the channel; it says whether this writer copies ({@code Channel.copies}).
     */
    ChannelWriter(final Channel channel, final int batchSize, final long flushTimeoutNanos, final IdleStrategy idleStrategy, final JobControl control,
        final Doorbell consumer)
    {
        this.channel = channel;
        this.keys = channel.keys;
        this.longKeys = channel.longKeys;
        this.values = channel.values;
        this.timestamps = channel.timestamps;
        this.mask = channel.mask;
        this.capacity = channel.capacity();
        this.batchSize = Math.max(1, Math.min(batchSize, capacity));
        this.flushTimeoutNanos = flushTimeoutNanos;
        this.idleStrategy = idleStrategy;
        this.control = control;
        this.consumer = consumer;
        this.copies = channel.copies;
        this.limit = capacity;
    }

    /**
     * @param key       the record's key on a keyed edge, else {@code null}.
     * @param value     the record.
     * @param timestamp its timestamp.
     */
    public void writeRecord(final Object key, final Object value, final long timestamp)
    {
        final int slot = claim();
        keys[slot] = key;
        store(slot, value, timestamp);
    }

    /**
     * @param key       the record's key, on an edge whose channel carries {@code long} keys.
     * @param value     the record.
     * @param timestamp its timestamp.
     */
    public void writeLongKeyedRecord(final long key, final Object value, final long timestamp)
    {
        final int slot = claim();
        longKeys[slot] = key;
        store(slot, value, timestamp);
    }

    private void store(final int slot, final Object value, final long timestamp)
    {
        values[slot] = copies ? detach(values[slot], (ReusableRecord<?>)value) : value;
        timestamps[slot] = timestamp;
        next++;
        final long pending = next - published;
        if (pending >= batchSize || flushTimeoutNanos == 0)
        {
            publish();
        }
        else if (pending == 1)
        {
            firstPendingNanos = System.nanoTime();
        }
    }

    /**
     * @param resident what the slot holds: a record the consumer left to be recycled, or null.
     * @param record   the record to write, which its producer will refill.
     * @return a copy of the record that only this channel holds.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object detach(final Object resident, final ReusableRecord record)
    {
        if (resident != null && resident.getClass() == record.getClass())
        {
            ((ReusableRecord)resident).copyFrom(record);
            return resident;
        }
        return record.copy();
    }

    /**
     * @param watermark the producer's watermark; published at once.
     */
    public void writeWatermark(final long watermark)
    {
        write(null, ChannelLayout.WATERMARK, watermark);
        publish();
    }

    /**
     * @param idle the producer's idleness; published at once.
     */
    public void writeIdle(final boolean idle)
    {
        write(null, idle ? ChannelLayout.IDLE : ChannelLayout.ACTIVE, 0);
        publish();
    }

    /**
     * Publishes a checkpoint barrier at once, with the records before it, so that the buffer
     * timeout does not hold the checkpoint back, but does not ring the consumer: the producer
     * rings ({@link #ringConsumer}) once every channel it writes has the barrier. Rung here, a
     * sleeping consumer could be run on the producer's thread past the barrier and wait there
     * for room in a channel that a task downstream holds for alignment, until a barrier that
     * this thread has yet to write: a deadlock.
     *
     * @param barrier a checkpoint barrier.
     */
    public void writeBarrier(final CheckpointBarrier barrier)
    {
        write(barrier, ChannelLayout.BARRIER, barrier.id());
        published = next;
        channel.tail.setRelease(next);
    }

    /** Wakes or runs the consumer if it sleeps: after {@link #writeBarrier}. */
    public void ringConsumer()
    {
        consumer.ring();
    }

    /** Tells the consumer nothing more will come; published at once. */
    public void writeEndOfInput()
    {
        write(null, ChannelLayout.END_OF_INPUT, 0);
        publish();
    }

    /**
     * Publishes pending records if the oldest has waited the flush timeout.
     *
     * @param nowNanos {@link System#nanoTime()}, read once by the caller for all its writers.
     */
    public void flushIfDue(final long nowNanos)
    {
        if (next != published && nowNanos - firstPendingNanos >= flushTimeoutNanos)
        {
            publish();
        }
    }

    /** Publishes every pending record now: the task is about to sleep. */
    public void flush()
    {
        if (next != published)
        {
            publish();
        }
    }

    /**
     * @return how many times the writer found the ring full and had to wait, or ran its
     *         sleeping consumer to make room.
     */
    public long backpressureWaits()
    {
        return backpressureWaits;
    }

    /**
     * @return nanoseconds the writer waited for room, or ran its consumer to make room; read
     *         by the writing task.
     */
    long backpressureNanos()
    {
        return backpressureNanos;
    }

    private void write(final Object key, final Object value, final long timestamp)
    {
        final int slot = claim();
        keys[slot] = key;
        values[slot] = value;
        timestamps[slot] = timestamp;
        next++;
    }

    /**
     * @return the slot of the next element, once the consumer has freed it.
     */
    private int claim()
    {
        final long sequence = next;
        if (sequence >= limit)
        {
            awaitSpace(sequence);
        }
        return (int)sequence & mask;
    }

    /**
     * @return whether this thread ran the consumer's round (the hand-off).
     */
    private boolean publish()
    {
        published = next;
        channel.tail.setRelease(next);
        return consumer.ring();
    }

    private void awaitSpace(final long sequence)
    {
        final long start = System.nanoTime();
        // The consumer can only free slots it can see: publish first, or both would wait.
        // A sleeping consumer may then run on this thread: for want of room all the same, so
        // its round counts as backpressure, which stays visible with the hand-off.
        final boolean ranConsumer = publish();
        limit = channel.head.getAcquire() + capacity;
        if (sequence < limit)
        {
            if (ranConsumer)
            {
                backpressureWaits++;
                backpressureNanos += System.nanoTime() - start;
            }
            return;
        }
        backpressureWaits++;
        try
        {
            while (true)
            {
                control.checkCancelled();
                idleStrategy.idle();
                limit = channel.head.getAcquire() + capacity;
                if (sequence < limit)
                {
                    idleStrategy.reset();
                    return;
                }
            }
        }
        finally
        {
            backpressureNanos += System.nanoTime() - start;
        }
    }
}
