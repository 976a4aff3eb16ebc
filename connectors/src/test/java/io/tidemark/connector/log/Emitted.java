package io.tidemark.connector.log;

import io.tidemark.engine.source.SourceOutput;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects what a split reader emits, with the timestamps it gives.
 *
 * @param <T> the record type.
 */
final class Emitted<T> implements SourceOutput<T>
{
    final List<T> values = new ArrayList<>();
    final List<Long> timestamps = new ArrayList<>();

    @Override
    public void collect(final T value)
    {
        throw new AssertionError("a log record always has a timestamp");
    }

    @Override
    public void collect(final T value, final long timestamp)
    {
        values.add(value);
        timestamps.add(timestamp);
    }
}
