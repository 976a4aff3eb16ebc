package io.tidemark.engine.time;

/**
 * Event time through an operator with two inputs, each read over its own channels: two
 * levels of {@link WatermarkValve}. Each input's channels are combined by that input's valve
 * (idleness per channel as for one input), and the two inputs' watermarks by a third valve
 * of two channels, so that the output is the least watermark of the inputs that are not idle.
 * An input idle as a whole does not hold the other back; an input that has finished no longer
 * constrains the other but never drives the output alone; the output reaches
 * {@link Watermark#END} when both inputs have; and it only advances, as every valve's output
 * does.
 *
 * <p>Channels are numbered across both inputs: the first input's {@code 0 ..
 * firstChannels - 1}, then the second input's. Not thread-safe: one task thread owns it.
 */
public final class TwoInputWatermarkValve
{
    private final int firstChannels;
    private final WatermarkValve combined;
    private final WatermarkValve first;
    private final WatermarkValve second;

    /**
     * @param firstChannels  the first input's channel count, at least one.
     * @param secondChannels the second input's channel count, at least one.
     * @param output         where the combined watermark and idleness go, only on change.
     */
    public TwoInputWatermarkValve(final int firstChannels, final int secondChannels, final WatermarkValve.Output output)
    {
        if (firstChannels < 1 || secondChannels < 1)
        {
            throw new IllegalArgumentException("each input needs a channel: " + firstChannels + " and " + secondChannels);
        }
        this.firstChannels = firstChannels;
        this.combined = new WatermarkValve(2, output);
        this.first = new WatermarkValve(firstChannels, new InputOutput(0));
        this.second = new WatermarkValve(secondChannels, new InputOutput(1));
    }

    /**
     * Takes a watermark from one channel; a channel that was idle becomes active.
     *
     * @param channel   the channel index, across both inputs.
     * @param watermark its watermark.
     */
    public void inputWatermark(final int channel, final long watermark)
    {
        if (channel < firstChannels)
        {
            first.inputWatermark(channel, watermark);
        }
        else
        {
            second.inputWatermark(channel - firstChannels, watermark);
        }
    }

    /**
     * Takes a status change from one channel.
     *
     * @param channel the channel index, across both inputs.
     * @param idle    whether the channel is now idle.
     */
    public void inputIdle(final int channel, final boolean idle)
    {
        if (channel < firstChannels)
        {
            first.inputIdle(channel, idle);
        }
        else
        {
            second.inputIdle(channel - firstChannels, idle);
        }
    }

    /**
     * @return the output watermark: {@link Watermark#NONE} until every active input has one.
     */
    public long currentWatermark()
    {
        return combined.currentWatermark();
    }

    /**
     * @return whether both inputs are idle (or finished, one of them at least idle).
     */
    public boolean isIdle()
    {
        return combined.isIdle();
    }

    /**
     * @param input 1 or 2.
     * @return that input's watermark, combined over its channels.
     */
    public long inputWatermark(final int input)
    {
        return valveOf(input).currentWatermark();
    }

    /**
     * @param input 1 or 2.
     * @return whether every unfinished channel of that input is idle.
     */
    public boolean isInputIdle(final int input)
    {
        return valveOf(input).isIdle();
    }

    private WatermarkValve valveOf(final int input)
    {
        if (input != 1 && input != 2)
        {
            throw new IllegalArgumentException("input 1 or 2, not " + input);
        }
        return input == 1 ? first : second;
    }

    /** Feeds one input's valve into the combining valve, as its channel {@code index}. */
    private final class InputOutput implements WatermarkValve.Output
    {
        private final int index;

        InputOutput(final int index)
        {
            this.index = index;
        }

        @Override
        public void emitWatermark(final long watermark)
        {
            combined.inputWatermark(index, watermark);
        }

        @Override
        public void emitIdle(final boolean idle)
        {
            combined.inputIdle(index, idle);
        }
    }
}
