package io.tidemark.engine.time;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * How a stream gets its event timestamps and watermarks: which generator to run for each
 * source split (or subtask), how to read a record's timestamp, and after how long a quiet
 * input counts as idle. Immutable: every {@code with...} returns a new strategy.
 *
 * <pre>{@code
 * WatermarkStrategy.<Event>forBoundedOutOfOrderness(Duration.ofSeconds(2))
 *     .withTimestampAssigner((event, ts) -> event.timeMs())
 *     .withIdleness(Duration.ofMinutes(1));
 * }</pre>
 *
 * @param <T> the record type.
 */
public final class WatermarkStrategy<T>
{
    private final Supplier<WatermarkGenerator<T>> generators;
    private final TimestampAssigner<T> timestampAssigner;
    private final long idleTimeout;

    private WatermarkStrategy(final Supplier<WatermarkGenerator<T>> generators, final TimestampAssigner<T> timestampAssigner, final long idleTimeout)
    {
        this.generators = generators;
        this.timestampAssigner = timestampAssigner;
        this.idleTimeout = idleTimeout;
    }

    /**
     * Records may arrive up to {@code maxOutOfOrderness} behind the largest timestamp seen.
     *
     * @param maxOutOfOrderness the bound, not negative.
     * @param <T>               the record type.
     * @return the strategy.
     */
    public static <T> WatermarkStrategy<T> forBoundedOutOfOrderness(final Duration maxOutOfOrderness)
    {
        final long bound = BoundedOutOfOrdernessWatermarks.requireValidBound(maxOutOfOrderness.toMillis());
        return new WatermarkStrategy<>(() -> new BoundedOutOfOrdernessWatermarks<>(bound), null, 0);
    }

    /**
     * Timestamps never decrease within a split, so the watermark follows the latest one.
     *
     * @param <T> the record type.
     * @return the strategy.
     */
    public static <T> WatermarkStrategy<T> forMonotonousTimestamps()
    {
        return new WatermarkStrategy<>(() -> new BoundedOutOfOrdernessWatermarks<>(0), null, 0);
    }

    /**
     * The records themselves carry the watermark.
     *
     * @param extractor reads the watermark from a record, {@link Watermark#NONE} when none.
     * @param <T>       the record type.
     * @return the strategy.
     */
    public static <T> WatermarkStrategy<T> forPunctuated(final PunctuatedWatermarks.Extractor<T> extractor)
    {
        Objects.requireNonNull(extractor, "extractor");
        return new WatermarkStrategy<>(() -> new PunctuatedWatermarks<>(extractor), null, 0);
    }

    /**
     * The bound is learnt from the stream: the 99th percentile of observed lateness, within
     * the given limits.
     *
     * @param minBound the smallest bound.
     * @param maxBound the largest bound, also used until enough records were seen.
     * @param <T>      the record type.
     * @return the strategy.
     */
    public static <T> WatermarkStrategy<T> forAdaptiveLateness(final Duration minBound, final Duration maxBound)
    {
        return forAdaptiveLateness(0.99, minBound, maxBound);
    }

    /**
     * The bound is learnt from the stream: the given percentile of observed lateness, within
     * the given limits. See {@link AdaptiveLatenessWatermarks}.
     *
     * @param percentile the share of records the bound should cover, in {@code (0, 1)}.
     * @param minBound   the smallest bound.
     * @param maxBound   the largest bound, also used until enough records were seen.
     * @param <T>        the record type.
     * @return the strategy.
     */
    public static <T> WatermarkStrategy<T> forAdaptiveLateness(final double percentile, final Duration minBound, final Duration maxBound)
    {
        final long min = minBound.toMillis();
        final long max = maxBound.toMillis();
        final long decay = AdaptiveLatenessWatermarks.DEFAULT_DECAY_INTERVAL;
        AdaptiveLatenessWatermarks.validate(percentile, min, max, decay);
        return new WatermarkStrategy<>(() -> new AdaptiveLatenessWatermarks<>(percentile, min, max, decay), null, 0);
    }

    /**
     * A strategy with a generator of your own.
     *
     * @param generators makes one fresh generator per split; each is used by one thread.
     * @param <T>        the record type.
     * @return the strategy.
     */
    public static <T> WatermarkStrategy<T> forGenerator(final Supplier<WatermarkGenerator<T>> generators)
    {
        return new WatermarkStrategy<>(Objects.requireNonNull(generators, "generators"), null, 0);
    }

    /**
     * No watermarks at all: event-time windows then fire only at the end of input.
     *
     * @param <T> the record type.
     * @return the strategy.
     */
    public static <T> WatermarkStrategy<T> noWatermarks()
    {
        return new WatermarkStrategy<>(NoWatermarks::new, null, 0);
    }

    /**
     * @param assigner reads each record's event timestamp.
     * @return a copy of this strategy that uses the assigner.
     */
    public WatermarkStrategy<T> withTimestampAssigner(final TimestampAssigner<T> assigner)
    {
        return new WatermarkStrategy<>(generators, Objects.requireNonNull(assigner, "assigner"), idleTimeout);
    }

    /**
     * @param timeout processing time without records after which a split is idle, positive.
     * @return a copy of this strategy with idleness detection.
     */
    public WatermarkStrategy<T> withIdleness(final Duration timeout)
    {
        final long millis = timeout.toMillis();
        if (millis <= 0)
        {
            throw new IllegalArgumentException("the idle timeout must be positive: " + timeout);
        }
        return new WatermarkStrategy<>(generators, timestampAssigner, millis);
    }

    /**
     * Makes the generator for one split.
     *
     * @param clock processing time, for idleness.
     * @return a fresh generator, wrapped for idleness if configured.
     */
    public WatermarkGenerator<T> createGenerator(final Clock clock)
    {
        final WatermarkGenerator<T> generator = generators.get();
        return idleTimeout > 0 ? new WatermarksWithIdleness<>(generator, idleTimeout, clock) : generator;
    }

    /**
     * @return the timestamp assigner, or {@code null} to keep the timestamps records carry.
     */
    public TimestampAssigner<T> timestampAssigner()
    {
        return timestampAssigner;
    }

    /**
     * @return the idle timeout in milliseconds, 0 when idleness is not detected.
     */
    public long idleTimeoutMillis()
    {
        return idleTimeout;
    }

    private static final class NoWatermarks<T> implements WatermarkGenerator<T>
    {
        @Override
        public void onEvent(final T event, final long eventTimestamp, final WatermarkOutput output)
        {
        }

        @Override
        public void onPeriodicEmit(final WatermarkOutput output)
        {
        }
    }
}
