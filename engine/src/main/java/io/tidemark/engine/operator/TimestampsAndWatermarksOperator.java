package io.tidemark.engine.operator;

import io.tidemark.engine.time.TimestampAssigner;
import io.tidemark.engine.time.Watermark;
import io.tidemark.engine.time.WatermarkGenerator;
import io.tidemark.engine.time.WatermarkOutput;
import io.tidemark.engine.time.WatermarkStrategy;

/**
 * Assigns timestamps and generates watermarks in the middle of a pipeline, one generator per
 * subtask. Watermarks from upstream are ignored (this operator replaces them), except the
 * end-of-input watermark. Prefer a strategy on the source ({@code fromSource}), which
 * generates per split and so copes with splits that progress at different speeds.
 *
 * @param <T> the record type.
 */
public final class TimestampsAndWatermarksOperator<T> extends AbstractOperator<T, T> implements WatermarkOutput
{
    private final WatermarkStrategy<T> strategy;
    private final long autoWatermarkInterval;
    private TimestampAssigner<T> assigner;
    private WatermarkGenerator<T> generator;
    private long nextPeriodicEmit;
    private long lastEmitted = Watermark.NONE;
    private boolean idle;

    /**
     * @param strategy              the strategy.
     * @param autoWatermarkInterval processing time between periodic emits, in milliseconds.
     */
    public TimestampsAndWatermarksOperator(final WatermarkStrategy<T> strategy, final long autoWatermarkInterval)
    {
        this.strategy = strategy;
        this.autoWatermarkInterval = autoWatermarkInterval;
    }

    @Override
    public void open(final OperatorContext context, final Output<T> output) throws Exception
    {
        super.open(context, output);
        assigner = strategy.timestampAssigner();
        generator = strategy.createGenerator(context.clock());
        nextPeriodicEmit = context.clock().millis() + autoWatermarkInterval;
    }

    @Override
    public void processElement(final T value, final long timestamp) throws Exception
    {
        final long assigned = assigner == null ? timestamp : assigner.extractTimestamp(value, timestamp);
        output.collect(value, assigned);
        generator.onEvent(value, assigned, this);
    }

    @Override
    public void processWatermark(final long watermark)
    {
        if (watermark == Watermark.END)
        {
            emitWatermark(Watermark.END);
        }
    }

    @Override
    public void processIdle(final boolean idle)
    {
        // Idleness is this operator's own generator's call, like the watermark.
    }

    @Override
    public void advanceProcessingTime(final long now)
    {
        if (now >= nextPeriodicEmit)
        {
            generator.onPeriodicEmit(this);
            nextPeriodicEmit = now + autoWatermarkInterval;
        }
    }

    @Override
    public void emitWatermark(final long watermark)
    {
        markActive();
        if (watermark > lastEmitted)
        {
            lastEmitted = watermark;
            output.emitWatermark(watermark);
        }
    }

    @Override
    public void markIdle()
    {
        if (!idle)
        {
            idle = true;
            output.emitIdle(true);
        }
    }

    @Override
    public void markActive()
    {
        if (idle)
        {
            idle = false;
            output.emitIdle(false);
        }
    }
}
