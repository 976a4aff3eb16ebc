package io.tidemark.engine.window;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemark.engine.functions.AggregateFunction;
import io.tidemark.engine.functions.AggregateFunctions;
import io.tidemark.engine.functions.LongAggregateFunction;
import io.tidemark.engine.functions.OutputTag;
import io.tidemark.engine.testing.OneInputOperatorHarness;
import io.tidemark.engine.window.BatchWindows.CountAndSum;
import io.tidemark.engine.window.BatchWindows.WindowKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * Window results against a batch computation over the same events, for random streams
 * delivered out of order. Within the watermark's bound nothing is late and every window is
 * exactly the batch answer; beyond it every event is accounted for exactly once: in the
 * window's first result, in a later (update) result, on the side output, or as dropped.
 */
class WindowProperties
{
    private static final String[] KEYS = {"a", "b", "c"};

    /** An event and when it arrives: arrival order is by {@code arrival}. */
    record Arrival(Event event, long arrival)
    {
    }

    /**
     * The largest value: a {@link LongAggregateFunction} whose zero is not 0, so that an
     * operator that keeps it inline must start from {@link #zero()}.
     */
    static final class MaxValue implements LongAggregateFunction<Event, Long>
    {
        @Override
        public long zero()
        {
            return Long.MIN_VALUE;
        }

        @Override
        public long addLong(final Event value, final long accumulator)
        {
            return Math.max(accumulator, value.value());
        }

        @Override
        public long mergeLong(final long a, final long b)
        {
            return Math.max(a, b);
        }

        @Override
        public Long resultOf(final long accumulator)
        {
            return accumulator;
        }
    }

    /** The aggregates the specialised operators are checked with, one per way they store it. */
    enum Aggregate
    {
        /** An object accumulator. */
        COUNT_AND_SUM,
        /** A {@code long} accumulator kept inline. */
        SUM,
        /** A {@code long} accumulator kept inline, whose zero is not 0. */
        MAX;

        @SuppressWarnings("unchecked")
        AggregateFunction<Event, Object, Object> newFunction()
        {
            final AggregateFunction<Event, ?, ?> function = switch (this)
            {
                case COUNT_AND_SUM -> new CountAndSum();
                case SUM -> AggregateFunctions.sumLong(Event::value);
                case MAX -> new MaxValue();
            };
            return (AggregateFunction<Event, Object, Object>)function;
        }
    }

    static List<Event> events(final List<Arrival> arrivals)
    {
        return arrivals.stream().map(Arrival::event).toList();
    }

    static List<Arrival> stream(final long seed, final int count, final long maxDelay)
    {
        return stream(seed, count, maxDelay, 1);
    }

    /**
     * @param seed     the random seed.
     * @param count    the number of events.
     * @param maxDelay how long after its time an event may arrive.
     * @param grain    the event times are multiples of it; a coarse grain makes events meet
     *                 window and session ends exactly.
     * @return the events in arrival order.
     */
    static List<Arrival> stream(final long seed, final int count, final long maxDelay, final int grain)
    {
        final Random random = new Random(seed);
        final List<Arrival> arrivals = new ArrayList<>();
        for (int i = 0; i < count; i++)
        {
            final long time = (long)random.nextInt(60_000 / grain) * grain;
            final Event event = new Event(KEYS[random.nextInt(KEYS.length)], time, random.nextInt(100));
            arrivals.add(new Arrival(event, time + (maxDelay == 0 ? 0 : (long)(random.nextDouble() * (maxDelay + 1)))));
        }
        arrivals.sort(Comparator.comparingLong(Arrival::arrival));
        return arrivals;
    }

    @Property(tries = 150)
    void withinTheBoundEveryWindowEqualsTheBatchAnswer(
        @ForAll final long seed,
        @ForAll @IntRange(min = 1, max = 300) final int count,
        @ForAll @LongRange(min = 0, max = 5_000) final long bound,
        @ForAll @IntRange(min = 0, max = 2) final int windowKind,
        @ForAll @LongRange(min = 1, max = 10) final long slides) throws Exception
    {
        final List<Arrival> arrivals = stream(seed, count, bound);
        final long slide = 1_000 + Math.floorMod(seed, 4_000);
        final WindowAssigner<Object, TimeWindow> assigner = switch (windowKind)
        {
            case 0 -> TumblingEventTimeWindows.of(Duration.ofMillis(slide * slides));
            case 1 -> SlidingEventTimeWindows.of(Duration.ofMillis(slide * slides), Duration.ofMillis(slide));
            default -> EventTimeSessionWindows.withGap(Duration.ofMillis(slide));
        };
        final var h = OneInputOperatorHarness.forKeyedOperator(
            new WindowOperatorBuilder<String, Event, TimeWindow>(assigner).aggregate(new CountAndSum()), Event::key);
        long maxSeen = Long.MIN_VALUE;
        for (final Arrival arrival : arrivals)
        {
            h.processElement(arrival.event(), arrival.event().time());
            maxSeen = Math.max(maxSeen, arrival.event().time());
            h.processWatermark(maxSeen - bound - 1);
        }
        h.processWatermark(Long.MAX_VALUE);

        final Map<WindowKey, List<Long>> actual = new HashMap<>();
        for (final WindowResult<String, List<Long>> result : h.takeOutput())
        {
            assertFalse(result.update(), "nothing is late, so nothing is revised");
            final WindowKey window = new WindowKey(result.key(), result.windowStart(), result.windowEnd());
            if (result.retraction())
            {
                // A record at the end of a fired session merges with it.
                assertTrue(actual.remove(window) != null, "only a fired session is retracted");
                continue;
            }
            assertEquals(null, actual.put(window, result.value()), "each window fires once");
        }
        final Map<WindowKey, List<Long>> expected = switch (windowKind)
        {
            case 0 -> BatchWindows.sliding(events(arrivals), slide * slides, slide * slides);
            case 1 -> BatchWindows.sliding(events(arrivals), slide * slides, slide);
            default -> BatchWindows.sessions(events(arrivals), slide);
        };
        assertEquals(expected, actual);
        assertEquals(0, h.metrics().lateRecordsDropped());
    }

    @Property(tries = 150)
    void beyondTheBoundEveryEventIsAccountedForExactlyOnce(
        @ForAll final long seed,
        @ForAll @IntRange(min = 1, max = 300) final int count,
        @ForAll @LongRange(min = 0, max = 3_000) final long bound,
        @ForAll @LongRange(min = 0, max = 3_000) final long allowedLateness,
        @ForAll @IntRange(min = 0, max = 2) final int policyKind,
        @ForAll @LongRange(min = 1, max = 5_000) final long retention) throws Exception
    {
        final List<Arrival> arrivals = stream(seed, count, 3 * bound + 4_000);
        final OutputTag<Event> late = new OutputTag<>("late");
        final LateDataPolicy policy = switch (policyKind)
        {
            case 0 -> LateDataPolicy.drop();
            case 1 -> LateDataPolicy.sideOutput(late);
            default -> LateDataPolicy.lateUpdate(Duration.ofMillis(retention));
        };
        final long size = 5_000;
        final var h = OneInputOperatorHarness.forKeyedOperator(
            new WindowOperatorBuilder<String, Event, TimeWindow>(TumblingEventTimeWindows.of(Duration.ofMillis(size)))
                .allowedLateness(Duration.ofMillis(allowedLateness)).lateDataPolicy(policy).aggregate(new CountAndSum()), Event::key);

        // The expected fate of each event follows from the watermark at its arrival.
        final Map<WindowKey, Long> onTime = new HashMap<>();
        final Map<WindowKey, Long> joinedLater = new HashMap<>();
        final Map<WindowKey, Long> sideOutput = new HashMap<>();
        long dropped = 0;
        long lateUpdates = 0;
        long watermark = Long.MIN_VALUE;
        long maxSeen = Long.MIN_VALUE;
        for (final Arrival arrival : arrivals)
        {
            final Event event = arrival.event();
            final long start = TimeWindow.startOf(event.time(), 0, size);
            final WindowKey window = new WindowKey(event.key(), start, start + size);
            final long maxTimestamp = start + size - 1;
            if (maxTimestamp > watermark)
            {
                onTime.merge(window, 1L, Long::sum);
            }
            else if (maxTimestamp + allowedLateness > watermark)
            {
                joinedLater.merge(window, 1L, Long::sum);
            }
            else if (policyKind == 1)
            {
                sideOutput.merge(window, 1L, Long::sum);
            }
            else if (policyKind == 2 && maxTimestamp + allowedLateness + retention > watermark)
            {
                joinedLater.merge(window, 1L, Long::sum);
                lateUpdates++;
            }
            else
            {
                dropped++;
            }
            h.processElement(event, event.time());
            maxSeen = Math.max(maxSeen, event.time());
            if (maxSeen - bound - 1 > watermark)
            {
                watermark = maxSeen - bound - 1;
                h.processWatermark(watermark);
            }
        }
        h.processWatermark(Long.MAX_VALUE);

        final Map<WindowKey, List<WindowResult<String, List<Long>>>> results = new HashMap<>();
        for (final WindowResult<String, List<Long>> result : h.takeOutput())
        {
            results.computeIfAbsent(new WindowKey(result.key(), result.windowStart(), result.windowEnd()), w -> new ArrayList<>()).add(result);
        }
        long counted = 0;
        for (final Map.Entry<WindowKey, List<WindowResult<String, List<Long>>>> entry : results.entrySet())
        {
            final List<WindowResult<String, List<Long>>> firings = entry.getValue();
            assertFalse(firings.get(0).update(), "a window's first result is not an update");
            firings.subList(1, firings.size()).forEach(r -> assertTrue(r.update(), "every later result is"));
            final long expectedFinal = onTime.getOrDefault(entry.getKey(), 0L) + joinedLater.getOrDefault(entry.getKey(), 0L);
            assertEquals(expectedFinal, (long)firings.get(firings.size() - 1).value().get(0), "the last result counts everything that joined " + entry.getKey());
            if (onTime.containsKey(entry.getKey()))
            {
                assertEquals(onTime.get(entry.getKey()), firings.get(0).value().get(0), "the first result counts the on-time events");
            }
            counted += expectedFinal;
        }
        final Map<WindowKey, Long> actualSide = new HashMap<>();
        for (final Event event : h.sideOutput(late))
        {
            final long start = TimeWindow.startOf(event.time(), 0, size);
            actualSide.merge(new WindowKey(event.key(), start, start + size), 1L, Long::sum);
        }
        assertEquals(sideOutput, actualSide);
        assertEquals(dropped, h.metrics().lateRecordsDropped());
        assertEquals(lateUpdates, h.metrics().lateRecordsUpdated());
        assertEquals(count, counted + h.sideOutput(late).size() + dropped, "every event exactly once");
    }
}
