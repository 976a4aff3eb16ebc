package io.tidemark.engine.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The two-level valve channel by channel: input 1 has channels 0 and 1, input 2 has 2 and 3. */
class TwoInputWatermarkValveTest
{
    private final RecordingOutput out = new RecordingOutput();
    private final TwoInputWatermarkValve valve = new TwoInputWatermarkValve(2, 2, out);

    @Test
    void outputWaitsForEveryChannelOfBothInputsThenFollowsTheLeastInput()
    {
        valve.inputWatermark(0, 10);
        valve.inputWatermark(1, 20);
        assertEquals(10, valve.inputWatermark(1));
        assertEquals(List.of(), out.events, "input 2 has said nothing yet");
        valve.inputWatermark(2, 5);
        assertEquals(List.of(), out.events, "channel 3 has said nothing yet");
        valve.inputWatermark(3, 30);
        valve.inputWatermark(2, 40);
        valve.inputWatermark(0, 50);
        assertEquals(List.of("wm:5", "wm:10", "wm:20"), out.events);
        assertEquals(30, valve.inputWatermark(2));
    }

    @Test
    void anIdleChannelDoesNotHoldItsInputBack()
    {
        valve.inputIdle(1, true);
        valve.inputWatermark(0, 10);
        valve.inputWatermark(2, 10);
        valve.inputWatermark(3, 10);
        assertEquals(List.of("wm:10"), out.events);
        assertFalse(valve.isInputIdle(1));
    }

    @Test
    void anInputIdleAsAWholeDoesNotHoldTheOtherBack()
    {
        valve.inputWatermark(0, 10);
        valve.inputWatermark(1, 10);
        valve.inputIdle(2, true);
        valve.inputIdle(3, true);
        assertTrue(valve.isInputIdle(2));
        assertFalse(valve.isIdle());
        valve.inputWatermark(0, 30);
        valve.inputWatermark(1, 40);
        assertEquals(List.of("wm:10", "wm:30"), out.events);
    }

    @Test
    void anInputThatComesBackBehindHoldsTheOutputWhereItIs()
    {
        valve.inputIdle(2, true);
        valve.inputIdle(3, true);
        valve.inputWatermark(0, 100);
        valve.inputWatermark(1, 100);
        valve.inputWatermark(2, 50);
        assertEquals(100, valve.currentWatermark(), "never back");
        valve.inputWatermark(0, 200);
        valve.inputWatermark(1, 200);
        assertEquals(100, valve.currentWatermark(), "input 2 is active again, at 50");
        valve.inputWatermark(2, 150);
        assertEquals(150, valve.currentWatermark());
    }

    @Test
    void aWholeInputThatWentIdleBeforeTheOtherDroveTheOutputHoldsItWhenItReturnsBehind()
    {
        final TwoInputWatermarkValve single = new TwoInputWatermarkValve(1, 1, out);
        single.inputWatermark(0, 10);
        single.inputIdle(0, true);
        single.inputWatermark(1, 100);
        single.inputWatermark(0, 50);
        single.inputWatermark(1, 200);
        assertEquals(List.of(100L), out.watermarks, "input 1 returning at 50 holds the output at 100");
        single.inputWatermark(0, 250);
        assertEquals(List.of(100L, 200L), out.watermarks);
    }

    @Test
    void anInputReturningFromIdlenessRejoinsAtItsNewWatermarkNotItsOldOne()
    {
        final TwoInputWatermarkValve single = new TwoInputWatermarkValve(1, 1, out);
        single.inputWatermark(0, 0);
        single.inputIdle(0, true);
        single.inputWatermark(1, Watermark.END);
        assertTrue(single.isIdle(), "a finished input never drives the output alone");
        assertEquals(List.of(0L), out.watermarks, "the idle input's own watermark, as if the other had finished first");
        single.inputWatermark(0, 1);
        assertEquals(List.of(0L, 1L), out.watermarks, "one step, one watermark");
        single.inputIdle(0, true);
        single.inputWatermark(0, Watermark.END);
        assertEquals(List.of(0L, 1L, Watermark.END), out.watermarks, "finishing from idleness goes straight to END");
    }

    @Test
    void bothInputsIdleMakeTheOutputIdleAndOneChannelBackMakesItActive()
    {
        valve.inputIdle(0, true);
        valve.inputIdle(1, true);
        valve.inputIdle(2, true);
        assertEquals(List.of(), out.events, "channel 3 is still active");
        valve.inputIdle(3, true);
        assertEquals(List.of("idle"), out.events);
        assertTrue(valve.isIdle());
        valve.inputIdle(3, false);
        assertEquals(List.of("idle", "active"), out.events);
    }

    @Test
    void aFinishedInputDoesNotDriveTheOutputAloneAndEndComesWhenBothFinish()
    {
        valve.inputWatermark(0, Watermark.END);
        valve.inputWatermark(1, Watermark.END);
        valve.inputWatermark(2, 10);
        valve.inputWatermark(3, 20);
        assertEquals(List.of("wm:10"), out.events, "the finished input no longer constrains");
        valve.inputIdle(2, true);
        assertEquals(20, valve.currentWatermark(), "channel 3 alone holds input 2");
        valve.inputIdle(3, true);
        assertTrue(valve.isIdle(), "finished plus idle is idle, not END");
        assertEquals(20, valve.currentWatermark());
        valve.inputWatermark(2, Watermark.END);
        valve.inputWatermark(3, Watermark.END);
        assertEquals(Watermark.END, valve.currentWatermark());
    }

    @Test
    void anInputWithoutChannelsIsRefused()
    {
        assertThrows(IllegalArgumentException.class, () -> new TwoInputWatermarkValve(0, 1, out));
        assertThrows(IllegalArgumentException.class, () -> valve.inputWatermark(3));
    }
}
