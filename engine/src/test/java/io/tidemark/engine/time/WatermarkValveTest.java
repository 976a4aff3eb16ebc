package io.tidemark.engine.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class WatermarkValveTest
{
    private final RecordingOutput out = new RecordingOutput();

    @Test
    void outputWaitsForEveryChannelThenFollowsTheMinimum()
    {
        final WatermarkValve valve = new WatermarkValve(2, out);
        valve.inputWatermark(0, 10);
        assertEquals(List.of(), out.events, "channel 1 has said nothing yet");
        valve.inputWatermark(1, 5);
        valve.inputWatermark(1, 20);
        valve.inputWatermark(0, 30);
        assertEquals(List.of("wm:5", "wm:10", "wm:20"), out.events);
        assertEquals(20, valve.currentWatermark());
    }

    @Test
    void aValveWithoutChannelsIsIdleUntilOneIsAddedAndThenFollowsIt()
    {
        final WatermarkValve valve = new WatermarkValve(0, out);
        assertTrue(valve.isIdle());
        final int added = valve.addChannel();
        assertEquals(0, added);
        assertFalse(valve.isIdle(), "the new channel is active");
        valve.inputWatermark(added, 40);
        assertEquals(List.of("active", "wm:40"), out.events);
    }

    @Test
    void anAddedChannelHoldsTheOutputWhereItIsUntilItCatchesUp()
    {
        final WatermarkValve valve = new WatermarkValve(1, out);
        valve.inputWatermark(0, 100);
        final int added = valve.addChannel();
        valve.inputWatermark(0, 200);
        valve.inputWatermark(added, 50);
        assertEquals(100, valve.currentWatermark(), "never back, and not past the new channel");
        valve.inputWatermark(added, 300);
        assertEquals(200, valve.currentWatermark());
    }

    @Test
    void aSmallerWatermarkFromAChannelIsIgnored()
    {
        final WatermarkValve valve = new WatermarkValve(1, out);
        valve.inputWatermark(0, 10);
        valve.inputWatermark(0, 3);
        assertEquals(10, valve.channelWatermark(0));
        assertEquals(List.of("wm:10"), out.events);
    }

    @Test
    void anIdleChannelNoLongerHoldsTheOutputBack()
    {
        final WatermarkValve valve = new WatermarkValve(2, out);
        valve.inputWatermark(0, 100);
        valve.inputIdle(1, true);
        assertEquals(List.of("wm:100"), out.events);
        assertFalse(valve.isIdle());
    }

    @Test
    void whenEveryChannelIsIdleTheOutputIsIdle()
    {
        final WatermarkValve valve = new WatermarkValve(2, out);
        valve.inputWatermark(0, 100);
        valve.inputWatermark(1, 50);
        valve.inputIdle(1, true);
        valve.inputIdle(0, true);
        assertEquals(List.of("wm:50", "wm:100", "idle"), out.events);
        assertTrue(valve.isIdle());
    }

    @Test
    void whenTheLastChannelGoesIdleTheOutputTakesTheLargestWatermarkAnyChannelSentWhateverTheOrder()
    {
        // The channel with the larger watermark goes idle first: without the rule, the output
        // would stay where the other held it, and a window up to 100 would wait for new data.
        final WatermarkValve valve = new WatermarkValve(2, out);
        valve.inputWatermark(0, 100);
        valve.inputIdle(0, true);
        valve.inputIdle(1, true);
        assertEquals(List.of("wm:100", "idle"), out.events, "the same as when channel 1 goes idle first");
        assertEquals(100, valve.currentWatermark());
    }

    @Test
    void aResumingChannelThatIsBehindHoldsTheOutputUntilItCatchesUp()
    {
        final WatermarkValve valve = new WatermarkValve(2, out);
        valve.inputWatermark(0, 10);
        valve.inputWatermark(1, 10);
        valve.inputIdle(1, true);
        valve.inputWatermark(0, 100);
        valve.inputIdle(1, false);
        valve.inputWatermark(0, 200);
        assertEquals(100, valve.currentWatermark(), "channel 1 is back at 10: the output may not pass it, nor go back");
        valve.inputWatermark(1, 150);
        assertEquals(150, valve.currentWatermark());
        assertEquals(List.of("wm:10", "wm:100", "wm:150"), out.events);
    }

    @Test
    void aWatermarkFromAnIdleChannelMakesItActive()
    {
        final WatermarkValve valve = new WatermarkValve(1, out);
        valve.inputIdle(0, true);
        valve.inputWatermark(0, 7);
        assertEquals(List.of("idle", "active", "wm:7"), out.events);
        assertFalse(valve.isChannelIdle(0));
    }

    @Test
    void afterEveryChannelWasIdleTheFirstToReturnDecidesAloneEvenWithAnOldWatermark()
    {
        final WatermarkValve valve = new WatermarkValve(2, out);
        valve.inputWatermark(0, 10);
        valve.inputWatermark(1, 30);
        valve.inputIdle(1, true);
        valve.inputIdle(0, true);
        valve.inputWatermark(1, 40);
        assertEquals(List.of("wm:10", "wm:30", "idle", "active", "wm:40"), out.events, "channel 0 is still idle; channel 1 alone counts");
    }

    @Test
    void aFinishedChannelNeverDrivesTheOutputAloneWhileOthersAreIdle()
    {
        final WatermarkValve valve = new WatermarkValve(2, out);
        valve.inputWatermark(0, 10);
        valve.inputWatermark(1, 10);
        valve.inputIdle(1, true);
        valve.inputWatermark(0, Watermark.END);
        assertEquals(List.of("wm:10", "idle"), out.events, "a finished split plus an idle one: idle, not END");
        valve.inputWatermark(1, 20);
        valve.inputWatermark(1, Watermark.END);
        assertEquals(List.of("wm:10", "idle", "active", "wm:20", "wm:END"), out.events);
    }

    @Test
    void aValveWithoutChannelsIsIdleFromTheStart()
    {
        assertTrue(new WatermarkValve(0, out).isIdle());
    }

    @Test
    void endOfInputOnEveryChannelGivesEnd()
    {
        final WatermarkValve valve = new WatermarkValve(2, out);
        valve.inputWatermark(0, Watermark.END);
        valve.inputWatermark(1, Watermark.END);
        assertEquals(List.of("wm:END"), out.events);
    }
}
