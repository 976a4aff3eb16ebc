package io.tidemark.engine.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

class LatenessHistogramProperties
{
    @Property
    void aValueLiesInItsBucketAndTheBucketIsNarrow(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE) final long value)
    {
        final int bucket = LatenessHistogram.bucketOf(value);
        final long high = LatenessHistogram.highestValueIn(bucket);
        final long low = bucket == 0 ? 0 : LatenessHistogram.highestValueIn(bucket - 1) + 1;
        assertTrue(low <= value && value <= high, low + " <= " + value + " <= " + high);
        assertTrue(high - low <= Math.max(0, low / 16), "width " + (high - low) + " at " + low);
    }

    @Property
    void thePercentileCoversAtLeastThatShareAndIsWithinTheBucketError(
        @ForAll @Size(min = 1, max = 300) final List<@LongRange(min = 0, max = 100_000) Long> values,
        @ForAll @DoubleRange(min = 0.01, max = 1.0) final double percentile)
    {
        final LatenessHistogram histogram = new LatenessHistogram();
        values.forEach(histogram::record);
        final long answer = histogram.valueAtPercentile(percentile);
        final List<Long> sorted = values.stream().sorted().toList();
        final long exact = sorted.get((int)Math.ceil(percentile * sorted.size()) - 1);
        assertTrue(answer >= exact, "covers: " + answer + " >= " + exact);
        assertTrue(answer <= exact + exact / 16, "tight: " + answer + " vs " + exact);
        assertEquals(values.size(), histogram.count());
    }
}
