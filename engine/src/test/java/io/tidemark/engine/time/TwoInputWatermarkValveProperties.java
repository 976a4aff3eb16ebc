package io.tidemark.engine.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The two-level valve against a model written plainly: each input's watermark is the valve
 * model of its channels (least over active unfinished channels, never back, END when all
 * finished, idle when every unfinished channel is idle); the output is the same rule applied
 * to the two inputs. Inputs drawn as for {@link WatermarkValveProperties}.
 */
class TwoInputWatermarkValveProperties
{
    /** The one-valve rule over some channels, kept as state. */
    private static final class Model
    {
        final long[] watermarks;
        final boolean[] idle;
        long output = Watermark.NONE;
        boolean outputIdle;

        Model(final int channels)
        {
            watermarks = new long[channels];
            idle = new boolean[channels];
            Arrays.fill(watermarks, Watermark.NONE);
        }

        void watermark(final int channel, final long watermark)
        {
            idle[channel] = false;
            watermarks[channel] = Math.max(watermarks[channel], watermark);
            advance();
        }

        void idle(final int channel, final boolean value)
        {
            if (watermarks[channel] != Watermark.END)
            {
                idle[channel] = value;
            }
            advance();
        }

        private void advance()
        {
            long min = Long.MAX_VALUE;
            boolean anyActive = false;
            boolean anyUnfinished = false;
            for (int c = 0; c < watermarks.length; c++)
            {
                if (watermarks[c] != Watermark.END)
                {
                    anyUnfinished = true;
                    if (!idle[c])
                    {
                        anyActive = true;
                        min = Math.min(min, watermarks[c]);
                    }
                }
            }
            if (!anyUnfinished)
            {
                anyActive = true;
                min = Watermark.END;
            }
            outputIdle = !anyActive;
            if (anyActive && min > output)
            {
                output = min;
            }
        }
    }

    @Property(tries = 300)
    void outputIsTheModelOfTheInputsModels(@ForAll("steps") final List<WatermarkValveProperties.Step> steps, @ForAll @IntRange(min = 1, max = 3) final int first,
        @ForAll @IntRange(min = 1, max = 3) final int second)
    {
        final RecordingOutput out = new RecordingOutput();
        final TwoInputWatermarkValve valve = new TwoInputWatermarkValve(first, second, out);
        final Model[] inputs = {new Model(first), new Model(second)};
        final Model combined = new Model(2);
        for (final WatermarkValveProperties.Step step : steps)
        {
            final int channel = step.channel() % (first + second);
            final int input = channel < first ? 0 : 1;
            final int local = channel < first ? channel : channel - first;
            final Model model = inputs[input];
            final long before = model.output;
            final boolean wasIdle = model.outputIdle;
            if (step.idle() == null)
            {
                valve.inputWatermark(channel, step.watermark());
                model.watermark(local, step.watermark());
            }
            else
            {
                valve.inputIdle(channel, step.idle());
                model.idle(local, step.idle());
            }
            if (model.outputIdle != wasIdle)
            {
                combined.idle(input, model.outputIdle);
            }
            if (model.output > before)
            {
                combined.watermark(input, model.output);
            }
            assertEquals(inputs[0].output, valve.inputWatermark(1));
            assertEquals(inputs[1].output, valve.inputWatermark(2));
            assertEquals(inputs[0].outputIdle, valve.isInputIdle(1));
            assertEquals(combined.output, valve.currentWatermark());
            assertEquals(combined.outputIdle, valve.isIdle());
        }
        for (int i = 1; i < out.watermarks.size(); i++)
        {
            assertTrue(out.watermarks.get(i) > out.watermarks.get(i - 1), "strictly increasing");
        }
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<List<WatermarkValveProperties.Step>> steps()
    {
        return new WatermarkValveProperties().steps().map(list -> list.stream()
            .map(s -> new WatermarkValveProperties.Step(s.channel() + s.channel() / 2, s.watermark(), s.idle())).toList());
    }
}
