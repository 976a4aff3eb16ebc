package io.tidemark.engine.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class WatermarkGeneratorsTest
{
    private final RecordingOutput out = new RecordingOutput();

    @Test
    void boundedOutOfOrdernessTrailsTheLargestTimestampByTheBoundPlusOne()
    {
        final WatermarkGenerator<String> generator = new BoundedOutOfOrdernessWatermarks<>(2_000);
        generator.onPeriodicEmit(out);
        assertEquals(List.of(), out.events, "nothing seen, nothing to say");
        generator.onEvent("a", 10_000, out);
        generator.onEvent("b", 9_000, out);
        assertEquals(List.of(), out.events, "periodic: silent on events");
        generator.onPeriodicEmit(out);
        assertEquals(List.of("wm:7999"), out.events);
    }

    @Test
    void boundedOutOfOrdernessNearTheStartOfTimeStaysNone()
    {
        final BoundedOutOfOrdernessWatermarks<Object> generator = new BoundedOutOfOrdernessWatermarks<>(10);
        final RecordingOutput output = new RecordingOutput();
        generator.onEvent("x", Long.MIN_VALUE + 5, output);
        generator.onPeriodicEmit(output);
        assertEquals(List.of(), output.watermarks, "MIN + 5 - 10 - 1 would wrap to the end of time");
        generator.onEvent("x", Long.MIN_VALUE + 12, output);
        generator.onPeriodicEmit(output);
        assertEquals(List.of(Long.MIN_VALUE + 1), output.watermarks);
    }

    @Test
    void monotonousTimestampsFollowTheLatestTimestamp()
    {
        final WatermarkGenerator<String> generator = WatermarkStrategy.<String>forMonotonousTimestamps().createGenerator(Clock.SYSTEM);
        generator.onEvent("a", 41, out);
        generator.onPeriodicEmit(out);
        assertEquals(List.of("wm:40"), out.events);
    }

    @Test
    void punctuatedEmitsOnTheRecordThatCarriesAWatermark()
    {
        final WatermarkGenerator<String> generator = WatermarkStrategy.<String>forPunctuated(
            (event, ts) -> event.startsWith("flush") ? ts : Watermark.NONE).createGenerator(Clock.SYSTEM);
        generator.onEvent("a", 5, out);
        generator.onEvent("flush", 7, out);
        generator.onPeriodicEmit(out);
        assertEquals(List.of("wm:7"), out.events);
    }

    @Test
    void idlenessIsDeclaredAfterTheTimeoutAndLiftedByTheNextRecord()
    {
        final ManualClock clock = new ManualClock(0);
        final WatermarkGenerator<String> generator = WatermarkStrategy.<String>forMonotonousTimestamps()
            .withIdleness(Duration.ofSeconds(10)).createGenerator(clock);
        generator.onEvent("a", 101, out);
        generator.onPeriodicEmit(out);
        clock.advance(9_999);
        generator.onPeriodicEmit(out);
        assertEquals(List.of("wm:100", "wm:100"), out.events, "not idle before the timeout");
        clock.advance(1);
        generator.onPeriodicEmit(out);
        generator.onPeriodicEmit(out);
        generator.onEvent("b", 201, out);
        generator.onPeriodicEmit(out);
        assertEquals(List.of("wm:100", "wm:100", "idle", "active", "wm:200"), out.events);
    }

    @Test
    void strategiesRejectNonsense()
    {
        assertThrows(IllegalArgumentException.class, () -> WatermarkStrategy.forBoundedOutOfOrderness(Duration.ofMillis(-1)));
        assertThrows(IllegalArgumentException.class, () -> WatermarkStrategy.forAdaptiveLateness(1.0, Duration.ZERO, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> WatermarkStrategy.forAdaptiveLateness(Duration.ofSeconds(2), Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> WatermarkStrategy.noWatermarks().withIdleness(Duration.ZERO));
    }

    @Test
    void combinerTakesTheMinimumOverActiveSplitsAndFinishedSplitsStopCounting()
    {
        final WatermarkCombiner combiner = new WatermarkCombiner(2, out);
        combiner.outputFor(0).emitWatermark(50);
        combiner.outputFor(1).emitWatermark(20);
        combiner.outputFor(1).markIdle();
        combiner.splitFinished(1);
        combiner.outputFor(0).emitWatermark(80);
        assertEquals(List.of("wm:20", "wm:50", "wm:80"), out.events);
    }

    @Test
    void aSubtaskWithoutSplitsIsIdleFromTheStartAndNeverEmitsAWatermark()
    {
        final WatermarkCombiner combiner = new WatermarkCombiner(0, out);
        assertEquals(List.of("idle"), out.events);
        assertEquals(Watermark.NONE, combiner.currentWatermark());
    }
}
