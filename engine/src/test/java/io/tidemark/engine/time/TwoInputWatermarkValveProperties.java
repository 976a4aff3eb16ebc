package io.tidemark.engine.time;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The two-level valve against a specification that shares none of its logic: after every
 * step the expected state is computed again from the whole history, by brute force. At each
 * moment a channel has its highest watermark so far and its last idleness (a finished channel,
 * at END, is never idle); an input is finished when all its channels are, idle when it is not
 * and none of its unfinished channels is active, and its candidate is the least watermark of
 * its active channels. An input's watermark is the highest candidate it had while active (END
 * once finished); the output is the highest, over the moments when some input was active, of
 * the least watermark of the active inputs, END once both finished. Taking the highest over
 * the past is the holding rule: an input that returns behind holds the output where it is.
 * An input none of whose unfinished channels is active takes the highest watermark they sent;
 * so does the output, over the unfinished inputs, when none is active.
 * The valve emits exactly the outputs after each step that rise above the one before: one
 * step, at most one watermark, never a state that no step left behind.
 * Inputs drawn as for {@link WatermarkValveProperties}.
 */
class TwoInputWatermarkValveProperties
{
    /** What the valve must show after a history of steps. */
    private record Expected(long first, long second, boolean firstIdle, boolean secondIdle, long output, boolean outputIdle)
    {
    }

    @Property(tries = 300)
    void theValveMeetsItsSpecificationAfterEveryStep(@ForAll("steps") final List<WatermarkValveProperties.Step> steps,
        @ForAll @IntRange(min = 1, max = 3) final int first, @ForAll @IntRange(min = 1, max = 3) final int second)
    {
        final RecordingOutput out = new RecordingOutput();
        final TwoInputWatermarkValve valve = new TwoInputWatermarkValve(first, second, out);
        final List<Long> expectedEmitted = new ArrayList<>();
        for (int t = 0; t < steps.size(); t++)
        {
            final WatermarkValveProperties.Step step = steps.get(t);
            final int channel = step.channel() % (first + second);
            if (step.idle() == null)
            {
                valve.inputWatermark(channel, step.watermark());
            }
            else
            {
                valve.inputIdle(channel, step.idle());
            }
            final Expected expected = specify(steps.subList(0, t + 1), first, second);
            final String after = "after " + steps.subList(0, t + 1);
            assertEquals(expected.first(), valve.inputWatermark(1), after);
            assertEquals(expected.second(), valve.inputWatermark(2), after);
            assertEquals(expected.firstIdle(), valve.isInputIdle(1), after);
            assertEquals(expected.secondIdle(), valve.isInputIdle(2), after);
            assertEquals(expected.output(), valve.currentWatermark(), after);
            assertEquals(expected.outputIdle(), valve.isIdle(), after);
            if (expected.output() != Watermark.NONE && (expectedEmitted.isEmpty() || expected.output() > expectedEmitted.get(expectedEmitted.size() - 1)))
            {
                expectedEmitted.add(expected.output());
            }
        }
        assertEquals(expectedEmitted, out.watermarks, "each new output watermark emitted once, in order");
    }

    private static Expected specify(final List<WatermarkValveProperties.Step> history, final int first, final int second)
    {
        final int channels = first + second;
        final long[] channelWatermark = new long[channels];
        final boolean[] channelIdle = new boolean[channels];
        Arrays.fill(channelWatermark, Watermark.NONE);
        final long[] input = {Watermark.NONE, Watermark.NONE};
        final boolean[] inputIdle = new boolean[2];
        long output = Watermark.NONE;
        boolean outputIdle = false;
        for (final WatermarkValveProperties.Step step : history)
        {
            final int channel = step.channel() % channels;
            if (step.idle() == null)
            {
                channelWatermark[channel] = Math.max(channelWatermark[channel], step.watermark());
                channelIdle[channel] = false;
            }
            else
            {
                channelIdle[channel] = step.idle() && channelWatermark[channel] != Watermark.END;
            }
            final boolean[] finished = new boolean[2];
            long least = Long.MAX_VALUE;
            boolean anyActive = false;
            for (int i = 0; i < 2; i++)
            {
                final int from = i == 0 ? 0 : first;
                final int to = i == 0 ? first : channels;
                finished[i] = true;
                long candidate = Long.MAX_VALUE;
                boolean active = false;
                for (int c = from; c < to; c++)
                {
                    if (channelWatermark[c] != Watermark.END)
                    {
                        finished[i] = false;
                        if (!channelIdle[c])
                        {
                            active = true;
                            candidate = Math.min(candidate, channelWatermark[c]);
                        }
                    }
                }
                inputIdle[i] = !finished[i] && !active;
                if (finished[i])
                {
                    input[i] = Watermark.END;
                }
                else if (active)
                {
                    input[i] = Math.max(input[i], candidate);
                    least = Math.min(least, input[i]);
                    anyActive = true;
                }
                else
                {
                    for (int c = from; c < to; c++)
                    {
                        if (channelWatermark[c] != Watermark.END)
                        {
                            input[i] = Math.max(input[i], channelWatermark[c]);
                        }
                    }
                }
            }
            if (finished[0] && finished[1])
            {
                output = Watermark.END;
                outputIdle = false;
            }
            else
            {
                outputIdle = !anyActive;
                if (anyActive)
                {
                    output = Math.max(output, least);
                }
                else
                {
                    for (int i = 0; i < 2; i++)
                    {
                        if (!finished[i])
                        {
                            output = Math.max(output, input[i]);
                        }
                    }
                }
            }
        }
        return new Expected(input[0], input[1], inputIdle[0], inputIdle[1], output, outputIdle);
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<List<WatermarkValveProperties.Step>> steps()
    {
        return new WatermarkValveProperties().steps().map(list -> list.stream()
            .map(s -> new WatermarkValveProperties.Step(s.channel() + s.channel() / 2, s.watermark(), s.idle())).toList());
    }
}
