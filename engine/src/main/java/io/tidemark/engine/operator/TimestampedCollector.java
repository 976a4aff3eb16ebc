package io.tidemark.engine.operator;

import io.tidemark.engine.functions.Collector;

/**
 * The {@link Collector} handed to user functions: stamps each record with the timestamp the
 * operator sets before the call. One per operator, reused for every record.
 *
 * @param <T> the record type.
 */
public final class TimestampedCollector<T> implements Collector<T>
{
    private final Output<T> output;
    private long timestamp;

    /**
     * @param output where collected records go.
     */
    public TimestampedCollector(final Output<T> output)
    {
        this.output = output;
    }

    /**
     * @param timestamp the timestamp for the records collected next.
     * @return this collector.
     */
    public TimestampedCollector<T> at(final long timestamp)
    {
        this.timestamp = timestamp;
        return this;
    }

    @Override
    public void collect(final T value)
    {
        output.collect(value, timestamp);
    }
}
