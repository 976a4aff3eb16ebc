package io.tidemark.runtime.tradeoff;

import java.util.SplittableRandom;

/**
 * Network delay drawn from a log-normal distribution, the usual model of latency on the
 * internet: most packets take about the median, a long tail takes many times longer. With a
 * median of 200 ms and sigma 1.0, the 99th percentile is about 2 s and the 99.9th about 4.4 s.
 *
 * <p>The normal deviate comes from the Box-Muller transform with {@link StrictMath}, so a
 * seed gives the same delays on every JVM and platform.
 */
public final class LogNormalDelay
{
    private final double medianMillis;
    private final double sigma;

    /**
     * @param medianMillis the median delay, positive.
     * @param sigma        the standard deviation of the delay's logarithm, not negative.
     */
    public LogNormalDelay(final double medianMillis, final double sigma)
    {
        if (!(medianMillis > 0) || !(sigma >= 0))
        {
            throw new IllegalArgumentException("need a positive median and a sigma >= 0, got " + medianMillis + " and " + sigma);
        }
        this.medianMillis = medianMillis;
        this.sigma = sigma;
    }

    /**
     * @param random the seeded source; two draws are taken from it.
     * @return a delay in whole milliseconds.
     */
    public long nextMillis(final SplittableRandom random)
    {
        final double u1 = 1.0 - random.nextDouble();   // (0, 1]: the logarithm stays finite
        final double u2 = random.nextDouble();
        final double normal = StrictMath.sqrt(-2.0 * StrictMath.log(u1)) * StrictMath.cos(2.0 * StrictMath.PI * u2);
        return Math.round(medianMillis * StrictMath.exp(sigma * normal));
    }
}
