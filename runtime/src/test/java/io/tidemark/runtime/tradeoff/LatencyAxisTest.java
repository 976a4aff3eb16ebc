package io.tidemark.runtime.tradeoff;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

class LatencyAxisTest
{
    @Test
    void ticksFallOnOneTwoAndFiveTimesAPowerOfTen()
    {
        assertEquals(List.of(0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0), LatencyAxis.ticks(0.15, 31));
        assertEquals(List.of(0.001, 0.002, 0.005), LatencyAxis.ticks(0.001, 0.009));
    }

    @Test
    void aRangeNarrowerThanAStepIsTickedAtItsBounds()
    {
        assertEquals(List.of(0.21, 0.23), LatencyAxis.ticks(0.21, 0.23));
    }

    @Test
    void ticksReadAsDurationsNotPowers()
    {
        assertEquals("500ms", LatencyAxis.label(0.5));
        assertEquals("2s", LatencyAxis.label(2));
        assertEquals("10s", LatencyAxis.label(10));
        assertEquals("1ms", LatencyAxis.label(0.001));
        assertEquals("5m", LatencyAxis.label(300));
    }
}
