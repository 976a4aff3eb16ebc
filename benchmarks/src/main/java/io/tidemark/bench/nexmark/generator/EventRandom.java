package io.tidemark.bench.nexmark.generator;

/**
 * The random draws of one event: SplitMix64 started afresh for every event from the seed and
 * the event's number, so that an event is the same whichever subtask makes it and whatever
 * came before it. One instance per generator, reset per event: nothing is allocated.
 */
final class EventRandom
{
    private static final long GAMMA = 0x9E3779B97F4A7C15L;

    private long state;

    /**
     * @param seed        the stream's seed.
     * @param eventNumber the event about to be made.
     */
    void reset(final long seed, final long eventNumber)
    {
        state = mix(seed ^ mix(eventNumber * GAMMA + GAMMA));
    }

    /**
     * @param bound the exclusive upper bound; positive.
     * @return a value in {@code [0, bound)}.
     */
    int nextInt(final int bound)
    {
        return (int)nextLong(bound);
    }

    /**
     * @param bound the exclusive upper bound; positive.
     * @return a value in {@code [0, bound)}: the high half of the unsigned product of 64
     * random bits and the bound (no division; the bias is below 2^-32 for the bounds used here).
     */
    long nextLong(final long bound)
    {
        final long bits = next();
        return Math.multiplyHigh(bits, bound) + ((bits >> 63) & bound);
    }

    /**
     * @return 53 random bits: a value in {@code [0, 2^53)}, which scaled by {@code 2^-53} is
     * uniform in {@code [0, 1)} at a double's precision.
     */
    long nextUnit()
    {
        return next() >>> 11;
    }

    private long next()
    {
        state += GAMMA;
        return mix(state);
    }

    private static long mix(final long value)
    {
        long z = value;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
