package io.tidemark.engine.operator;

import io.tidemark.engine.sink.Sink;
import io.tidemark.engine.sink.SinkWriter;

/**
 * Hands records to a {@link Sink}'s writer for this subtask. The end of a pipeline: it emits
 * nothing and forwards no watermark.
 *
 * @param <T> the record type.
 */
public final class SinkOperator<T> extends AbstractOperator<T, Void>
{
    private final Sink<T> sink;
    private SinkWriter<T> writer;

    /**
     * @param sink the sink.
     */
    public SinkOperator(final Sink<T> sink)
    {
        this.sink = sink;
    }

    @Override
    public void open(final OperatorContext context, final Output<Void> output) throws Exception
    {
        super.open(context, output);
        writer = sink.createWriter(context.subtaskIndex(), context.parallelism());
    }

    @Override
    public void processElement(final T value, final long timestamp) throws Exception
    {
        writer.write(value, timestamp);
    }

    @Override
    public void processWatermark(final long watermark)
    {
    }

    @Override
    public void processIdle(final boolean idle)
    {
    }

    @Override
    public void endInput() throws Exception
    {
        writer.flush();
    }

    @Override
    public void close() throws Exception
    {
        if (writer != null)
        {
            writer.close();
        }
    }
}
