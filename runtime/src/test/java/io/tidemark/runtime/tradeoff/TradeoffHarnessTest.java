package io.tidemark.runtime.tradeoff;

import io.tidemark.runtime.LatePolicyOption;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The trade-off harness on a small T1 stream: 50 devices for 10 minutes, one of them offline
 * for minutes.
 */
class TradeoffHarnessTest
{
    private static final EventStream STREAM = T1Generator.withDefaults(50, 600, 7).generate();

    private static List<SweepStrategy> sweep()
    {
        return List.of(
            SweepStrategy.bounded(Duration.ZERO),
            SweepStrategy.bounded(Duration.ofSeconds(2)),
            SweepStrategy.bounded(Duration.ofMillis(STREAM.maxDelay() + 1_000)),
            SweepStrategy.adaptive(0.99));
    }

    @Test
    void aBoundAboveTheLargestDelayIsCompleteAndTighterBoundsAreNot()
    {
        assertTrue(STREAM.maxDelay() > 5 * 60_000, "the offline device makes some events minutes late: " + STREAM.maxDelay());
        final TradeoffReport report = TradeoffHarness.run(STREAM, sweep(), LatePolicyOption.UPDATE, TradeoffHarness.Progress.NONE);
        final StrategyResult tight = report.rows().get(0);
        final StrategyResult twoSeconds = report.rows().get(1);
        final StrategyResult loose = report.rows().get(2);

        assertEquals(1.0, loose.completeness());
        assertEquals(0, loose.lateEvents());
        assertEquals(0, loose.lateUpdates());
        assertTrue(tight.completeness() < twoSeconds.completeness(), tight + " vs " + twoSeconds);
        assertTrue(twoSeconds.completeness() < 1.0, twoSeconds.toString());
        assertTrue(tight.lateEvents() > twoSeconds.lateEvents());
        assertTrue(tight.latencyP50() < twoSeconds.latencyP50() && twoSeconds.latencyP50() < loose.latencyP50() || loose.latencyP50() == 0,
            "waiting longer delays results: " + report.rows());
        assertTrue(twoSeconds.latencyP50() >= 2_000, "a result waits at least the bound: " + twoSeconds);
        for (final StrategyResult row : report.rows())
        {
            assertEquals(Boolean.TRUE, row.finalMatchesTruth(), "with late updates every final result equals the batch count: " + row);
            assertEquals(0, row.dropped());
            assertEquals(0, row.deadLettered());
        }
    }

    @Test
    void everyLateEventIsDroppedOrDeadLetteredUnderThosePolicies()
    {
        final List<SweepStrategy> tight = List.of(SweepStrategy.bounded(Duration.ofMillis(500)));
        final StrategyResult updated = TradeoffHarness.run(STREAM, tight, LatePolicyOption.UPDATE, TradeoffHarness.Progress.NONE).rows().get(0);
        final StrategyResult dropped = TradeoffHarness.run(STREAM, tight, LatePolicyOption.DROP, TradeoffHarness.Progress.NONE).rows().get(0);
        final StrategyResult deadLettered = TradeoffHarness.run(STREAM, tight, LatePolicyOption.DEAD_LETTER, TradeoffHarness.Progress.NONE).rows().get(0);

        assertTrue(updated.lateEvents() > 0);
        assertEquals(updated.lateEvents(), dropped.dropped(), "the same events are late whatever happens to them");
        assertEquals(0, dropped.lateUpdates());
        assertEquals(updated.lateEvents(), deadLettered.deadLettered());
        assertEquals(updated.completeness(), dropped.completeness());
        assertEquals(updated.latencyP50(), deadLettered.latencyP50());
    }

    @Test
    void aRunIsDeterministicForASeed()
    {
        final EventStream again = T1Generator.withDefaults(50, 600, 7).generate();
        assertEquals(STREAM.maxDelay(), again.maxDelay());
        assertEquals(TradeoffHarness.run(STREAM, sweep(), LatePolicyOption.UPDATE, TradeoffHarness.Progress.NONE),
            TradeoffHarness.run(again, sweep(), LatePolicyOption.UPDATE, TradeoffHarness.Progress.NONE));
    }
}
