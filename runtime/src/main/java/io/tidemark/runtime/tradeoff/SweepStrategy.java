package io.tidemark.runtime.tradeoff;

import io.tidemark.engine.api.Durations;
import io.tidemark.engine.time.AdaptiveLatenessWatermarks;
import io.tidemark.engine.time.BoundedOutOfOrdernessWatermarks;
import io.tidemark.engine.time.WatermarkGenerator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * One watermark strategy of the sweep: a name for the table and the plot, and a maker of
 * fresh generators (the engine's own classes, so the harness measures what jobs run).
 *
 * @param name       as printed, such as {@code bounded 2s} or {@code adaptive p99}.
 * @param bound      the fixed out-of-orderness bound, or {@code null} for an adaptive strategy.
 * @param generators makes one generator per run.
 */
public record SweepStrategy(String name, Duration bound, Supplier<WatermarkGenerator<DeviceEvent>> generators)
{
    /** The largest bound of the sweep, also the adaptive strategy's ceiling and warm-up bound. */
    public static final Duration MAX_BOUND = Duration.ofMinutes(15);

    /**
     * @param bound the out-of-orderness bound.
     * @return bounded out-of-orderness with that bound.
     */
    public static SweepStrategy bounded(final Duration bound)
    {
        final long millis = bound.toMillis();
        return new SweepStrategy("bounded " + Durations.format(bound), bound, () -> new BoundedOutOfOrdernessWatermarks<>(millis));
    }

    /**
     * @param percentile the share of observed lateness the bound covers, in (0, 1).
     * @return the adaptive strategy: the bound is that percentile of the lateness seen so far,
     *         between 0 and {@link #MAX_BOUND}.
     */
    public static SweepStrategy adaptive(final double percentile)
    {
        final long max = MAX_BOUND.toMillis();
        final String label = "adaptive p" + new java.math.BigDecimal(Double.toString(percentile * 100)).stripTrailingZeros().toPlainString();
        return new SweepStrategy(label, null,
            () -> new AdaptiveLatenessWatermarks<>(percentile, 0, max, AdaptiveLatenessWatermarks.DEFAULT_DECAY_INTERVAL));
    }

    /**
     * @return the sweep of workload T1: bounded 0, 100 ms, 500 ms, 1 s, 2 s, 5 s, 30 s, 5 min,
     *         15 min; adaptive p50, p90, p99, p99.9.
     */
    public static List<SweepStrategy> t1()
    {
        final List<SweepStrategy> sweep = new ArrayList<>();
        for (final long millis : new long[] {0, 100, 500, 1_000, 2_000, 5_000, 30_000, 300_000, 900_000})
        {
            sweep.add(bounded(Duration.ofMillis(millis)));
        }
        for (final double p : new double[] {0.5, 0.9, 0.99, 0.999})
        {
            sweep.add(adaptive(p));
        }
        return sweep;
    }
}
