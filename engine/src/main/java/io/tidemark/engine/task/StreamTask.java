package io.tidemark.engine.task;

import io.tidemark.engine.operator.ChainedInput;
import io.tidemark.engine.time.Watermark;
import io.tidemark.engine.time.WatermarkValve;

/**
 * A task fed by channels: reads its input channels round robin, a batch from each, hands
 * records to the head operator (with the key computed upstream, on a keyed edge), and turns
 * the watermarks and idleness of all channels into the head's watermark through a
 * {@link WatermarkValve}. Ends when every channel has ended.
 */
final class StreamTask extends Task implements ChannelReader.Handler, WatermarkValve.Output
{
    private final ChannelReader[] inputs;
    private final WatermarkValve valve;
    private final ChainedInput<Object> head;
    private final boolean keyed;
    private final boolean[] ended;
    private int endedCount;
    private int current;

    StreamTask(final String name, final OperatorChain chain, final ChannelReader[] inputs, final JobControl control, final ExecutionConfig config)
    {
        super(name, chain, control, config);
        this.inputs = inputs;
        this.valve = new WatermarkValve(inputs.length, this);
        this.head = chain.head();
        this.keyed = head.isKeyed();
        this.ended = new boolean[inputs.length];
    }

    @Override
    void process()
    {
        while (endedCount < inputs.length)
        {
            int work = 0;
            for (int i = 0; i < inputs.length; i++)
            {
                if (!ended[i])
                {
                    current = i;
                    work += inputs[i].drain(this, BATCH);
                }
            }
            afterBatch(work);
        }
    }

    @Override
    public void onRecord(final Object key, final Object value, final long timestamp)
    {
        if (keyed)
        {
            head.collectKeyed(key, value, timestamp);
        }
        else
        {
            head.collect(value, timestamp);
        }
    }

    @Override
    public void onWatermark(final long watermark)
    {
        valve.inputWatermark(current, watermark);
    }

    @Override
    public void onIdle(final boolean idle)
    {
        valve.inputIdle(current, idle);
    }

    @Override
    public void onEndOfInput()
    {
        ended[current] = true;
        endedCount++;
        // A producer always sends END before it ends; this makes sure of it.
        valve.inputWatermark(current, Watermark.END);
    }

    @Override
    public void emitWatermark(final long watermark)
    {
        head.emitWatermark(watermark);
    }

    @Override
    public void emitIdle(final boolean idle)
    {
        head.emitIdle(idle);
    }
}
