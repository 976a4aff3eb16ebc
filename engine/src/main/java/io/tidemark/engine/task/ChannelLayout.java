package io.tidemark.engine.task;

/**
 * How a {@link Channel} stores what flows between two task threads. A channel is a ring of
 * {@code capacity} slots (a power of two) spread over three parallel arrays, so that a
 * record crosses threads without any wrapper object:
 *
 * <pre>
 *   slot = sequence &amp; (capacity - 1)
 *
 *            keys[slot]       values[slot]              timestamps[slot]
 *          +----------------+-------------------------+------------------+
 *  record  | key or null    | the record              | event timestamp  |
 *          +----------------+-------------------------+------------------+
 *  control | null           | WATERMARK               | the watermark    |
 *          | null           | IDLE / ACTIVE           | unused           |
 *          | null           | END_OF_INPUT            | unused           |
 *          | the barrier    | BARRIER                 | checkpoint id    |
 *          +----------------+-------------------------+------------------+
 * </pre>
 *
 * The key is filled in on keyed edges only: the producer computed it to route the record,
 * and the consumer's keyed operator reuses it instead of calling the key selector again. On
 * an edge keyed by a primitive {@code long} ({@link io.tidemark.engine.functions.LongKeySelector})
 * the key goes by value into a fourth array, {@code longKeys[slot]}, and {@code keys[slot]}
 * stays null. On a channel from a source that reuses its records, the
 * {@link io.tidemark.engine.functions.ReusableRecord} in {@code values[slot]} is the channel's
 * own copy, which a consumer that recycles records leaves in the slot for the producer to copy
 * the next record into.
 * Control elements are marked by sentinel objects in the value slot, compared by identity,
 * and travel in order with the records, which is what lets checkpoint barriers split the
 * stream exactly where they were injected. A barrier is the one control element that carries
 * an object (the {@link io.tidemark.engine.checkpoint.CheckpointBarrier}, in the key slot);
 * one is made per checkpoint, not per record.
 *
 * <p>The producer writes slots beyond the published tail, then publishes a whole batch with
 * one release store of the tail; the consumer reads up to the tail it acquired, then frees
 * the slots with one release store of the head. A full ring stops the producer:
 * backpressure.
 */
public final class ChannelLayout
{
    /** A control element's marker. */
    static final class Marker
    {
        private final String name;

        private Marker(final String name)
        {
            this.name = name;
        }

        @Override
        public String toString()
        {
            return name;
        }
    }

    static final Marker WATERMARK = new Marker("WATERMARK");
    static final Marker IDLE = new Marker("IDLE");
    static final Marker ACTIVE = new Marker("ACTIVE");
    static final Marker END_OF_INPUT = new Marker("END_OF_INPUT");
    static final Marker BARRIER = new Marker("BARRIER");

    private ChannelLayout()
    {
    }

    /**
     * @param value what a value slot holds.
     * @return whether it is a control element's marker; by identity, without reading the
     * object, which for a record would pull its cache line from the producer's core.
     */
    static boolean isMarker(final Object value)
    {
        return value == WATERMARK || value == BARRIER || value == END_OF_INPUT || value == IDLE || value == ACTIVE;
    }
}
