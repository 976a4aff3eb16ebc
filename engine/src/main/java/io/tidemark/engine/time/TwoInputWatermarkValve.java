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
 * <p><em>One step, one change.</em> Each call (a watermark or a status change from one
 * channel) moves the output at most once, straight to what the state after that call implies;
 * no state in between is emitted. An input that comes back from idleness by sending a
 * watermark rejoins the minimum at that watermark, as a channel does in a single valve, not
 * for a moment at the watermark it had before it went idle. (That older watermark would be
 * safe, being that input's own earlier promise, but it is a state that never existed: with an
 * idle input at 0 and a finished one, the idle input returning at 1 would emit 0 and then 1;
 * finishing instead, it would emit 0 and then {@code END}.) With one channel
 * per input, the output is exactly that of one valve over the two channels.
 *
 * <p>Channels are numbered across both inputs: the first input's {@code 0 ..
 * firstChannels - 1}, then the second input's. Not thread-safe: one task thread owns it.
 */
public final class TwoInputWatermarkValve
{
    /** For the inputs' valves, whose state {@code forward} reads after each call instead. */
    private static final WatermarkValve.Output IGNORED = new WatermarkValve.Output()
    {
        @Override
        public void emitWatermark(final long watermark)
        {
            // read by forward after the call
        }

        @Override
        public void emitIdle(final boolean idle)
        {
            // read by forward after the call
        }
    };

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
        // The inputs' valves report nothing themselves: forward passes their state on after
        // each call, whole, so that their order of reporting cannot leak into the output.
        this.first = new WatermarkValve(firstChannels, IGNORED);
        this.second = new WatermarkValve(secondChannels, IGNORED);
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
            forward(0, first);
        }
        else
        {
            second.inputWatermark(channel - firstChannels, watermark);
            forward(1, second);
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
            forward(0, first);
        }
        else
        {
            second.inputIdle(channel - firstChannels, idle);
            forward(1, second);
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

    /**
     * Passes one input's state, after a call, to the combining valve as a single change. An
     * input's valve that becomes active with a new watermark reports the activity first;
     * passed on in that order, the combining valve would see the input active at its old
     * watermark and could emit it before the new one. A watermark makes the combining valve's
     * channel active by itself, so sending an active input's current watermark does both at
     * once. Both calls do nothing when nothing changed. An input's valve that goes idle may
     * have taken a larger watermark as it did (every channel idle: the largest they sent), so
     * an idle input goes to the combining valve with its watermark, in one change.
     */
    private void forward(final int index, final WatermarkValve input)
    {
        if (input.isIdle())
        {
            combined.inputIdleAt(index, input.currentWatermark());
        }
        else
        {
            combined.inputWatermark(index, input.currentWatermark());
        }
    }
}
