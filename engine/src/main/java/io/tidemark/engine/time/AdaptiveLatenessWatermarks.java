package io.tidemark.engine.time;

/**
 * A periodic generator whose out-of-orderness bound is learnt from the stream: each record's
 * lateness (how far it lies behind the largest timestamp seen before it) goes into a
 * {@link LatenessHistogram}, and at every periodic emit the bound becomes the chosen
 * percentile of that distribution, clamped to {@code [minBound, maxBound]}.
 *
 * <p>A bound at the 99th percentile means, if the stream keeps its habits, about 1% of
 * records arrive behind the watermark: the price paid for results that come out as soon as
 * the bulk of the data is in. Until the histogram holds enough observations for the
 * percentile to mean something ({@code 1 / (1 - percentile)} of them, 100 for p99) the bound
 * is {@code maxBound}. Every {@code decayInterval} records the counts are halved, so the
 * bound follows a stream whose disorder changes. The watermark never goes back, even when
 * the bound grows.
 *
 * @param <T> the record type.
 */
public final class AdaptiveLatenessWatermarks<T> implements WatermarkGenerator<T>
{
    /** The default number of records between two halvings of the histogram. */
    public static final long DEFAULT_DECAY_INTERVAL = 1 << 16;

    private final LatenessHistogram histogram = new LatenessHistogram();
    private final double percentile;
    private final long minBound;
    private final long maxBound;
    private final long decayInterval;
    private final long warmUpCount;
    private long maxTimestamp = Watermark.NONE;
    private long sinceDecay;
    private long bound;
    private long lastEmitted = Watermark.NONE;

    /**
     * @param percentile    the share of records the bound should cover, in {@code (0, 1)}.
     * @param minBoundMillis the smallest bound to use, not negative.
     * @param maxBoundMillis the largest bound to use, at least {@code minBoundMillis}.
     * @param decayInterval records between two halvings of the histogram, positive.
     */
    public AdaptiveLatenessWatermarks(final double percentile, final long minBoundMillis, final long maxBoundMillis, final long decayInterval)
    {
        validate(percentile, minBoundMillis, maxBoundMillis, decayInterval);
        this.percentile = percentile;
        this.minBound = minBoundMillis;
        this.maxBound = maxBoundMillis;
        this.decayInterval = decayInterval;
        this.warmUpCount = (long)Math.ceil(1 / (1 - percentile));
        this.bound = maxBoundMillis;
    }

    static void validate(final double percentile, final long minBoundMillis, final long maxBoundMillis, final long decayInterval)
    {
        if (!(percentile > 0 && percentile < 1))
        {
            throw new IllegalArgumentException("the percentile must lie strictly between 0 and 1: " + percentile);
        }
        if (minBoundMillis < 0 || maxBoundMillis < minBoundMillis)
        {
            throw new IllegalArgumentException("need 0 <= minBound <= maxBound, got " + minBoundMillis + " and " + maxBoundMillis);
        }
        if (decayInterval <= 0)
        {
            throw new IllegalArgumentException("the decay interval must be positive: " + decayInterval);
        }
    }

    @Override
    public void onEvent(final T event, final long eventTimestamp, final WatermarkOutput output)
    {
        if (eventTimestamp > maxTimestamp)
        {
            if (maxTimestamp != Watermark.NONE)
            {
                histogram.record(0);
            }
            maxTimestamp = eventTimestamp;
        }
        else
        {
            // A lateness beyond the range of a long (a record from the other end of time) wraps negative.
            final long lateness = maxTimestamp - eventTimestamp;
            histogram.record(lateness < 0 ? Long.MAX_VALUE : lateness);
        }
        if (++sinceDecay == decayInterval)
        {
            histogram.decay();
            sinceDecay = 0;
        }
    }

    @Override
    public void onPeriodicEmit(final WatermarkOutput output)
    {
        if (histogram.count() >= warmUpCount)
        {
            bound = Math.min(maxBound, Math.max(minBound, histogram.valueAtPercentile(percentile)));
        }
        final long watermark = BoundedOutOfOrdernessWatermarks.watermarkFor(maxTimestamp, bound);
        if (watermark > lastEmitted)
        {
            lastEmitted = watermark;
            output.emitWatermark(watermark);
        }
    }

    /**
     * @return the bound in use now, in milliseconds: what the watermark trails the largest
     * timestamp by.
     */
    public long currentBound()
    {
        return bound;
    }
}
