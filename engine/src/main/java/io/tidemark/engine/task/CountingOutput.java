package io.tidemark.engine.task;

import io.tidemark.engine.functions.OutputTag;
import io.tidemark.engine.operator.OperatorMetrics;
import io.tidemark.engine.operator.Output;

/**
 * A node's output that counts the records it sends on, main and side, in the node's
 * {@link OperatorMetrics}; watermarks and idleness pass as they are.
 *
 * @param <T> the record type.
 */
final class CountingOutput<T> implements Output<T>
{
    private final Output<T> target;
    private final OperatorMetrics metrics;

    /**
     * @param target  where the records go.
     * @param metrics the sending node's metrics.
     */
    CountingOutput(final Output<T> target, final OperatorMetrics metrics)
    {
        this.target = target;
        this.metrics = metrics;
    }

    @Override
    public void collect(final T value, final long timestamp)
    {
        metrics.recordOut();
        target.collect(value, timestamp);
    }

    @Override
    public <X> void collect(final OutputTag<X> tag, final X value, final long timestamp)
    {
        metrics.recordOut();
        target.collect(tag, value, timestamp);
    }

    @Override
    public void emitWatermark(final long watermark)
    {
        target.emitWatermark(watermark);
    }

    @Override
    public void emitIdle(final boolean idle)
    {
        target.emitIdle(idle);
    }
}
