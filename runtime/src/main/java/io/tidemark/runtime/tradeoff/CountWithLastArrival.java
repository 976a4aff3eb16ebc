package io.tidemark.runtime.tradeoff;

import io.tidemark.engine.functions.AggregateFunction;

/**
 * Counts a window's events and remembers the latest arrival among them: replayed in arrival
 * order, a window fired by a late event was fired when that event arrived, which is this
 * maximum. The accumulator is {@code {count, lastArrival}}.
 */
final class CountWithLastArrival implements AggregateFunction<DeviceEvent, long[], long[]>
{
    private static final long serialVersionUID = 1L;

    @Override
    public long[] createAccumulator()
    {
        return new long[] {0, Long.MIN_VALUE};
    }

    @Override
    public long[] add(final DeviceEvent event, final long[] accumulator)
    {
        accumulator[0]++;
        accumulator[1] = Math.max(accumulator[1], event.arrivalTime());
        return accumulator;
    }

    @Override
    public long[] getResult(final long[] accumulator)
    {
        return accumulator;
    }

    @Override
    public long[] merge(final long[] a, final long[] b)
    {
        return new long[] {a[0] + b[0], Math.max(a[1], b[1])};
    }
}
