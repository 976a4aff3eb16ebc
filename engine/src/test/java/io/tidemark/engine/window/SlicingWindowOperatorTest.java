package io.tidemark.engine.window;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemark.engine.functions.AggregateFunctions;
import io.tidemark.engine.functions.OutputTag;
import io.tidemark.engine.operator.OneInputOperator;
import io.tidemark.engine.testing.OneInputOperatorHarness;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class SlicingWindowOperatorTest
{
    private static final OutputTag<Event> LATE = new OutputTag<>("late");

    private static WindowOperatorBuilder<String, Event, TimeWindow> builder(final WindowAssigner<Object, TimeWindow> assigner, final boolean sideOutput)
    {
        final WindowOperatorBuilder<String, Event, TimeWindow> builder = new WindowOperatorBuilder<>(assigner);
        return sideOutput ? builder.sideOutputLateData(LATE) : builder;
    }

    /** What an operator made of a stream: its results and late records, in a comparable form. */
    record Outcome(List<String> results, List<String> late, long dropped, long firings)
    {
    }

    private static Outcome run(final OneInputOperator<Event, WindowResult<String, List<Long>>> operator, final List<Event> arrivals, final long bound)
        throws Exception
    {
        final var h = OneInputOperatorHarness.forKeyedOperator(operator, Event::key);
        long maxSeen = Long.MIN_VALUE;
        for (final Event event : arrivals)
        {
            h.processElement(event, event.time());
            maxSeen = Math.max(maxSeen, event.time());
            h.processWatermark(maxSeen - bound - 1);
        }
        h.processWatermark(Long.MAX_VALUE);
        final List<String> results = new ArrayList<>(h.takeOutput().stream().map(Object::toString).toList());
        results.sort(null);
        final List<String> late = new ArrayList<>(h.sideOutput(LATE).stream().map(Object::toString).toList());
        late.sort(null);
        return new Outcome(results, late, h.metrics().lateRecordsDropped(), h.metrics().windowFirings());
    }

    @Property(tries = 150)
    void slicesGiveExactlyWhatTheWindowOperatorGives(
        @ForAll final long seed,
        @ForAll @IntRange(min = 1, max = 300) final int count,
        @ForAll @LongRange(min = 0, max = 3_000) final long bound,
        @ForAll @LongRange(min = 200, max = 5_000) final long slide,
        @ForAll @IntRange(min = 1, max = 6) final int slidesPerWindow,
        @ForAll final boolean sideOutput)
    {
        final Random random = new Random(seed);
        final List<Event> events = new ArrayList<>();
        final List<Long> arrival = new ArrayList<>();
        for (int i = 0; i < count; i++)
        {
            final long time = random.nextInt(60_000) - 10_000;
            events.add(new Event("k" + random.nextInt(3), time, random.nextInt(100)));
            // Up to three times the bound plus four seconds late: plenty of late records.
            arrival.add(time + (long)(random.nextDouble() * (3 * bound + 4_000)));
        }
        final List<Integer> order = new ArrayList<>();
        for (int i = 0; i < count; i++)
        {
            order.add(i);
        }
        order.sort(Comparator.comparing(arrival::get));
        final List<Event> arrivals = order.stream().map(events::get).toList();

        final WindowAssigner<Object, TimeWindow> assigner = slidesPerWindow == 1
            ? TumblingEventTimeWindows.of(Duration.ofMillis(slide))
            : SlidingEventTimeWindows.of(Duration.ofMillis(slide * slidesPerWindow), Duration.ofMillis(slide));
        try
        {
            final Outcome general = run(builder(assigner, sideOutput).aggregate(new WindowProperties.CountAndSum()), arrivals, bound);
            final Outcome sliced = run(builder(assigner, sideOutput).aggregateInSlices(new WindowProperties.CountAndSum()), arrivals, bound);
            assertEquals(general, sliced);
        }
        catch (final Exception e)
        {
            throw new AssertionError(e);
        }
    }

    @Test
    void aHoppingWindowIsTheMergeOfItsSlicesAndLeavesNothingBehind() throws Exception
    {
        final var operator = builder(SlidingEventTimeWindows.of(Duration.ofSeconds(30), Duration.ofSeconds(10)), false)
            .aggregateInSlices(AggregateFunctions.sumLong(Event::value));
        final var h = OneInputOperatorHarness.forKeyedOperator(operator, Event::key);
        h.processElement(new Event("a", 1_000, 1), 1_000);
        h.processElement(new Event("a", 15_000, 10), 15_000);
        h.processElement(new Event("a", 25_000, 100), 25_000);
        h.processWatermark(29_999);
        assertEquals(List.of(
            new WindowResult<>("a", -20_000L, 10_000L, 1L, false),
            new WindowResult<>("a", -10_000L, 20_000L, 11L, false),
            new WindowResult<>("a", 0L, 30_000L, 111L, false)), h.takeOutput());
        h.processWatermark(Long.MAX_VALUE);
        assertEquals(List.of(new WindowResult<>("a", 10_000L, 40_000L, 110L, false), new WindowResult<>("a", 20_000L, 50_000L, 100L, false)), h.takeOutput());
        assertEquals(0, operator.keyedStateBackend().entryCount(WindowOperator.CONTENTS));
        assertEquals(0, operator.timerService().eventTimeTimerCount());
    }

    @Test
    void aRecordIsLateOnlyWhenItsLastWindowHasFired() throws Exception
    {
        final var operator = builder(SlidingEventTimeWindows.of(Duration.ofSeconds(30), Duration.ofSeconds(10)), true)
            .aggregateInSlices(AggregateFunctions.<Event>count());
        final var h = OneInputOperatorHarness.forKeyedOperator(operator, Event::key);
        h.processWatermark(25_000);
        h.processElement(Event.of("a", 1_000), 1_000);
        h.processElement(Event.of("a", -5_000), -5_000);
        assertEquals(List.of(Event.of("a", -5_000)), h.sideOutput(LATE), "[-10 s, 20 s) has fired; [0, 30 s) has not");
        h.processWatermark(Long.MAX_VALUE);
        assertEquals(List.of(new WindowResult<>("a", 0L, 30_000L, 1L, false)), h.takeOutput());
    }

    @Test
    void snapshotAndRestoreContinueMidway() throws Exception
    {
        final var first = OneInputOperatorHarness.forKeyedOperator(
            builder(SlidingEventTimeWindows.of(Duration.ofSeconds(20), Duration.ofSeconds(10)), false).aggregateInSlices(AggregateFunctions.<Event>count()), Event::key);
        first.processElement(Event.of("a", 5_000), 5_000);
        first.processElement(Event.of("a", 12_000), 12_000);
        first.processWatermark(9_999);
        final byte[] snapshot = first.snapshot();
        final var restored = OneInputOperatorHarness.forKeyedOperator(
            builder(SlidingEventTimeWindows.of(Duration.ofSeconds(20), Duration.ofSeconds(10)), false).aggregateInSlices(AggregateFunctions.<Event>count()), Event::key);
        restored.restore(snapshot);
        restored.processElement(Event.of("a", 15_000), 15_000);
        restored.processWatermark(Long.MAX_VALUE);
        assertEquals(List.of(new WindowResult<>("a", 0L, 20_000L, 3L, false), new WindowResult<>("a", 10_000L, 30_000L, 2L, false)), restored.takeOutput());
    }

    @Test
    void slicesApplyOnlyWhereTheyGiveTheSameAnswer()
    {
        final var sliding = SlidingEventTimeWindows.of(Duration.ofSeconds(30), Duration.ofSeconds(10));
        assertTrue(new WindowOperatorBuilder<String, Event, TimeWindow>(sliding).canAggregateInSlices());
        assertFalse(new WindowOperatorBuilder<String, Event, TimeWindow>(sliding).allowedLateness(Duration.ofSeconds(1)).canAggregateInSlices());
        assertFalse(new WindowOperatorBuilder<String, Event, TimeWindow>(sliding).trigger(CountTrigger.of(2)).canAggregateInSlices());
        assertFalse(new WindowOperatorBuilder<String, Event, TimeWindow>(sliding).lateDataPolicy(LateDataPolicy.lateUpdate(Duration.ofSeconds(1))).canAggregateInSlices());
        assertFalse(new WindowOperatorBuilder<String, Event, TimeWindow>(SlidingEventTimeWindows.of(Duration.ofSeconds(25), Duration.ofSeconds(10))).canAggregateInSlices());
        assertFalse(new WindowOperatorBuilder<String, Event, TimeWindow>(EventTimeSessionWindows.withGap(Duration.ofSeconds(1))).canAggregateInSlices());
        assertThrows(IllegalStateException.class, () -> new WindowOperatorBuilder<String, Event, TimeWindow>(TumblingProcessingTimeWindows.of(Duration.ofSeconds(1)))
            .aggregateInSlices(AggregateFunctions.<Event>count()));
    }
}
