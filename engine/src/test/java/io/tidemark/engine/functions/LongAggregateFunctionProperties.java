package io.tidemark.engine.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * A {@link LongAggregateFunction} gives the same results through its {@code long} methods,
 * which the session and slicing operators use inline, as through the {@code long[]}
 * accumulator of {@link AggregateFunction}, which every other operator uses.
 */
class LongAggregateFunctionProperties
{
    private static <T> Long throughObjects(final AggregateFunction<T, long[], Long> function, final List<T> first, final List<T> second)
    {
        long[] a = function.createAccumulator();
        for (final T value : first)
        {
            a = function.add(value, a);
        }
        long[] b = function.createAccumulator();
        for (final T value : second)
        {
            b = function.add(value, b);
        }
        final long[] unchanged = b.clone();
        final Long result = function.getResult(function.merge(a, b));
        assertEquals(unchanged[0], b[0], "merge must leave its second argument alone");
        return result;
    }

    private static <T> Long throughLongs(final LongAggregateFunction<T, Long> function, final List<T> first, final List<T> second)
    {
        long a = function.zero();
        for (final T value : first)
        {
            a = function.addLong(value, a);
        }
        long b = function.zero();
        for (final T value : second)
        {
            b = function.addLong(value, b);
        }
        return function.resultOf(function.mergeLong(b, a));
    }

    @Property(tries = 200)
    void sumAndCountAgreeOnBothPathsWithTheBatchAnswer(@ForAll final List<Long> first, @ForAll final List<Long> second)
    {
        final LongAggregateFunction<Long, Long> sum = AggregateFunctions.sumLong(Long::longValue);
        final long expectedSum = first.stream().mapToLong(Long::longValue).sum() + second.stream().mapToLong(Long::longValue).sum();
        assertEquals(expectedSum, throughObjects(sum, first, second));
        assertEquals(expectedSum, throughLongs(sum, first, second));

        final LongAggregateFunction<Long, Long> count = AggregateFunctions.count();
        assertEquals(first.size() + second.size(), throughObjects(count, first, second));
        assertEquals(first.size() + second.size(), throughLongs(count, first, second));
    }
}
