package io.tidemark.engine.time;

import java.util.Arrays;

/**
 * Combines the watermarks of the splits (log partitions, generator slices) one source
 * subtask reads into the subtask's watermark: the minimum over the splits that are not idle,
 * by way of a {@link WatermarkValve} with one channel per split. Each split's generator
 * writes into its own {@link #outputFor(int) output}; a finished split counts as being at
 * {@link Watermark#END} and so no longer holds anything back.
 *
 * <p>A subtask that owns no split is idle from the start: it reports idleness at once and
 * never invents a watermark, so it cannot push event time forward for anybody.
 */
public final class WatermarkCombiner
{
    private final WatermarkValve valve;
    private WatermarkOutput[] splitOutputs;

    /**
     * @param splits the number of splits this subtask reads.
     * @param output where the combined watermark and idleness go.
     */
    public WatermarkCombiner(final int splits, final WatermarkValve.Output output)
    {
        this.valve = new WatermarkValve(splits, output);
        this.splitOutputs = new WatermarkOutput[splits];
        for (int split = 0; split < splits; split++)
        {
            splitOutputs[split] = new SplitOutput(split);
        }
        if (splits == 0)
        {
            output.emitIdle(true);
        }
    }

    /**
     * @param split a split index.
     * @return the output that split's generator writes to.
     */
    public WatermarkOutput outputFor(final int split)
    {
        return splitOutputs[split];
    }

    /**
     * Adds a split found while the job runs; an idle subtask (one that had none) becomes
     * active.
     *
     * @return the new split's index, for {@link #outputFor(int)}.
     */
    public int addSplit()
    {
        final int split = valve.addChannel();
        splitOutputs = Arrays.copyOf(splitOutputs, split + 1);
        splitOutputs[split] = new SplitOutput(split);
        return split;
    }

    /**
     * Marks a split as finished: it will send nothing more.
     *
     * @param split a split index.
     */
    public void splitFinished(final int split)
    {
        valve.inputWatermark(split, Watermark.END);
    }

    /**
     * @return the combined watermark.
     */
    public long currentWatermark()
    {
        return valve.currentWatermark();
    }

    private final class SplitOutput implements WatermarkOutput
    {
        private final int split;

        SplitOutput(final int split)
        {
            this.split = split;
        }

        @Override
        public void emitWatermark(final long watermark)
        {
            valve.inputWatermark(split, watermark);
        }

        @Override
        public void markIdle()
        {
            valve.inputIdle(split, true);
        }

        @Override
        public void markActive()
        {
            valve.inputIdle(split, false);
        }
    }
}
