package io.tidemark.engine.window;

import io.tidemark.engine.functions.AggregateFunction;
import io.tidemark.engine.functions.LongAggregateFunction;
import io.tidemark.engine.functions.OutputTag;
import io.tidemark.engine.operator.AbstractOperator;
import io.tidemark.engine.operator.KeyedOperator;
import io.tidemark.engine.operator.OperatorContext;
import io.tidemark.engine.operator.OperatorMetrics;
import io.tidemark.engine.operator.Output;
import io.tidemark.engine.operator.TimestampedCollector;
import io.tidemark.engine.time.Watermark;

/**
 * What the window operators that keep their state in arrays rather than keyed state share
 * ({@link SessionWindowOperator}, {@link SlicingWindowOperator}): the aggregate, kept inline
 * as a {@code long} when it is a {@link LongAggregateFunction}; the current key, split into an
 * object or a primitive {@code long} so that {@code Long} keys need no lookup by object; and the
 * context the window function sees while a window fires. They fire on the watermark without
 * timers and without allowed lateness, so a window fires exactly once (a session that a
 * record at its end extends is retracted, and the extended one fires as a new window).
 */
abstract class ArrayWindowOperator<K, IN, ACC, R, OUT> extends AbstractOperator<IN, OUT>
    implements KeyedOperator, ProcessWindowFunction.Context<TimeWindow>
{
    final AggregateFunction<IN, ACC, R> aggregate;
    /** The aggregate when its accumulator is one {@code long}, kept inline; null otherwise. */
    final LongAggregateFunction<IN, R> inline;
    final LateDataPolicy latePolicy;
    final WindowFunctions.InternalWindowFunction<R, OUT, K, TimeWindow> windowFunction;
    TimestampedCollector<OUT> collector;
    OperatorMetrics metrics;
    // The current key: objectKey, or longKey when objectKey is null.
    Object objectKey;
    long longKey;
    long watermark = Watermark.NONE;
    private boolean restored;
    /** The window the window function is called for. */
    TimeWindow firing;

    @SuppressWarnings("unchecked")
    ArrayWindowOperator(final AggregateFunction<IN, ACC, R> aggregate, final LateDataPolicy latePolicy,
        final WindowFunctions.InternalWindowFunction<R, OUT, K, TimeWindow> windowFunction)
    {
        if (latePolicy.kind() == LateDataPolicy.Kind.LATE_UPDATE)
        {
            throw new IllegalArgumentException(getClass().getSimpleName() + " fires each window once: no late updates");
        }
        this.aggregate = aggregate;
        this.inline = aggregate instanceof LongAggregateFunction<?, ?> longAggregate ? (LongAggregateFunction<IN, R>)longAggregate : null;
        this.latePolicy = latePolicy;
        this.windowFunction = windowFunction;
    }

    @Override
    public void open(final OperatorContext context, final Output<OUT> output) throws Exception
    {
        super.open(context, output);
        metrics = context.metrics();
        collector = new TimestampedCollector<>(output);
    }

    /**
     * Takes the watermark of one inherited snapshot: the least of them all, since each old
     * subtask had seen its own input's and what is due for one may not be for another.
     *
     * @param snapshotWatermark the watermark a snapshot holds.
     */
    final void restoreWatermark(final long snapshotWatermark)
    {
        watermark = restored ? Math.min(watermark, snapshotWatermark) : snapshotWatermark;
        restored = true;
    }

    @Override
    public void setCurrentKey(final Object key)
    {
        if (key instanceof Long number)
        {
            objectKey = null;
            longKey = number;
        }
        else
        {
            objectKey = key;
        }
    }

    @Override
    public TimeWindow window()
    {
        return firing;
    }

    @Override
    public long currentWatermark()
    {
        return watermark;
    }

    @Override
    public long currentProcessingTime()
    {
        return context.clock().millis();
    }

    @Override
    public boolean isUpdate()
    {
        // Without allowed lateness a window fires exactly once.
        return false;
    }

    @Override
    public <X> void output(final OutputTag<X> tag, final X value)
    {
        output.collect(tag, value, firing.maxTimestamp());
    }
}
