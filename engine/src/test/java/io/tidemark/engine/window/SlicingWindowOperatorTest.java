package io.tidemark.engine.window;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemark.engine.functions.AggregateFunctions;
import io.tidemark.engine.functions.KeySelector;
import io.tidemark.engine.functions.OutputTag;
import io.tidemark.engine.operator.OneInputOperator;
import io.tidemark.engine.testing.OneInputOperatorHarness;
import java.io.IOException;
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
    private static final OutputTag<Event> LATE = OperatorRuns.LATE;

    private static final KeySelector<Event, Long> LONG_KEY = e -> (long)e.key().hashCode();

    private static <K> WindowOperatorBuilder<K, Event, TimeWindow> builder(final WindowAssigner<Object, TimeWindow> assigner, final boolean sideOutput)
    {
        final WindowOperatorBuilder<K, Event, TimeWindow> builder = new WindowOperatorBuilder<>(assigner);
        return sideOutput ? builder.sideOutputLateData(LATE) : builder;
    }

    private static <K> WindowOperatorBuilder<K, Event, TimeWindow> builder(final WindowAssigner<Object, TimeWindow> assigner, final long lateness,
        final LateDataPolicy policy)
    {
        return new WindowOperatorBuilder<K, Event, TimeWindow>(assigner).allowedLateness(Duration.ofMillis(lateness)).lateDataPolicy(policy);
    }

    @Property(tries = 200)
    void slicesGiveExactlyWhatTheWindowOperatorGives(
        @ForAll final long seed,
        @ForAll @IntRange(min = 1, max = 300) final int count,
        @ForAll @LongRange(min = 0, max = 3_000) final long bound,
        @ForAll @LongRange(min = 200, max = 5_000) final long slide,
        @ForAll @IntRange(min = 1, max = 6) final int slidesPerWindow,
        @ForAll final boolean longKeys,
        @ForAll @IntRange(min = 0, max = 2) final int policyKind,
        @ForAll @LongRange(min = 0, max = 6_000) final long lateness,
        @ForAll @LongRange(min = 1, max = 4_000) final long retention,
        @ForAll final WindowProperties.Aggregate aggregate,
        @ForAll @IntRange(min = -1, max = 300) final int snapshotAt) throws Exception
    {
        // Up to three times the bound plus four seconds late: plenty of late records, some
        // within the allowed lateness (each fires its windows again), some late updates, some
        // too late. The slicing operator may be snapshotted and restored midway; the general
        // one runs straight through.
        final List<Event> arrivals = OperatorRuns.outOfOrder(seed, count, 3, bound);
        final WindowAssigner<Object, TimeWindow> assigner = slidesPerWindow == 1
            ? TumblingEventTimeWindows.of(Duration.ofMillis(slide))
            : SlidingEventTimeWindows.of(Duration.ofMillis(slide * slidesPerWindow), Duration.ofMillis(slide));
        final LateDataPolicy policy = OperatorRuns.policy(policyKind, retention);
        if (longKeys)
        {
            final WindowOperatorBuilder<Long, Event, TimeWindow> builder = builder(assigner, lateness, policy);
            assertEquals(OperatorRuns.run(() -> builder.aggregate(aggregate.newFunction()), LONG_KEY, arrivals, bound, -1),
                OperatorRuns.run(() -> builder.aggregateInSlices(aggregate.newFunction()), LONG_KEY, arrivals, bound, snapshotAt));
        }
        else
        {
            final WindowOperatorBuilder<String, Event, TimeWindow> builder = builder(assigner, lateness, policy);
            assertEquals(OperatorRuns.run(() -> builder.aggregate(aggregate.newFunction()), Event::key, arrivals, bound, -1),
                OperatorRuns.run(() -> builder.aggregateInSlices(aggregate.newFunction()), Event::key, arrivals, bound, snapshotAt));
        }
    }

    @Test
    void aHoppingWindowIsTheMergeOfItsSlicesAndLeavesNothingBehind() throws Exception
    {
        final var operator = SlicingWindowOperatorTest.<String>builder(SlidingEventTimeWindows.of(Duration.ofSeconds(30), Duration.ofSeconds(10)), false)
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
        assertEquals(0, operator.liveSlices());
        assertEquals(0, operator.liveKeys());
    }

    @Test
    void aRecordIsLateOnlyWhenItsLastWindowHasFired() throws Exception
    {
        final var operator = SlicingWindowOperatorTest.<String>builder(SlidingEventTimeWindows.of(Duration.ofSeconds(30), Duration.ofSeconds(10)), true)
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
    void aSnapshotOfTheGeneralWindowOperatorIsRefusedWithAnErrorThatSaysItsFormatIsNotTheSlicingOperators() throws Exception
    {
        // As a tumbling co-group's snapshot taken when it ran on the general operator.
        final WindowOperatorBuilder<String, Event, TimeWindow> builder = builder(TumblingEventTimeWindows.of(Duration.ofSeconds(10)), false);
        final var general = OneInputOperatorHarness.forKeyedOperator(builder.aggregate(AggregateFunctions.<Event>count()), Event::key);
        general.processElement(Event.of("a", 5_000), 5_000);
        general.processElement(Event.of("b", 6_000), 6_000);
        final byte[] snapshot = general.snapshot();
        final var sliced = OneInputOperatorHarness.forKeyedOperator(builder.aggregateInSlices(AggregateFunctions.<Event>count()), Event::key);
        final IOException refused = assertThrows(IOException.class, () -> sliced.restore(snapshot));
        assertTrue(refused.getMessage().contains("not in the format this version of the operator writes"), refused.getMessage());
    }

    @Test
    void snapshotAndRestoreContinueMidway() throws Exception
    {
        final var first = OneInputOperatorHarness.forKeyedOperator(
            SlicingWindowOperatorTest.<String>builder(SlidingEventTimeWindows.of(Duration.ofSeconds(20), Duration.ofSeconds(10)), false).aggregateInSlices(AggregateFunctions.<Event>count()), Event::key);
        first.processElement(Event.of("a", 5_000), 5_000);
        first.processElement(Event.of("a", 12_000), 12_000);
        first.processWatermark(9_999);
        final byte[] snapshot = first.snapshot();
        final var restored = OneInputOperatorHarness.forKeyedOperator(
            SlicingWindowOperatorTest.<String>builder(SlidingEventTimeWindows.of(Duration.ofSeconds(20), Duration.ofSeconds(10)), false).aggregateInSlices(AggregateFunctions.<Event>count()), Event::key);
        restored.restore(snapshot);
        restored.processElement(Event.of("a", 15_000), 15_000);
        restored.processWatermark(Long.MAX_VALUE);
        assertEquals(List.of(new WindowResult<>("a", 0L, 20_000L, 3L, false), new WindowResult<>("a", 10_000L, 30_000L, 2L, false)), restored.takeOutput());
    }

    @Test
    void aFiredWindowTakesLateRecordsUntilItsCleanupTimeAlsoAfterARestore() throws Exception
    {
        // Tumbling 10 s, 5 s of allowed lateness, then 5 s of late updates: [0, 10 s) fires on
        // time at 9.999 s, takes records until the watermark reaches 14.999 s, late updates
        // until 19.999 s, when its slice is discarded.
        final var tumbling = TumblingEventTimeWindows.of(Duration.ofSeconds(10));
        final var first = OneInputOperatorHarness.forKeyedOperator(
            SlicingWindowOperatorTest.<String>builder(tumbling, 5_000, LateDataPolicy.lateUpdate(Duration.ofSeconds(5))).aggregateInSlices(AggregateFunctions.<Event>count()),
            Event::key);
        first.processElement(Event.of("a", 1_000), 1_000);
        first.processElement(Event.of("a", 2_000), 2_000);
        first.processWatermark(9_999);
        assertEquals(List.of(new WindowResult<>("a", 0L, 10_000L, 2L, false)), first.takeOutput());
        final byte[] snapshot = first.snapshot();

        final var operator = SlicingWindowOperatorTest.<String>builder(tumbling, 5_000, LateDataPolicy.lateUpdate(Duration.ofSeconds(5)))
            .aggregateInSlices(AggregateFunctions.<Event>count());
        final var h = OneInputOperatorHarness.forKeyedOperator(operator, Event::key);
        h.restore(snapshot);
        h.processElement(Event.of("a", 3_000), 3_000);
        assertEquals(List.of(new WindowResult<>("a", 0L, 10_000L, 3L, true)), h.takeOutput(), "within the allowed lateness: fires again, an update");
        h.processWatermark(15_000);
        h.processElement(Event.of("a", 4_000), 4_000);
        h.processElement(Event.of("b", 5_000), 5_000);
        assertEquals(List.of(new WindowResult<>("a", 0L, 10_000L, 4L, true), new WindowResult<>("b", 0L, 10_000L, 1L, false)), h.takeOutput(),
            "late updates; b had no result to revise");
        assertEquals(2, h.metrics().lateRecordsUpdated());
        assertEquals(1, operator.liveSlices());
        h.processWatermark(19_999);
        assertEquals(0, operator.liveSlices(), "past its cleanup time the window's slice is discarded");
        assertEquals(0, operator.liveKeys());
        h.processElement(Event.of("a", 6_000), 6_000);
        assertEquals(1, h.metrics().lateRecordsDropped());
        assertEquals(List.of(), h.takeOutput());
    }

    @Test
    void aRestoredWatermarkNeverGoesBackSoARecordBehindItIsLateAsWithoutTheRestart() throws Exception
    {
        // Tumbling 1 s with 5 s of allowed lateness: [9 s, 10 s) fired before the snapshot and
        // keeps its slice; the restarted source's first watermark is behind the restored one.
        final var tumbling = TumblingEventTimeWindows.of(Duration.ofSeconds(1));
        final var first = OneInputOperatorHarness.forKeyedOperator(
            SlicingWindowOperatorTest.<String>builder(tumbling, 5_000, LateDataPolicy.lateUpdate(Duration.ofSeconds(5))).aggregateInSlices(AggregateFunctions.<Event>count()),
            Event::key);
        first.processElement(Event.of("a", 9_100), 9_100);
        first.processWatermark(10_999);
        assertEquals(List.of(new WindowResult<>("a", 9_000L, 10_000L, 1L, false)), first.takeOutput());

        final var restored = OneInputOperatorHarness.forKeyedOperator(
            SlicingWindowOperatorTest.<String>builder(tumbling, 5_000, LateDataPolicy.lateUpdate(Duration.ofSeconds(5))).aggregateInSlices(AggregateFunctions.<Event>count()),
            Event::key);
        restored.restore(first.snapshot());
        restored.processWatermark(5_000);
        assertEquals(List.of(), restored.watermarks(), "behind the restored watermark: neither taken nor forwarded");
        restored.processElement(Event.of("a", 9_200), 9_200);
        assertEquals(List.of(new WindowResult<>("a", 9_000L, 10_000L, 2L, true)), restored.takeOutput(), "late against 10,999: fires again at once");
        restored.processWatermark(20_000);
        assertEquals(List.of(), restored.takeOutput(), "nothing left to fire");
        assertEquals(List.of(20_000L), restored.watermarks());
    }

    @Test
    void aHoppingRecordFiresAgainOnlyTheWindowsStillWithinTheAllowedLateness() throws Exception
    {
        final var operator = SlicingWindowOperatorTest.<String>builder(SlidingEventTimeWindows.of(Duration.ofSeconds(30), Duration.ofSeconds(10)), 10_000,
            LateDataPolicy.sideOutput(LATE)).aggregateInSlices(AggregateFunctions.<Event>count());
        final var h = OneInputOperatorHarness.forKeyedOperator(operator, Event::key);
        h.processElement(Event.of("a", 5_000), 5_000);
        h.processWatermark(29_999);
        h.takeOutput();
        h.processWatermark(25_000 + 10_000);
        // [-20 s, 10 s) and [-10 s, 20 s) are past their lateness; [0, 30 s) is not.
        h.processElement(Event.of("a", 6_000), 6_000);
        assertEquals(List.of(new WindowResult<>("a", 0L, 30_000L, 2L, true)), h.takeOutput());
        assertEquals(2, h.metrics().lateWindowsMissed());
        assertEquals(List.of(), h.sideOutput(LATE));
        h.processWatermark(39_999);
        h.processElement(Event.of("a", 7_000), 7_000);
        assertEquals(List.of(Event.of("a", 7_000)), h.sideOutput(LATE), "every window of the record is past its lateness");
        assertEquals(0, operator.liveSlices());
    }

    @Test
    void slicesApplyOnlyWhereTheyGiveTheSameAnswer()
    {
        final var sliding = SlidingEventTimeWindows.of(Duration.ofSeconds(30), Duration.ofSeconds(10));
        assertTrue(new WindowOperatorBuilder<String, Event, TimeWindow>(sliding).canAggregateInSlices());
        assertTrue(new WindowOperatorBuilder<String, Event, TimeWindow>(sliding).allowedLateness(Duration.ofSeconds(1)).canAggregateInSlices());
        assertFalse(new WindowOperatorBuilder<String, Event, TimeWindow>(sliding).trigger(CountTrigger.of(2)).canAggregateInSlices());
        assertTrue(new WindowOperatorBuilder<String, Event, TimeWindow>(sliding).lateDataPolicy(LateDataPolicy.lateUpdate(Duration.ofSeconds(1))).canAggregateInSlices());
        assertInstanceOf(SlicingWindowOperator.class, new WindowOperatorBuilder<String, Event, TimeWindow>(TumblingEventTimeWindows.of(Duration.ofSeconds(1)))
            .allowedLateness(Duration.ofSeconds(5)).lateDataPolicy(LateDataPolicy.lateUpdate(Duration.ofSeconds(5))).aggregateWithBestOperator(AggregateFunctions.<Event>count()));
        assertFalse(new WindowOperatorBuilder<String, Event, TimeWindow>(SlidingEventTimeWindows.of(Duration.ofSeconds(25), Duration.ofSeconds(10))).canAggregateInSlices());
        assertFalse(new WindowOperatorBuilder<String, Event, TimeWindow>(EventTimeSessionWindows.withGap(Duration.ofSeconds(1))).canAggregateInSlices());
        assertInstanceOf(SlicingWindowOperator.class, new WindowOperatorBuilder<String, Event, TimeWindow>(TumblingProcessingTimeWindows.of(Duration.ofSeconds(1)))
            .aggregateWithBestOperator(AggregateFunctions.<Event>count()));
        assertFalse(new WindowOperatorBuilder<String, Event, TimeWindow>(TumblingProcessingTimeWindows.of(Duration.ofSeconds(1))).trigger(CountTrigger.of(2))
            .canAggregateInSlices());
        assertThrows(IllegalStateException.class, () -> new WindowOperatorBuilder<String, Event, TimeWindow>(
            SlidingProcessingTimeWindows.of(Duration.ofSeconds(2), Duration.ofSeconds(1))).aggregateInSlices(AggregateFunctions.<Event>count()));
    }

    /**
     * Processing time: the same windows as the general operator, step by step of the clock,
     * through a snapshot and restore. The clock never stands on a window's last millisecond,
     * where the two differ by design (the general operator fires there, the slicing one at
     * the end).
     */
    @Property(tries = 100)
    void processingTimeSlicesGiveWhatTheWindowOperatorGives(
        @ForAll final long seed,
        @ForAll @IntRange(min = 1, max = 60) final int steps,
        @ForAll @LongRange(min = 2, max = 3_000) final long size,
        @ForAll final WindowProperties.Aggregate aggregate,
        @ForAll @IntRange(min = -1, max = 60) final int snapshotAt) throws Exception
    {
        final var builder = new WindowOperatorBuilder<String, Event, TimeWindow>(TumblingProcessingTimeWindows.of(Duration.ofMillis(size)));
        final var general = OneInputOperatorHarness.forKeyedOperator(builder.aggregate(aggregate.newFunction()), Event::key);
        var sliced = OneInputOperatorHarness.forKeyedOperator(builder.aggregateInSlices(aggregate.newFunction()), Event::key);
        final Random random = new Random(seed);
        long now = random.nextInt(10_000);
        for (int step = 0; step < steps; step++)
        {
            now += random.nextInt((int)(3 * size));
            if (Math.floorMod(now, size) == size - 1)
            {
                now++;
            }
            general.setProcessingTime(now);
            sliced.setProcessingTime(now);
            for (int i = random.nextInt(6); i > 0; i--)
            {
                // Event time plays no part: a random one, and watermarks that only pass through.
                final Event event = new Event("k" + random.nextInt(4), random.nextInt(100_000), random.nextInt(100));
                general.processElement(event, event.time());
                sliced.processElement(event, event.time());
            }
            general.processWatermark(now - 50_000);
            sliced.processWatermark(now - 50_000);
            assertEquals(now - 50_000, sliced.watermarks().get(sliced.watermarks().size() - 1), "watermarks pass through");
            assertEquals(sorted(general.takeOutput()), sorted(sliced.takeOutput()), "at processing time " + now);
            if (step == snapshotAt)
            {
                final byte[] snapshot = sliced.snapshot();
                sliced = OneInputOperatorHarness.forKeyedOperator(builder.aggregateInSlices(aggregate.newFunction()), Event::key);
                sliced.setProcessingTime(now);
                sliced.restore(snapshot);
            }
        }
        sliced.processWatermark(Long.MAX_VALUE);
        sliced.endInput();
        assertEquals(List.of(), sliced.takeOutput(), "windows still open at the end of input wait for a time that never comes");
    }

    private static List<String> sorted(final List<?> results)
    {
        return results.stream().map(String::valueOf).sorted().toList();
    }

    @Test
    void longAggregatesAreKeptInlineAndKeysAreFreedWithTheirLastSlice() throws Exception
    {
        final var hopping = SlidingEventTimeWindows.of(Duration.ofSeconds(30), Duration.ofSeconds(10));
        assertTrue(SlicingWindowOperatorTest.<Long>builder(hopping, false).aggregateInSlices(AggregateFunctions.<Event>count()).accumulatesInline());
        assertFalse(SlicingWindowOperatorTest.<Long>builder(hopping, false).aggregateInSlices(new BatchWindows.CountAndSum()).accumulatesInline());
        final var operator = SlicingWindowOperatorTest.<Long>builder(hopping, false).aggregateInSlices(new WindowProperties.MaxValue());
        final var h = OneInputOperatorHarness.forKeyedOperator(operator, LONG_KEY);
        h.processElement(new Event("a", 1_000, -7), 1_000);
        h.processElement(new Event("b", 2_000, -1), 2_000);
        h.processElement(new Event("a", 1_000_000, -2), 1_000_000);
        assertEquals(2, operator.liveSlices(), "a slice far ahead of the others is kept beside them");
        h.processWatermark(29_999);
        assertEquals(6, h.takeOutput().size(), "a and b, each in [-20 s, 10 s), [-10 s, 20 s) and [0, 30 s)");
        h.processWatermark(39_999);
        assertEquals(1, operator.liveSlices());
        assertEquals(1, operator.liveKeys(), "b has no slice left");
        h.processWatermark(Long.MAX_VALUE);
        assertEquals(List.of(
            new WindowResult<>((long)"a".hashCode(), 980_000L, 1_010_000L, -2L, false),
            new WindowResult<>((long)"a".hashCode(), 990_000L, 1_020_000L, -2L, false),
            new WindowResult<>((long)"a".hashCode(), 1_000_000L, 1_030_000L, -2L, false)), h.takeOutput());
        assertEquals(0, operator.liveSlices());
        assertEquals(0, operator.liveKeys());
    }
}
