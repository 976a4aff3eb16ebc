package io.tidemark.engine.operator;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * The defaults most operators share: keep the context and output, forward watermarks and
 * idleness unchanged, hold no state and no timers.
 *
 * @param <OUT> the output type.
 */
public abstract class AbstractStreamOperator<OUT> implements StreamOperator<OUT>
{
    /** The subtask's context, set by {@link #open}. */
    protected OperatorContext context;
    /** Where results go, set by {@link #open}. */
    protected Output<OUT> output;

    @Override
    public void open(final OperatorContext context, final Output<OUT> output) throws Exception
    {
        this.context = context;
        this.output = output;
    }

    @Override
    public void processWatermark(final long watermark) throws Exception
    {
        output.emitWatermark(watermark);
    }

    @Override
    public void processIdle(final boolean idle)
    {
        output.emitIdle(idle);
    }

    @Override
    public void advanceProcessingTime(final long now) throws Exception
    {
    }

    @Override
    public void endInput() throws Exception
    {
    }

    @Override
    public void snapshotState(final DataOutput out) throws IOException
    {
    }

    @Override
    public void restoreState(final DataInput in) throws IOException
    {
    }

    @Override
    public void close() throws Exception
    {
    }
}
