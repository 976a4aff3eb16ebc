package io.tidemark.bench.nexmark.generator;

/**
 * The benchmark's prices: {@code 100 * 10^(6u)} cents for a uniform {@code u} in
 * {@code [0, 1)}, so log-uniform from 1 dollar to 1 million. {@code StrictMath.pow} per price
 * cost about as much as the rest of a bid, so the power is a product of three tables of
 * powers of ten, one per 8 high bits of {@code u}'s 53, and a Taylor polynomial for its low 29
 * bits (an exponent below 10^-6, where the cubic term is below a double's precision). Plain
 * IEEE arithmetic on tables built once with {@code StrictMath}: the same price on every JVM,
 * within a cent of the direct formula.
 */
final class Prices
{
    private static final int TABLE_BITS = 8;
    private static final int LOW_BITS = 53 - 3 * TABLE_BITS;
    private static final int MASK = (1 << TABLE_BITS) - 1;
    private static final long LOW_MASK = (1L << LOW_BITS) - 1;
    /** The natural exponent of one unit of the low bits: {@code 6 ln 10 / 2^53}. */
    private static final double LOW_SCALE = 6.0 * StrictMath.log(10.0) * 0x1.0p-53;
    private static final double[] HIGH = powers(1);
    private static final double[] MIDDLE = powers(2);
    private static final double[] LOW = powers(3);

    private Prices()
    {
    }

    /**
     * @param random the event's draws.
     * @return a price in cents, log-uniform from 100 to 100 million.
     */
    static long cents(final EventRandom random)
    {
        return cents(random.nextUnit());
    }

    /**
     * @param unit 53 random bits, {@code u * 2^53}.
     * @return {@code round(100 * 10^(6u))}, to within a cent.
     */
    static long cents(final long unit)
    {
        final double power = HIGH[(int)(unit >>> (LOW_BITS + 2 * TABLE_BITS))]
            * MIDDLE[(int)(unit >>> (LOW_BITS + TABLE_BITS)) & MASK]
            * LOW[(int)(unit >>> LOW_BITS) & MASK];
        final double exponent = (unit & LOW_MASK) * LOW_SCALE;
        return roundHalfUp(power * (1.0 + exponent + exponent * exponent * 0.5) * 100.0);
    }

    /**
     * {@link Math#round(double)} for the prices' range, by truncation: from 0.5 to 2^52, the
     * floating-point sum {@code x + 0.5} lands on an integer only when the exact sum is one
     * (below 0.5 it does not: 0.49999999999999994), and Math.round's exact bit arithmetic cost
     * more than the three table look-ups.
     *
     * @param x a value from 0.5 to 2^52.
     * @return {@code Math.round(x)}.
     */
    static long roundHalfUp(final double x)
    {
        return (long)(x + 0.5);
    }

    /** @return {@code 10^(6 i / 2^(8 level))} for each 8-bit {@code i}: the powers of ten of one table. */
    private static double[] powers(final int level)
    {
        final double[] powers = new double[1 << TABLE_BITS];
        for (int i = 0; i < powers.length; i++)
        {
            powers[i] = StrictMath.pow(10.0, 6.0 * i / (1L << (TABLE_BITS * level)));
        }
        return powers;
    }
}
