package io.tidemark.engine.window;

import io.tidemark.engine.functions.AggregateFunction;
import io.tidemark.engine.functions.OutputTag;
import io.tidemark.engine.operator.AbstractOperator;
import io.tidemark.engine.operator.KeyedOperator;
import io.tidemark.engine.operator.OperatorContext;
import io.tidemark.engine.operator.OperatorMetrics;
import io.tidemark.engine.operator.Output;
import io.tidemark.engine.operator.TimerService;
import io.tidemark.engine.operator.TimestampedCollector;
import io.tidemark.engine.state.AggregatingStateDescriptor;
import io.tidemark.engine.state.InternalAggregatingState;
import io.tidemark.engine.state.KeyedStateBackend;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Tumbling and hopping event-time windows aggregated per slice: the time line is cut into
 * slices of length {@code slide}, each record updates the one accumulator of its slice, and
 * when the watermark passes a window's end the window's {@code size / slide} slices are
 * merged into its result. A hopping window of 300 s sliding by 30 s thus costs one state
 * update per record instead of ten, and timers are registered once per key and slice, not
 * once per record. Tumbling windows are the case {@code slide == size}: one slice per
 * window.
 *
 * <p>Gives the same results as the {@link WindowOperator} with the default event-time
 * trigger and no allowed lateness, which is when the window operator builder chooses it. A
 * record is late when even the last window that holds it has been emitted; it then goes to
 * the side output or is dropped and counted, as the {@link LateDataPolicy} says.
 *
 * <p>Timers: for a window ending at {@code e}, an event-time timer at {@code e - 1} fires it
 * (namespace: the window); for a slice {@code [s, s + slide)} of a hopping window, a timer at
 * {@code s + size} (namespace: the slice) discards it, one millisecond after the last window
 * that needs it fired, so the two never race at equal times.
 *
 * @param <K>   the key type.
 * @param <IN>  the input type.
 * @param <ACC> the accumulator type.
 * @param <R>   the aggregate's result type.
 * @param <OUT> the output type.
 */
public final class SlicingWindowOperator<K, IN, ACC, R, OUT> extends AbstractOperator<IN, OUT>
    implements KeyedOperator, TimerService.Target<TimeWindow>, ProcessWindowFunction.Context<TimeWindow>
{
    private final long size;
    private final long slide;
    private final AggregateFunction<IN, ACC, R> aggregate;
    private final LateDataPolicy latePolicy;
    private final WindowFunctions.InternalWindowFunction<R, OUT, K, TimeWindow> windowFunction;

    private KeyedStateBackend backend;
    private InternalAggregatingState<TimeWindow, IN, ACC, R> slices;
    private TimerService<TimeWindow> timers;
    private TimestampedCollector<OUT> collector;
    private OperatorMetrics metrics;
    private TimeWindow lastSlice;
    private TimeWindow firing;

    SlicingWindowOperator(final long size, final long slide, final AggregateFunction<IN, ACC, R> aggregate, final LateDataPolicy latePolicy,
        final WindowFunctions.InternalWindowFunction<R, OUT, K, TimeWindow> windowFunction)
    {
        if (size % slide != 0 || latePolicy.kind() == LateDataPolicy.Kind.LATE_UPDATE)
        {
            throw new IllegalArgumentException("slicing needs size % slide == 0 and no late updates");
        }
        this.size = size;
        this.slide = slide;
        this.aggregate = aggregate;
        this.latePolicy = latePolicy;
        this.windowFunction = windowFunction;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void open(final OperatorContext context, final Output<OUT> output) throws Exception
    {
        super.open(context, output);
        metrics = context.metrics();
        collector = new TimestampedCollector<>(output);
        backend = context.createKeyedStateBackend();
        slices = (InternalAggregatingState<TimeWindow, IN, ACC, R>)backend.getPartitionedState(
            new AggregatingStateDescriptor<>(WindowOperator.CONTENTS, aggregate), TimeWindow.SERIALIZER, null);
        timers = new TimerService<>(backend, this, TimeWindow.SERIALIZER);
    }

    @Override
    public void setCurrentKey(final Object key)
    {
        backend.setCurrentKey(key);
    }

    @Override
    public void processElement(final IN value, final long timestamp) throws Exception
    {
        final long sliceStart = TimeWindow.startOf(WindowAssigner.requireTimestamp(timestamp), 0, slide);
        if (sliceStart + size - 1 <= timers.currentWatermark())
        {
            // Even the last window holding this record has been emitted.
            latePolicy.handle(value, timestamp, output, metrics);
            return;
        }
        final TimeWindow slice = slice(sliceStart);
        slices.setCurrentNamespace(slice);
        if (slices.addAndReportCreated(value))
        {
            registerTimers(slice);
        }
    }

    @Override
    public void processWatermark(final long watermark) throws Exception
    {
        timers.advanceWatermark(watermark);
        output.emitWatermark(watermark);
    }

    @Override
    public void onEventTime(final long timestamp, final TimeWindow namespace) throws Exception
    {
        final boolean isWindow = namespace.end() - namespace.start() == size;
        if (isWindow)
        {
            fire(namespace);
        }
        if (!isWindow || size == slide)
        {
            slices.setCurrentNamespace(namespace);
            slices.clear();
        }
    }

    @Override
    public void onProcessingTime(final long timestamp, final TimeWindow namespace)
    {
        throw new IllegalStateException("slicing windows register no processing-time timers");
    }

    @Override
    public void snapshotState(final DataOutput out) throws IOException
    {
        backend.snapshot(out);
        timers.snapshot(out);
    }

    @Override
    public void restoreState(final DataInput in) throws IOException
    {
        backend.restore(in);
        timers.restore(in);
    }

    @Override
    public TimeWindow window()
    {
        return firing;
    }

    @Override
    public long currentWatermark()
    {
        return timers.currentWatermark();
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

    /**
     * @return the keyed state backend; for tests that check that nothing is left behind.
     */
    public KeyedStateBackend keyedStateBackend()
    {
        return backend;
    }

    /**
     * @return the timers; for tests.
     */
    public TimerService<TimeWindow> timerService()
    {
        return timers;
    }

    private TimeWindow slice(final long start)
    {
        TimeWindow slice = lastSlice;
        if (slice == null || slice.start() != start)
        {
            slice = new TimeWindow(start, start + slide);
            lastSlice = slice;
        }
        return slice;
    }

    private void registerTimers(final TimeWindow slice)
    {
        if (size == slide)
        {
            timers.registerEventTimeTimer(slice, slice.maxTimestamp());
            return;
        }
        final long watermark = timers.currentWatermark();
        for (long end = slice.end(); end <= slice.start() + size; end += slide)
        {
            // Windows already emitted are late for this record; they are not emitted again.
            if (end - 1 > watermark)
            {
                timers.registerEventTimeTimer(new TimeWindow(end - size, end), end - 1);
            }
        }
        timers.registerEventTimeTimer(slice, slice.start() + size);
    }

    @SuppressWarnings("unchecked")
    private void fire(final TimeWindow window) throws Exception
    {
        ACC accumulator = null;
        for (long start = window.start(); start < window.end(); start += slide)
        {
            slices.setCurrentNamespace(size == slide ? window : slice(start));
            final ACC part = slices.getAccumulator();
            if (part != null)
            {
                // Slices are shared by several windows: merge into a fresh accumulator, never into a slice's.
                accumulator = aggregate.merge(accumulator == null ? aggregate.createAccumulator() : accumulator, part);
            }
        }
        if (accumulator == null)
        {
            return;
        }
        metrics.windowFired(false);
        firing = window;
        windowFunction.process((K)backend.currentKey(), window, aggregate.getResult(accumulator), this, collector.at(window.maxTimestamp()));
    }
}
