package io.tidemark.engine.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The valve against a model written as plainly as possible: after every input, if any
 * unfinished channel is active and the minimum over those is above what was output before,
 * that minimum is output; if every unfinished channel is idle, the largest watermark among them
 * is; {@code END} only once every channel has finished; outputs only
 * increase; the output is idle exactly when every unfinished channel is idle.
 */
class WatermarkValveProperties
{
    /** One input to the valve: a watermark ({@code idle == null}) or a status change. */
    record Step(int channel, long watermark, Boolean idle)
    {
    }

    @Provide
    Arbitrary<List<Step>> steps()
    {
        final Arbitrary<Long> values = Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(20, Arbitraries.longs().between(0, 60)),
            net.jqwik.api.Tuple.of(1, Arbitraries.just(Watermark.END)));
        final Arbitrary<Step> watermark = Combinators.combine(Arbitraries.integers().between(0, 3), values)
            .as((channel, wm) -> new Step(channel, wm, null));
        final Arbitrary<Step> status = Combinators.combine(Arbitraries.integers().between(0, 3), Arbitraries.of(true, false))
            .as((channel, idle) -> new Step(channel, 0, idle));
        return Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(4, watermark),
            net.jqwik.api.Tuple.of(1, status)).list().ofMaxSize(60);
    }

    @Property(tries = 300)
    void outputIsMonotoneAndEqualsTheMinimumOverActiveChannels(@ForAll("steps") final List<Step> steps, @ForAll @IntRange(min = 1, max = 4) final int channels)
    {
        final RecordingOutput out = new RecordingOutput();
        final WatermarkValve valve = new WatermarkValve(channels, out);
        final long[] model = new long[channels];
        final boolean[] idle = new boolean[channels];
        java.util.Arrays.fill(model, Watermark.NONE);
        long expected = Watermark.NONE;

        for (final Step step : steps)
        {
            final int channel = step.channel() % channels;
            final int before = out.watermarks.size();
            if (step.idle() == null)
            {
                valve.inputWatermark(channel, step.watermark());
                idle[channel] = false;
                model[channel] = Math.max(model[channel], step.watermark());
            }
            else
            {
                valve.inputIdle(channel, step.idle());
                if (model[channel] != Watermark.END)
                {
                    idle[channel] = step.idle();
                }
            }

            long min = Long.MAX_VALUE;
            boolean anyActive = false;
            boolean anyUnfinished = false;
            for (int c = 0; c < channels; c++)
            {
                if (model[c] != Watermark.END)
                {
                    anyUnfinished = true;
                    if (!idle[c])
                    {
                        anyActive = true;
                        min = Math.min(min, model[c]);
                    }
                }
            }
            if (!anyUnfinished)
            {
                anyActive = true;
                min = Watermark.END;
            }
            if (!anyActive)
            {
                // every unfinished channel idle: the largest watermark among them
                min = java.util.Arrays.stream(model).filter(w -> w != Watermark.END).max().orElse(Watermark.NONE);
            }
            if (min > expected)
            {
                expected = min;
                assertEquals(before + 1, out.watermarks.size(), "an advance is emitted once");
                assertEquals(expected, out.last());
            }
            else
            {
                assertEquals(before, out.watermarks.size(), "nothing is emitted without an advance");
            }
            assertEquals(expected, valve.currentWatermark());
            assertEquals(!anyActive, valve.isIdle());
        }
        for (int i = 1; i < out.watermarks.size(); i++)
        {
            assertTrue(out.watermarks.get(i) > out.watermarks.get(i - 1), "strictly increasing");
        }
    }
}
