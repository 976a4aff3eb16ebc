package io.tidemark.engine.task;

/**
 * A bounded single-producer single-consumer ring between one producer subtask and one
 * consumer subtask; the layout is drawn in {@link ChannelLayout}. The producer side is a
 * {@link ChannelWriter}, the consumer side a {@link ChannelReader}; each keeps its own
 * cursor and touches the other's only through the padded head and tail sequences.
 */
public final class Channel
{
    final Object[] keys;
    /** The keys of a {@code long}-keyed edge, by value; null on any other edge. */
    final long[] longKeys;
    final Object[] values;
    final long[] timestamps;
    final int mask;
    /**
     * Whether the writer copies each record into the ring (its producer refills its records),
     * so that every record in {@code values} is the channel's own {@code ReusableRecord}.
     */
    final boolean copies;
    final Sequence head = new Sequence();
    final Sequence tail = new Sequence();
    private final String name;

    /**
     * @param name     for error messages and thread dumps: producer and consumer.
     * @param capacity slots, a power of two, at least 2.
     */
    public Channel(final String name, final int capacity)
    {
        this(name, capacity, false);
    }

    /**
     * @param name      for error messages and thread dumps: producer and consumer.
     * @param capacity  slots, a power of two, at least 2.
     * @param longKeyed whether the edge's keys are primitive {@code long}s, carried by value.
     */
    public Channel(final String name, final int capacity, final boolean longKeyed)
    {
        this(name, capacity, longKeyed, false);
    }

    /**
     * @param name      for error messages and thread dumps: producer and consumer.
     * @param capacity  slots, a power of two, at least 2.
     * @param longKeyed whether the edge's keys are primitive {@code long}s, carried by value.
     * @param copies    whether its producer refills its records, which are then
     *                  {@link io.tidemark.engine.functions.ReusableRecord}s, so that the
     *                  writer must copy each into the ring.
     */
    public Channel(final String name, final int capacity, final boolean longKeyed, final boolean copies)
    {
        if (capacity < 2 || Integer.bitCount(capacity) != 1)
        {
            throw new IllegalArgumentException("the channel capacity must be a power of two >= 2: " + capacity);
        }
        this.name = name;
        this.keys = new Object[capacity];
        this.longKeys = longKeyed ? new long[capacity] : null;
        this.values = new Object[capacity];
        this.timestamps = new long[capacity];
        this.mask = capacity - 1;
        this.copies = copies;
    }

    /**
     * @return the number of slots.
     */
    public int capacity()
    {
        return mask + 1;
    }

    @Override
    public String toString()
    {
        return "Channel(" + name + ")";
    }
}
