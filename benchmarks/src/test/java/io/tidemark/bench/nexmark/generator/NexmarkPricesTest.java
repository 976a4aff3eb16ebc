package io.tidemark.bench.nexmark.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class NexmarkPricesTest
{
    @Test
    void pricesAreTheDirectFormulaToWithinACent()
    {
        final SplittableRandom random = new SplittableRandom(3);
        int differ = 0;
        for (int i = 0; i < 200_000; i++)
        {
            final long unit = random.nextLong() >>> 11;
            final long direct = Math.round(StrictMath.pow(10.0, unit * 0x1.0p-53 * 6.0) * 100.0);
            final long cents = Prices.cents(unit);
            assertTrue(Math.abs(cents - direct) <= 1, unit + ": " + cents + " against " + direct);
            differ += cents == direct ? 0 : 1;
        }
        // Only a half cent landing between the two roundings differs.
        assertTrue(differ < 20, differ + " prices a cent off");
    }

    @Test
    void roundingByTruncationIsMathRoundAcrossThePricesRange()
    {
        // The neighbours of half-integers are where the two could part, from a dollar to a million.
        final SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < 200_000; i++)
        {
            final double half = (1L + random.nextLong(100_000_000L)) - 0.5;
            double x = half;
            for (int step = 0; step < 3; step++)
            {
                x = Math.nextDown(x);
            }
            for (int step = 0; step < 7; step++)
            {
                assertEquals(Math.round(x), Prices.roundHalfUp(x), "x = " + x);
                x = Math.nextUp(x);
            }
        }
        assertEquals(Math.round(0.5), Prices.roundHalfUp(0.5));
        assertEquals(Math.round(0x1.0p52 - 0.5), Prices.roundHalfUp(0x1.0p52 - 0.5));
    }

    @Test
    void thePaddingsSpreadIsTwentyPercentRoundedAsMathRoundHasIt()
    {
        for (int desired = 0; desired <= 10_000; desired++)
        {
            assertEquals(Math.round(desired * 0.2), NexmarkGenerator.paddingSpread(desired), "desired " + desired);
        }
    }

    @Test
    void pricesRunFromOneDollarToOneMillion()
    {
        assertEquals(100, Prices.cents(0));
        assertEquals(100_000_000, Prices.cents((1L << 53) - 1));
        assertEquals(100_000, Prices.cents(1L << 52), "half way: 1,000 dollars");
    }
}
