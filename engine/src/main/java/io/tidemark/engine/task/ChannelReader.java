package io.tidemark.engine.task;

import io.tidemark.engine.checkpoint.CheckpointBarrier;
import io.tidemark.engine.functions.ReusableRecord;

/**
 * The consumer's side of a {@link Channel}: hands what arrived to a {@link Handler}, a batch
 * at a time, and frees the batch's slots with one store.
 */
public final class ChannelReader
{
    /** Receives what a channel carries, in order. */
    public interface Handler
    {
        /**
         * @param key       the key on a keyed edge, else {@code null}.
         * @param value     the record.
         * @param timestamp its timestamp.
         */
        void onRecord(Object key, Object value, long timestamp);

        /**
         * A record of an edge whose channel carries {@code long} keys; by default handed on
         * as a record with a {@code Long} key.
         *
         * @param key       the record's key, by value.
         * @param value     the record.
         * @param timestamp its timestamp.
         */
        default void onLongKeyedRecord(final long key, final Object value, final long timestamp)
        {
            onRecord(Long.valueOf(key), value, timestamp);
        }

        /**
         * @param watermark the producer's new watermark.
         */
        void onWatermark(long watermark);

        /**
         * @param idle the producer's idleness.
         */
        void onIdle(boolean idle);

        /**
         * A checkpoint barrier; {@link #drain} returns right after it, so that the task can
         * hold this input back before it hands over anything that follows the barrier.
         *
         * @param barrier the barrier.
         */
        void onBarrier(CheckpointBarrier barrier);

        /** The producer has finished. */
        void onEndOfInput();
    }

    private final Channel channel;
    private final int input;
    private final boolean keyed;
    private final Object[] keys;
    private final long[] longKeys;
    private final Object[] values;
    private final long[] timestamps;
    private final int mask;
    private long head;
    private long available;
    private boolean recycles;

    ChannelReader(final Channel channel)
    {
        this(channel, 1, false);
    }

    /**
     * @param channel the channel.
     * @param input   the consumer's input the channel's edge feeds: 1, or 2.
     * @param keyed   whether the edge is keyed, so its records carry their key.
     */
    ChannelReader(final Channel channel, final int input, final boolean keyed)
    {
        this.channel = channel;
        this.input = input;
        this.keyed = keyed;
        this.keys = channel.keys;
        this.longKeys = channel.longKeys;
        this.values = channel.values;
        this.timestamps = channel.timestamps;
        this.mask = channel.mask;
    }

    /**
     * @return the consumer's input this channel feeds: 1, or 2 for a two-input operator's second.
     */
    int input()
    {
        return input;
    }

    /**
     * @return whether the channel's records carry the key their edge computed.
     */
    boolean keyed()
    {
        return keyed;
    }

    /**
     * Leaves each record in its slot once handed over: a {@link ReusableRecord} for the
     * producer to copy the next record of that slot into, so that no record is allocated to
     * cross the channel. Only for a consumer that keeps no reference to a record past the
     * call that receives it. Does nothing on a channel whose writer passes records by
     * reference: none would be copied into, and the ring would keep each record alive until
     * the next lap overwrites it, on an idle channel for good.
     * Called before the consumer's thread starts.
     */
    void recycleRecords()
    {
        recycles = channel.copies;
    }

    /**
     * @return whether something was published that {@link #drain} has not handed over yet.
     */
    public boolean hasInput()
    {
        return available != head || channel.tail.getAcquire() != head;
    }

    /**
     * @param handler receives the elements.
     * @param limit   the most elements to hand over in this call; fewer if a checkpoint
     *                barrier comes first, which is the last element handed over.
     * @return how many were handed over; 0 if the channel is empty.
     */
    public int drain(final Handler handler, final int limit)
    {
        if (available == head)
        {
            available = channel.tail.getAcquire();
            if (available == head)
            {
                return 0;
            }
        }
        final long end = head + Math.min(available - head, limit);
        // Decided per batch, not per record: the loop is unswitched on both.
        final long[] longKeys = this.longKeys;
        final boolean recycles = this.recycles;
        long sequence = head;
        while (sequence < end)
        {
            final int slot = (int)sequence & mask;
            final Object value = values[slot];
            final Object key = keys[slot];
            final long timestamp = timestamps[slot];
            sequence++;
            // Markers are told by identity: a record's own fields are not touched here, so a
            // consumer that does not read them leaves the record's cache line to its producer.
            if (ChannelLayout.isMarker(value))
            {
                values[slot] = null;
                keys[slot] = null;
                if (value == ChannelLayout.BARRIER)
                {
                    handler.onBarrier((CheckpointBarrier)key);
                    break;
                }
                dispatchControl(handler, value, timestamp);
                continue;
            }
            // Drop the references now, so that the ring does not keep records alive; a
            // recycling consumer (only ever on a channel whose writer copies, so the slot's
            // record is the channel's own) leaves each for the producer to copy the next into.
            if (!recycles)
            {
                values[slot] = null;
            }
            if (longKeys != null)
            {
                handler.onLongKeyedRecord(longKeys[slot], value, timestamp);
            }
            else
            {
                if (key != null)
                {
                    keys[slot] = null;
                }
                handler.onRecord(key, value, timestamp);
            }
        }
        final int count = (int)(sequence - head);
        head = sequence;
        channel.head.setRelease(sequence);
        return count;
    }

    private static void dispatchControl(final Handler handler, final Object marker, final long timestamp)
    {
        if (marker == ChannelLayout.WATERMARK)
        {
            handler.onWatermark(timestamp);
        }
        else if (marker == ChannelLayout.IDLE)
        {
            handler.onIdle(true);
        }
        else if (marker == ChannelLayout.ACTIVE)
        {
            handler.onIdle(false);
        }
        else
        {
            handler.onEndOfInput();
        }
    }
}
