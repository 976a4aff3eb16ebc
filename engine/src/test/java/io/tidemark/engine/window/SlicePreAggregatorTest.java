package io.tidemark.engine.window;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.tidemark.engine.functions.AggregateFunction;
import io.tidemark.engine.functions.AggregateFunctions;
import io.tidemark.engine.testing.OneInputOperatorHarness;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * A slice held by the pre-aggregator grows past the keys its arrays start with, and a slice
 * sent on is reused for the next, with a {@code long} accumulator and with an object one.
 */
class SlicePreAggregatorTest
{
    private static final TumblingEventTimeWindows WINDOWS = TumblingEventTimeWindows.of(Duration.ofMillis(1_000));
    /** More than a slice's arrays start with. */
    private static final int KEYS = 3_000;

    @Test
    void aLongAccumulatorIsHeldPerKeyInSlicesOfManyKeys() throws Exception
    {
        check(AggregateFunctions.sumLong(Event::value), PartialAggregate::accumulator);
    }

    @Test
    void anObjectAccumulatorIsHeldPerKeyInSlicesOfManyKeys() throws Exception
    {
        final BatchWindows.CountAndSum countAndSum = new BatchWindows.CountAndSum();
        check(countAndSum, p -> countAndSum.getResult((long[])p.objectAccumulator()).get(1));
    }

    /** Two slices one after the other, each key's two records summed into one partial. */
    private static void check(final AggregateFunction<Event, ?, ?> function, final Function<PartialAggregate, Long> sum) throws Exception
    {
        final OneInputOperatorHarness<Event, PartialAggregate> local = OneInputOperatorHarness.forOperator(
            new WindowOperatorBuilder<String, Event, TimeWindow>(WINDOWS).preAggregator(function, Event::key));
        for (final long start : List.of(0L, 1_000L))
        {
            for (int record = 0; record < 2; record++)
            {
                for (int key = 0; key < KEYS; key++)
                {
                    local.processElement(new Event("k" + key, start + key % 1_000, key + start), start + key % 1_000);
                }
            }
            local.processWatermark(start + 999);
            final Map<Object, Long> sums = new HashMap<>();
            local.takeOutput().forEach(p -> assertNull(sums.put(p.key(), sum.apply(p)), "one partial per key"));
            assertEquals(KEYS, sums.size(), "slice " + start);
            for (int key = 0; key < KEYS; key++)
            {
                assertEquals(2 * (key + start), sums.get("k" + key), "k" + key + " in slice " + start);
            }
        }
    }
}
