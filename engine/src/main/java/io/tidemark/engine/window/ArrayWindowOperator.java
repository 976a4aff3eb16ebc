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
 * timers; a window that takes a record after its on-time firing (within the allowed lateness,
 * or as a late update) fires again at once for that record's key, as {@link LateRecords}
 * decides for every window operator.
 */
abstract class ArrayWindowOperator<K, IN, ACC, R, OUT> extends AbstractOperator<IN, OUT>
    implements KeyedOperator, ProcessWindowFunction.Context<TimeWindow>
{
    final AggregateFunction<IN, ACC, R> aggregate;
    /** The aggregate when its accumulator is one {@code long}, kept inline; null otherwise. */
    final LongAggregateFunction<IN, R> inline;
    final LateRecords late;
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
    /** Whether the window has fired before: the result revises an earlier one. */
    boolean update;

    @SuppressWarnings("unchecked")
    ArrayWindowOperator(final AggregateFunction<IN, ACC, R> aggregate, final LateRecords late,
        final WindowFunctions.InternalWindowFunction<R, OUT, K, TimeWindow> windowFunction)
    {
        this.aggregate = aggregate;
        this.inline = aggregate instanceof LongAggregateFunction<?, ?> longAggregate ? (LongAggregateFunction<IN, R>)longAggregate : null;
        this.late = late;
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
    public void setCurrentLongKey(final long key)
    {
        objectKey = null;
        longKey = key;
    }

    /**
     * An inline aggregate folds a record into a {@code long} and lets go of it; any other may
     * keep it in its accumulator. Under {@link LateDataPolicy.Kind#SIDE_OUTPUT} a late or
     * refused record goes on to the side output, whose consumers may keep it.
     */
    @Override
    public boolean retainsInput()
    {
        return inline == null || late.emitsRecords();
    }

    /**
     * Copies an object accumulator for a snapshot handed to another thread: the aggregate may
     * go on mutating the original in place. The copy is the merge into a fresh accumulator,
     * the same copy a hopping window makes of a slice's accumulator when it fires.
     *
     * @param accumulator an accumulator of {@link #aggregate}, or null.
     * @return an equal accumulator that shares nothing the operator changes, or null.
     */
    @SuppressWarnings("unchecked")
    final Object copyOfAccumulator(final Object accumulator)
    {
        return accumulator == null ? null : aggregate.merge(aggregate.createAccumulator(), (ACC)accumulator);
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
        return update;
    }

    @Override
    public <X> void output(final OutputTag<X> tag, final X value)
    {
        output.collect(tag, value, firing.maxTimestamp());
    }
}
