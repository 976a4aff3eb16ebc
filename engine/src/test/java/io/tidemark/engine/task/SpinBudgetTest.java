package io.tidemark.engine.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class SpinBudgetTest
{
    private static final long MIN = 1_000;
    private static final long MAX = 20_000;

    /** Runs one gap on the budget's own clock: empty rounds every 100 ns until input at {@code gap}. */
    private static int emptyRoundsSpunThrough(final SpinBudget budget, final long start, final long gap)
    {
        int spun = 0;
        for (long now = start; now < start + gap; now += 100)
        {
            if (budget.spinOnEmpty(now))
            {
                spun++;
            }
            else
            {
                break;
            }
        }
        budget.onInput(start + gap);
        return spun;
    }

    @Test
    void aFreshTaskSpinsTheMinimumThenSleeps()
    {
        final SpinBudget budget = new SpinBudget(MIN, MAX);
        assertTrue(budget.spinOnEmpty(0));
        assertTrue(budget.spinOnEmpty(MIN - 1));
        assertFalse(budget.spinOnEmpty(MIN), "the budget is measured from the first empty round");
        assertFalse(budget.spinOnEmpty(MIN + 1_000_000), "a task that slept and found nothing sleeps again");
    }

    @Test
    void shortGapsGrowTheBudgetToTwiceTheGapAndNoFurtherThanTheMaximum()
    {
        final SpinBudget budget = new SpinBudget(MIN, MAX);
        budget.spinOnEmpty(0);
        budget.onInput(3_000);
        assertEquals(6_000, budget.budgetNanos(), "input came 3 µs into the gap: spin 6 µs next time");
        budget.spinOnEmpty(10_000);
        budget.onInput(10_500);
        assertEquals(6_000, budget.budgetNanos(), "a shorter gap does not shrink the budget");
        budget.spinOnEmpty(20_000);
        budget.onInput(20_000 + MAX);
        assertEquals(MAX, budget.budgetNanos(), "capped at the maximum");
    }

    @Test
    void longGapsHalveTheBudgetDownToTheMinimum()
    {
        final SpinBudget budget = new SpinBudget(MIN, MAX);
        budget.spinOnEmpty(0);
        budget.onInput(MAX);
        assertEquals(MAX, budget.budgetNanos());
        long now = 1_000_000;
        final long[] expected = {MAX / 2, MAX / 4, MAX / 8, MAX / 16, MIN, MIN};
        for (final long budgetAfter : expected)
        {
            budget.spinOnEmpty(now);
            budget.onInput(now + 5_000_000);
            assertEquals(budgetAfter, budget.budgetNanos());
            now += 10_000_000;
        }
    }

    @Test
    void inputWithoutAGapLeavesTheBudgetAlone()
    {
        final SpinBudget budget = new SpinBudget(MIN, MAX);
        budget.onInput(5);
        budget.onInput(1_000_000_000);
        assertEquals(MIN, budget.budgetNanos());
    }

    @Test
    void aDenseStreamIsSpunThroughAndASparseOneSleepsPromptly()
    {
        final SpinBudget budget = new SpinBudget(MIN, MAX);
        long now = 0;
        int spunThroughDense = 0;
        for (int i = 0; i < 100; i++)
        {
            final int spun = emptyRoundsSpunThrough(budget, now, 8_000);
            spunThroughDense += spun * 100 >= 8_000 - 100 ? 1 : 0;
            now += 10_000;
        }
        assertTrue(spunThroughDense >= 99, "gaps of 8 µs: all but the first spun through, got " + spunThroughDense);
        for (int i = 0; i < 10; i++)
        {
            emptyRoundsSpunThrough(budget, now, 1_000_000);
            now += 2_000_000;
        }
        assertEquals(MIN, budget.budgetNanos(), "gaps of 1 ms: back to the minimum");
    }

    @Test
    void badBoundsAreRefused()
    {
        assertThrows(IllegalArgumentException.class, () -> new SpinBudget(-1, 10));
        assertThrows(IllegalArgumentException.class, () -> new SpinBudget(10, 9));
    }

    @Property
    void theBudgetStaysWithinItsBoundsAndNoSpinOutlastsIt(@ForAll @Size(min = 1, max = 50) final List<@LongRange(min = 0, max = 2_000_000) Long> gaps)
    {
        final SpinBudget budget = new SpinBudget(MIN, MAX);
        long now = 0;
        for (final long gap : gaps)
        {
            final long allowed = budget.budgetNanos();
            final int spun = emptyRoundsSpunThrough(budget, now, gap);
            assertTrue((long)spun * 100 <= allowed + 100, "spun " + spun * 100 + " ns with a budget of " + allowed);
            assertTrue(budget.budgetNanos() >= MIN && budget.budgetNanos() <= MAX, "budget " + budget.budgetNanos());
            now += gap + 1_000;
        }
    }
}
