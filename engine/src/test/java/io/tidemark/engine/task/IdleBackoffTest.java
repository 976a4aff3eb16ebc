package io.tidemark.engine.task;

import static io.tidemark.engine.task.IdleBackoff.Action.SLEEP;
import static io.tidemark.engine.task.IdleBackoff.Action.SPIN;
import static io.tidemark.engine.task.IdleBackoff.Action.YIELD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class IdleBackoffTest
{
    private static final long MIN = 1_000;
    private static final long MAX = 20_000;
    private static final int YIELDS = 3;

    /** Runs one gap on the backoff's own clock: empty rounds every 100 ns until input at {@code gap}; returns the rounds spun. */
    private static int emptyRoundsSpunThrough(final IdleBackoff backoff, final long start, final long gap)
    {
        int spun = 0;
        for (long now = start; now < start + gap; now += 100)
        {
            if (backoff.onEmpty(now) == SPIN)
            {
                spun++;
            }
            else
            {
                break;
            }
        }
        backoff.onInput(start + gap, false);
        return spun;
    }

    /** A fresh backoff after one gap between records, ended 3 µs in by input that filled a batch or not. */
    private static IdleBackoff afterAGapOf3Micros(final boolean wholeBatch)
    {
        final IdleBackoff backoff = new IdleBackoff(MIN, MAX, YIELDS);
        backoff.onEmpty(0);
        backoff.onInput(3_000, wholeBatch);
        return backoff;
    }

    @Test
    void aFreshTaskSpinsTheMinimumThenSleeps()
    {
        final IdleBackoff backoff = new IdleBackoff(MIN, MAX, YIELDS);
        assertEquals(SPIN, backoff.onEmpty(0));
        assertEquals(SPIN, backoff.onEmpty(MIN - 1));
        assertEquals(SLEEP, backoff.onEmpty(MIN), "the budget is measured from the first empty round");
        assertEquals(SLEEP, backoff.onEmpty(MIN + 1_000_000), "a task that slept and found nothing sleeps again");
    }

    @Test
    void aTaskThatWasBehindYieldsAFewTimesAfterItsSpinThenSleeps()
    {
        final IdleBackoff backoff = new IdleBackoff(MIN, MAX, YIELDS);
        backoff.onInput(0, true);
        assertEquals(SPIN, backoff.onEmpty(10));
        assertEquals(List.of(YIELD, YIELD, YIELD, SLEEP, SLEEP),
            List.of(backoff.onEmpty(MIN + 10), backoff.onEmpty(MIN + 20), backoff.onEmpty(MIN + 30), backoff.onEmpty(MIN + 40), backoff.onEmpty(MIN + 50)));
        backoff.onInput(5_000_000, false);
        backoff.onEmpty(6_000_000);
        assertEquals(SLEEP, backoff.onEmpty(6_000_000 + MIN), "a task that keeps up does not yield");
    }

    @Test
    void shortGapsGrowTheBudgetToTwiceTheGapAndNoFurtherThanTheMaximum()
    {
        final IdleBackoff backoff = afterAGapOf3Micros(false);
        assertEquals(6_000, backoff.spinBudgetNanos(), "input came 3 µs into the gap: spin 6 µs next time");
        backoff.onEmpty(10_000);
        backoff.onInput(10_500, false);
        assertEquals(6_000, backoff.spinBudgetNanos(), "a shorter gap does not shrink the budget");
        backoff.onEmpty(20_000);
        backoff.onInput(20_000 + MAX, false);
        assertEquals(MAX, backoff.spinBudgetNanos(), "capped at the maximum");
    }

    @Test
    void longGapsHalveTheBudgetDownToTheMinimum()
    {
        final IdleBackoff backoff = new IdleBackoff(MIN, MAX, YIELDS);
        backoff.onEmpty(0);
        backoff.onInput(MAX, false);
        assertEquals(MAX, backoff.spinBudgetNanos());
        long now = 1_000_000;
        final long[] expected = {MAX / 2, MAX / 4, MAX / 8, MAX / 16, MIN, MIN};
        for (final long budgetAfter : expected)
        {
            backoff.onEmpty(now);
            backoff.onInput(now + 5_000_000, false);
            assertEquals(budgetAfter, backoff.spinBudgetNanos());
            now += 10_000_000;
        }
    }

    @Test
    void aGapAfterAWholeBatchIsSpunForTheMinimumOnlyAndTeachesTheBudgetNothing()
    {
        final IdleBackoff backoff = afterAGapOf3Micros(true);
        assertEquals(6_000, backoff.spinBudgetNanos(), "a gap between records, ended by a whole batch, teaches the budget");
        assertEquals(SPIN, backoff.onEmpty(10_000));
        assertEquals(YIELD, backoff.onEmpty(10_000 + MIN), "after a whole batch the upstream is the slower one: no spin past the minimum");
        backoff.onInput(10_000 + 2 * MAX, false);
        assertEquals(6_000, backoff.spinBudgetNanos(), "a gap after a whole batch neither halves the budget");
        backoff.onInput(100_000, true);
        backoff.onEmpty(200_000);
        backoff.onInput(200_000 + 4_000, false);
        assertEquals(6_000, backoff.spinBudgetNanos(), "nor grows it");
        assertEquals(SPIN, backoff.onEmpty(300_000));
        assertEquals(SPIN, backoff.onEmpty(300_000 + 5_999), "after records that came one by one, the budget holds again");
    }

    @Test
    void yieldsThatNeverPayHalveDownToOneAndAYieldThatPaysRestoresThem()
    {
        final IdleBackoff backoff = new IdleBackoff(MIN, MAX, 8);
        long now = 0;
        for (final int yieldsThisGap : new int[] {8, 4, 2, 1, 1})
        {
            backoff.onInput(now, true);
            backoff.onEmpty(now + 1);
            int yields = 0;
            IdleBackoff.Action action;
            while ((action = backoff.onEmpty(now + 1 + MIN)) == YIELD)
            {
                yields++;
            }
            assertEquals(SLEEP, action);
            assertEquals(SLEEP, backoff.onEmpty(now + 2_000_000), "one gap halves the yields once, however often the task sleeps in it");
            assertEquals(yieldsThisGap, yields);
            now += 10_000_000;
        }
        assertEquals(1, backoff.yieldsAfterBatch());
        backoff.onInput(now, true);
        backoff.onEmpty(now + 1);
        assertEquals(YIELD, backoff.onEmpty(now + 1 + MIN));
        backoff.onInput(now + MIN + 500, true);
        assertEquals(8, backoff.yieldsAfterBatch(), "input came while the task yielded");
        backoff.onEmpty(now + 1_000_000);
        backoff.onInput(now + 1_000_000 + 500, false);
        assertEquals(8, backoff.yieldsAfterBatch(), "input within the minimum spin judges no yield");
    }

    @Test
    void inputWithoutAGapLeavesTheBudgetAlone()
    {
        final IdleBackoff backoff = new IdleBackoff(MIN, MAX, YIELDS);
        backoff.onInput(5, false);
        backoff.onInput(1_000_000_000, true);
        assertEquals(MIN, backoff.spinBudgetNanos());
    }

    @Test
    void aDenseStreamIsSpunThroughAndASparseOneSleepsPromptly()
    {
        final IdleBackoff backoff = new IdleBackoff(MIN, MAX, YIELDS);
        long now = 0;
        int spunThroughDense = 0;
        for (int i = 0; i < 100; i++)
        {
            final int spun = emptyRoundsSpunThrough(backoff, now, 8_000);
            spunThroughDense += spun * 100 >= 8_000 - 100 ? 1 : 0;
            now += 10_000;
        }
        assertTrue(spunThroughDense >= 99, "gaps of 8 µs: all but the first spun through, got " + spunThroughDense);
        for (int i = 0; i < 10; i++)
        {
            emptyRoundsSpunThrough(backoff, now, 1_000_000);
            now += 2_000_000;
        }
        assertEquals(MIN, backoff.spinBudgetNanos(), "gaps of 1 ms: back to the minimum");
    }

    @Test
    void badBoundsAreRefused()
    {
        assertThrows(IllegalArgumentException.class, () -> new IdleBackoff(-1, 10, 0));
        assertThrows(IllegalArgumentException.class, () -> new IdleBackoff(10, 9, 0));
        assertThrows(IllegalArgumentException.class, () -> new IdleBackoff(1, 9, -1));
    }

    @Property
    void theBudgetStaysWithinItsBoundsAndNoSpinOutlastsIt(@ForAll @Size(min = 1, max = 50) final List<@LongRange(min = 0, max = 2_000_000) Long> gaps)
    {
        final IdleBackoff backoff = new IdleBackoff(MIN, MAX, YIELDS);
        long now = 0;
        for (final long gap : gaps)
        {
            final long allowed = backoff.spinBudgetNanos();
            final int spun = emptyRoundsSpunThrough(backoff, now, gap);
            assertTrue((long)spun * 100 <= allowed + 100, "spun " + spun * 100 + " ns with a budget of " + allowed);
            assertTrue(backoff.spinBudgetNanos() >= MIN && backoff.spinBudgetNanos() <= MAX, "budget " + backoff.spinBudgetNanos());
            now += gap + 1_000;
        }
    }
}
