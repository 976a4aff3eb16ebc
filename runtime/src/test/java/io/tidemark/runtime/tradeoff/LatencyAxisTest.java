package io.tidemark.runtime.tradeoff;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

class LatencyAxisTest
{
    @Test
    void ticksFallOnOneTwoAndFiveTimesAPowerOfTen()
    {
        assertEquals(List.of(0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 30.0), LatencyAxis.ticks(0.15, 31));
        assertEquals(List.of(0.001, 0.002, 0.005), LatencyAxis.ticks(0.001, 0.009));
    }

    @Test
    void ticksOverAMinuteFallOnRoundMinutesAndHours()
    {
        final List<Double> ticks = LatencyAxis.ticks(3, 1000);
        assertEquals(List.of(5.0, 10.0, 20.0, 30.0, 60.0, 120.0, 300.0, 600.0), ticks);
        assertEquals(List.of("5s", "10s", "20s", "30s", "1m", "2m", "5m", "10m"), ticks.stream().map(LatencyAxis::label).toList());
        assertEquals(List.of("20m", "30m", "1h", "2h", "5h", "10h"), LatencyAxis.ticks(1000, 40_000).stream().map(LatencyAxis::label).toList());
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
