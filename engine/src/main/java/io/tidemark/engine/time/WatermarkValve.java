package io.tidemark.engine.time;

import java.util.Arrays;

/**
 * The one rule that moves event time through an operator with several inputs: <em>its
 * watermark is the minimum over its active input channels, and only advances</em>.
 *
 * <ul>
 *   <li>Each channel keeps the largest watermark it has sent; a smaller one is ignored.</li>
 *   <li>An idle channel does not hold the output back. When every channel is idle the
 *       output becomes idle too, after taking the largest watermark an unfinished channel
 *       has sent: no channel will move its watermark while idle, and the output would have
 *       reached that watermark had the channels gone idle in another order (the one still
 *       active last is the one that holds the minimum). So the result does not depend on which
 *       of two quiet partitions goes idle first; Flink's valve flushes the same way.</li>
 *   <li>A channel that becomes active again, explicitly or by sending a watermark, rejoins
 *       the minimum at once. If it is behind the output, the output waits (it never goes
 *       back) until that channel catches up; the records it sends meanwhile are late and
 *       are dealt with by the operators' late-data policy.</li>
 *   <li>A finished channel (at {@link Watermark#END}) no longer constrains the output, but
 *       never drives it alone either: if every unfinished channel is idle, the output is
 *       idle, not {@code END}. Otherwise one finished partition plus one idle partition
 *       would fire every window of the job at once. The output reaches {@code END} only
 *       when every channel has finished.</li>
 * </ul>
 *
 * <p>Results go to an {@link Output}, only on change. Used by every task for its input
 * channels and by every source subtask for its splits. Not thread-safe: one task thread
 * owns it.
 */
public final class WatermarkValve
{
    /** Receives the valve's output whenever it changes. */
    public interface Output
    {
        /**
         * @param watermark the new output watermark, larger than any before.
         */
        void emitWatermark(long watermark);

        /**
         * @param idle {@code true} when every channel has become idle, {@code false} when
         *             one becomes active again.
         */
        void emitIdle(boolean idle);
    }

    private long[] channelWatermarks;
    private boolean[] channelIdle;
    private final Output output;
    private long outputWatermark = Watermark.NONE;
    private boolean outputIdle;

    /**
     * @param channels the number of input channels; with none, the valve is idle from the
     *                 start.
     * @param output   where changes go.
     */
    public WatermarkValve(final int channels, final Output output)
    {
        this.channelWatermarks = new long[channels];
        this.channelIdle = new boolean[channels];
        this.output = output;
        Arrays.fill(channelWatermarks, Watermark.NONE);
        this.outputIdle = channels == 0;
    }

    /**
     * Adds a channel (a split a source subtask found while the job runs). It starts active and
     * without a watermark, so an idle output becomes active again, and the output waits for the
     * new channel to catch up (it never goes back).
     *
     * @return the new channel's index.
     */
    public int addChannel()
    {
        final int channel = channelWatermarks.length;
        channelWatermarks = Arrays.copyOf(channelWatermarks, channel + 1);
        channelIdle = Arrays.copyOf(channelIdle, channel + 1);
        channelWatermarks[channel] = Watermark.NONE;
        advance();
        return channel;
    }

    /**
     * Takes a watermark from one channel; a channel that was idle becomes active.
     *
     * @param channel   the channel index.
     * @param watermark its watermark.
     */
    public void inputWatermark(final int channel, final long watermark)
    {
        final boolean wasIdle = channelIdle[channel];
        channelIdle[channel] = false;
        if (watermark > channelWatermarks[channel])
        {
            channelWatermarks[channel] = watermark;
            advance();
        }
        else if (wasIdle)
        {
            advance();
        }
    }

    /**
     * Takes a status change from one channel.
     *
     * @param channel the channel index.
     * @param idle    whether the channel is now idle.
     */
    public void inputIdle(final int channel, final boolean idle)
    {
        if (idle == channelIdle[channel] || channelWatermarks[channel] == Watermark.END)
        {
            return;
        }
        channelIdle[channel] = idle;
        advance();
    }

    /**
     * Takes a channel that is idle at a watermark: what a valve in front of this one says when
     * every channel of its own went idle and it took the largest of their watermarks. The
     * channel stays idle throughout, so the output changes at most once.
     *
     * @param channel   the channel index.
     * @param watermark the channel's watermark as it goes idle.
     */
    void inputIdleAt(final int channel, final long watermark)
    {
        if (channelWatermarks[channel] == Watermark.END)
        {
            return;
        }
        channelWatermarks[channel] = Math.max(channelWatermarks[channel], watermark);
        channelIdle[channel] = true;
        advance();
    }

    /**
     * @return the output watermark: {@link Watermark#NONE} until every active channel has
     * sent one.
     */
    public long currentWatermark()
    {
        return outputWatermark;
    }

    /**
     * @return whether every unfinished channel is idle.
     */
    public boolean isIdle()
    {
        return outputIdle;
    }

    /**
     * @param channel a channel index.
     * @return the largest watermark that channel has sent.
     */
    public long channelWatermark(final int channel)
    {
        return channelWatermarks[channel];
    }

    /**
     * @param channel a channel index.
     * @return whether that channel is idle.
     */
    public boolean isChannelIdle(final int channel)
    {
        return channelIdle[channel];
    }

    private void advance()
    {
        long min = Long.MAX_VALUE;
        long maxUnfinished = Watermark.NONE;
        boolean anyActive = false;
        boolean anyUnfinished = false;
        for (int channel = 0; channel < channelWatermarks.length; channel++)
        {
            final long watermark = channelWatermarks[channel];
            if (watermark != Watermark.END)
            {
                anyUnfinished = true;
                maxUnfinished = Math.max(maxUnfinished, watermark);
                if (!channelIdle[channel])
                {
                    anyActive = true;
                    min = Math.min(min, watermark);
                }
            }
        }
        if (!anyUnfinished)
        {
            min = Watermark.END;
            anyActive = true;
        }
        if (!anyActive && maxUnfinished > outputWatermark)
        {
            // Every unfinished channel is idle: the output takes the largest of their watermarks, before it goes idle.
            outputWatermark = maxUnfinished;
            output.emitWatermark(maxUnfinished);
        }
        if (anyActive == outputIdle)
        {
            outputIdle = !anyActive;
            output.emitIdle(outputIdle);
        }
        if (anyActive && min > outputWatermark)
        {
            outputWatermark = min;
            output.emitWatermark(min);
        }
    }
}
