package io.tidemark.engine.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class AdaptiveLatenessWatermarksTest
{
    private final RecordingOutput out = new RecordingOutput();

    @Test
    void usesTheMaximumBoundUntilThePercentileMeansSomething()
    {
        final AdaptiveLatenessWatermarks<String> generator = new AdaptiveLatenessWatermarks<>(0.99, 10, 5_000, 1_000_000);
        for (int i = 0; i < 50; i++)
        {
            generator.onEvent("x", 1_000 + i, out);
        }
        generator.onPeriodicEmit(out);
        assertEquals(5_000, generator.currentBound());
        assertEquals(1_049 - 5_000 - 1, out.last());
    }

    @Test
    void theBoundSettlesOnThePercentileOfObservedLateness()
    {
        // Every 100th record is 1,000 ms behind, the others 0-99 ms behind: p99 lies in the
        // 0-99 band, p99.9 catches the stragglers.
        final AdaptiveLatenessWatermarks<String> p99 = new AdaptiveLatenessWatermarks<>(0.99, 0, 60_000, 1_000_000);
        final AdaptiveLatenessWatermarks<String> p999 = new AdaptiveLatenessWatermarks<>(0.999, 0, 60_000, 1_000_000);
        final Random random = new Random(42);
        long time = 1_000_000;
        for (int i = 0; i < 100_000; i++)
        {
            time += 1;
            final long lateness = i % 100 == 0 ? 1_000 : random.nextInt(100);
            p99.onEvent("x", time - lateness, out);
            p999.onEvent("x", time - lateness, out);
        }
        p99.onPeriodicEmit(out);
        p999.onPeriodicEmit(out);
        assertTrue(p99.currentBound() >= 98 && p99.currentBound() <= 104, "p99 bound " + p99.currentBound());
        assertTrue(p999.currentBound() >= 1_000 && p999.currentBound() <= 1_063, "p99.9 bound " + p999.currentBound());
    }

    @Test
    void theBoundStaysWithinItsLimits()
    {
        final AdaptiveLatenessWatermarks<String> generator = new AdaptiveLatenessWatermarks<>(0.5, 300, 400, 1_000_000);
        for (int i = 0; i < 1_000; i++)
        {
            generator.onEvent("x", i, out);
        }
        generator.onPeriodicEmit(out);
        assertEquals(300, generator.currentBound(), "in-order data would give 0, the minimum wins");
    }

    @Test
    void decayLetsTheBoundFollowAStreamThatCalmsDown()
    {
        final AdaptiveLatenessWatermarks<String> generator = new AdaptiveLatenessWatermarks<>(0.99, 0, 60_000, 1_000);
        long time = 0;
        for (int i = 0; i < 10_000; i++)
        {
            time += 10;
            generator.onEvent("x", time - (i % 2 == 0 ? 5_000 : 0), out);
        }
        generator.onPeriodicEmit(out);
        assertTrue(generator.currentBound() >= 5_000, "disorderly phase " + generator.currentBound());
        final long watermarkBefore = out.last();
        for (int i = 0; i < 20_000; i++)
        {
            time += 10;
            generator.onEvent("x", time, out);
        }
        generator.onPeriodicEmit(out);
        assertEquals(0, generator.currentBound(), "after calming down and decay");
        assertTrue(out.last() > watermarkBefore);
    }

    @Test
    void theWatermarkNeverGoesBackWhenTheBoundGrows()
    {
        final AdaptiveLatenessWatermarks<String> generator = new AdaptiveLatenessWatermarks<>(0.5, 0, 60_000, 1_000_000);
        for (int i = 1; i <= 1_000; i++)
        {
            generator.onEvent("x", i * 10L, out);
        }
        generator.onPeriodicEmit(out);
        final long first = out.last();
        for (int i = 0; i < 3_000; i++)
        {
            generator.onEvent("x", 10_000 - 9_000, out);
        }
        generator.onPeriodicEmit(out);
        assertEquals(first, out.last(), "bound grew to 9 s, but the watermark stays");
    }

    @Test
    void aRecordFromTheOtherEndOfTimeIsVeryLateNotOnTime()
    {
        final AdaptiveLatenessWatermarks<Object> generator = new AdaptiveLatenessWatermarks<>(0.5, 0, Long.MAX_VALUE, AdaptiveLatenessWatermarks.DEFAULT_DECAY_INTERVAL);
        final RecordingOutput output = new RecordingOutput();
        generator.onEvent("x", Long.MAX_VALUE - 1, output);
        for (int i = 0; i < 3; i++)
        {
            // Almost 2^64 ms behind the largest timestamp, more than a long holds.
            generator.onEvent("x", Long.MIN_VALUE + 1, output);
        }
        generator.onPeriodicEmit(output);
        assertTrue(generator.currentBound() > Long.MAX_VALUE / 2, "the bound follows the lateness, not a wrapped 0: " + generator.currentBound());
    }
}
