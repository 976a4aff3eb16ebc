package io.tidemark.engine.time;

/**
 * A fixed-size histogram of non-negative {@code long} values (lateness in milliseconds),
 * with log-linear buckets: values below 32 each have their own bucket; above that every
 * power of two is split into 16 buckets, so a bucket's width is at most 1/16 of its values
 * (a relative error under 6.25%). 960 buckets cover the whole {@code long} range; recording
 * is an index computation and an increment, with no allocation.
 *
 * <p>Counts can be halved ({@link #decay()}) so that old observations fade and a percentile
 * follows a distribution that changes over time. Not thread-safe.
 */
public final class LatenessHistogram
{
    private static final int SUB_BUCKET_BITS = 4;
    private static final int SUB_BUCKETS = 1 << SUB_BUCKET_BITS;
    private static final int BUCKETS = SUB_BUCKETS * (63 - SUB_BUCKET_BITS + 1);

    private final long[] counts = new long[BUCKETS];
    private long total;

    /**
     * Records one observation.
     *
     * @param value a non-negative value; negative values count as zero.
     */
    public void record(final long value)
    {
        counts[bucketOf(Math.max(0, value))]++;
        total++;
    }

    /**
     * @return the number of observations, after decay.
     */
    public long count()
    {
        return total;
    }

    /**
     * Returns the smallest value {@code v} such that at least {@code percentile} of the
     * observations are {@code <= v}, rounded up to the top of its bucket (so the answer errs
     * towards covering more, never less).
     *
     * @param percentile a fraction in {@code (0, 1]}, such as 0.99.
     * @return the value at that percentile, or 0 if the histogram is empty.
     */
    public long valueAtPercentile(final double percentile)
    {
        if (total == 0)
        {
            return 0;
        }
        final long wanted = (long)Math.ceil(percentile * total);
        long seen = 0;
        for (int bucket = 0; bucket < BUCKETS; bucket++)
        {
            seen += counts[bucket];
            if (seen >= wanted && counts[bucket] > 0)
            {
                return highestValueIn(bucket);
            }
        }
        return highestValueIn(BUCKETS - 1);
    }

    /** Halves every count, so that older observations weigh half as much as new ones. */
    public void decay()
    {
        long remaining = 0;
        for (int bucket = 0; bucket < BUCKETS; bucket++)
        {
            counts[bucket] >>>= 1;
            remaining += counts[bucket];
        }
        total = remaining;
    }

    /**
     * @param value a non-negative value.
     * @return the index of its bucket.
     */
    static int bucketOf(final long value)
    {
        if (value < 2 * SUB_BUCKETS)
        {
            return (int)value;
        }
        final int shift = 63 - Long.numberOfLeadingZeros(value) - SUB_BUCKET_BITS;
        // (value >>> shift) lies in [16, 32): the top five bits, of which the first is always 1.
        return SUB_BUCKETS * shift + (int)(value >>> shift);
    }

    /**
     * @param bucket a bucket index.
     * @return the largest value that falls into it.
     */
    static long highestValueIn(final int bucket)
    {
        if (bucket < 2 * SUB_BUCKETS)
        {
            return bucket;
        }
        final int shift = bucket / SUB_BUCKETS - 1;
        final long mantissa = SUB_BUCKETS + bucket % SUB_BUCKETS;
        if (shift + SUB_BUCKET_BITS + 1 >= 63 && mantissa == 2 * SUB_BUCKETS - 1)
        {
            return Long.MAX_VALUE;
        }
        return ((mantissa + 1) << shift) - 1;
    }
}
