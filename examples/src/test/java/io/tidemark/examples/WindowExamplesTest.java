package io.tidemark.examples;

import io.tidemark.engine.window.WindowResult;
import org.junit.jupiter.api.Test;

import java.util.Comparator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Each window example run on a small stream, its output checked exactly.
 */
class WindowExamplesTest
{
    private static <V> List<WindowResult<String, V>> sorted(final List<WindowResult<String, V>> results)
    {
        return results.stream().sorted(Comparator.comparing(WindowResult<String, V>::key).thenComparingLong(WindowResult::windowStart)).toList();
    }

    @Test
    void eventsPerMinuteCountsEachEventInExactlyOneMinute()
    {
        final List<WindowResult<String, Long>> results = EventsPerMinute.run(List.of(
            new Click("ann", 1_000, 1), new Click("bob", 30_000, 1), new Click("ann", 59_999, 1), new Click("ann", 60_000, 1)));
        assertEquals(List.of(
            new WindowResult<>("ann", 0L, 60_000L, 2L, false),
            new WindowResult<>("ann", 60_000L, 120_000L, 1L, false),
            new WindowResult<>("bob", 0L, 60_000L, 1L, false)), sorted(results));
    }

    @Test
    void theMovingAverageSeesEachReadingInThreeWindows()
    {
        final List<WindowResult<String, Double>> results = MovingAverage.run(List.of(
            new Click("sensor", 0, 10), new Click("sensor", 60_000, 20), new Click("sensor", 120_000, 30)));
        assertEquals(List.of(
            new WindowResult<>("sensor", -120_000L, 60_000L, 10.0, false),
            new WindowResult<>("sensor", -60_000L, 120_000L, 15.0, false),
            new WindowResult<>("sensor", 0L, 180_000L, 20.0, false),
            new WindowResult<>("sensor", 60_000L, 240_000L, 25.0, false),
            new WindowResult<>("sensor", 120_000L, 300_000L, 30.0, false)), sorted(results));
    }

    @Test
    void aSilenceLongerThanTheGapEndsASession()
    {
        final List<WindowResult<String, Long>> results = UserSessions.run(List.of(
            new Click("ann", 0, 1), new Click("ann", 20_000, 1), new Click("bob", 25_000, 1), new Click("ann", 100_000, 1)));
        assertEquals(List.of(
            new WindowResult<>("ann", 0L, 50_000L, 2L, false),
            new WindowResult<>("ann", 100_000L, 130_000L, 1L, false),
            new WindowResult<>("bob", 25_000L, 55_000L, 1L, false)), sorted(results));
    }

    @Test
    void theRunningTotalFiresOnBigPurchasesOnly()
    {
        final List<WindowResult<String, Long>> results = RunningTotal.run(List.of(
            new Click("ann", 0, 30), new Click("ann", 1, 120), new Click("ann", 2, 5), new Click("bob", 3, 7), new Click("ann", 3, 100)));
        assertEquals(List.of(150L, 255L), results.stream().map(WindowResult::value).toList(), "bob never bought big: no result for him");
        assertEquals(List.of(false, true), results.stream().map(WindowResult::update).toList());
    }

    @Test
    void aLateClickIsDroppedDeadLetteredOrCountedInAnUpdate()
    {
        final Click late = new Click("ann", 20_000, 1);
        final List<Click> clicks = List.of(new Click("ann", 10_000, 1), new Click("ann", 70_000, 1), late);

        final LateDataThreeWays.Outcome dropped = LateDataThreeWays.run(clicks, "drop");
        assertEquals(1, dropped.dropped());
        assertEquals(List.of(1L, 1L), dropped.results().stream().map(WindowResult::value).toList());

        final LateDataThreeWays.Outcome deadLettered = LateDataThreeWays.run(clicks, "dead-letter");
        assertEquals(List.of(late), deadLettered.deadLetters());
        assertEquals(0, deadLettered.dropped());

        final LateDataThreeWays.Outcome updated = LateDataThreeWays.run(clicks, "update");
        assertEquals(List.of(
            new WindowResult<>("ann", 0L, 60_000L, 1L, false),
            new WindowResult<>("ann", 0L, 60_000L, 2L, true),
            new WindowResult<>("ann", 60_000L, 120_000L, 1L, false)), sorted(updated.results()));

        assertThrows(IllegalArgumentException.class, () -> LateDataThreeWays.run(clicks, "ignore"));
    }
}
