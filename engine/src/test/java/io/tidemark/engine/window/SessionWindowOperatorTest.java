package io.tidemark.engine.window;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemark.engine.functions.AggregateFunctions;
import io.tidemark.engine.functions.Collector;
import io.tidemark.engine.functions.KeySelector;
import io.tidemark.engine.functions.OutputTag;
import io.tidemark.engine.operator.OneInputOperator;
import io.tidemark.engine.testing.OneInputOperatorHarness;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class SessionWindowOperatorTest
{
    private static final OutputTag<Event> LATE = OperatorRuns.LATE;
    private static final KeySelector<Event, Long> LONG_KEY = e -> (long)e.key().hashCode();

    private static <K> WindowOperatorBuilder<K, Event, TimeWindow> builder(final long gap, final boolean sideOutput)
    {
        final WindowOperatorBuilder<K, Event, TimeWindow> builder = new WindowOperatorBuilder<>(EventTimeSessionWindows.withGap(Duration.ofMillis(gap)));
        return sideOutput ? builder.sideOutputLateData(LATE) : builder;
    }

    private static <K> WindowOperatorBuilder<K, Event, TimeWindow> builder(final long gap, final long lateness, final LateDataPolicy policy)
    {
        return new WindowOperatorBuilder<K, Event, TimeWindow>(EventTimeSessionWindows.withGap(Duration.ofMillis(gap)))
            .allowedLateness(Duration.ofMillis(lateness)).lateDataPolicy(policy);
    }

    @Property(tries = 250)
    void sessionsGiveExactlyWhatTheWindowOperatorGives(
        @ForAll final long seed,
        @ForAll @IntRange(min = 1, max = 300) final int count,
        @ForAll @LongRange(min = 0, max = 3_000) final long bound,
        @ForAll @LongRange(min = 1, max = 5_000) final long gap,
        @ForAll @IntRange(min = 1, max = 5) final int keys,
        @ForAll final boolean longKeys,
        @ForAll @IntRange(min = 0, max = 2) final int policyKind,
        @ForAll @LongRange(min = 0, max = 6_000) final long lateness,
        @ForAll @LongRange(min = 1, max = 4_000) final long retention,
        @ForAll final WindowProperties.Aggregate aggregate,
        @ForAll @IntRange(min = -1, max = 300) final int snapshotAt) throws Exception
    {
        // Up to three times the bound plus four seconds late: late records, records that
        // bridge two open sessions, records that land in or extend fired sessions within the
        // allowed lateness or as late updates. The session operator may be snapshotted and
        // restored midway; the general one runs straight through.
        final List<Event> arrivals = OperatorRuns.outOfOrder(seed, count, keys, bound);
        final LateDataPolicy policy = OperatorRuns.policy(policyKind, retention);
        if (longKeys)
        {
            final WindowOperatorBuilder<Long, Event, TimeWindow> builder = builder(gap, lateness, policy);
            assertEquals(OperatorRuns.run(() -> builder.aggregate(aggregate.newFunction()), LONG_KEY, arrivals, bound, -1),
                OperatorRuns.run(() -> builder.aggregateInSessions(aggregate.newFunction()), LONG_KEY, arrivals, bound, snapshotAt));
        }
        else
        {
            final WindowOperatorBuilder<String, Event, TimeWindow> builder = builder(gap, lateness, policy);
            assertEquals(OperatorRuns.run(() -> builder.aggregate(aggregate.newFunction()), Event::key, arrivals, bound, -1),
                OperatorRuns.run(() -> builder.aggregateInSessions(aggregate.newFunction()), Event::key, arrivals, bound, snapshotAt));
        }
    }

    @Test
    void aRecordThatBridgesTwoSessionsMergesThemAndFiredSessionsLeaveNothingBehind() throws Exception
    {
        final var operator = SessionWindowOperatorTest.<String>builder(10_000, false).aggregateInSessions(AggregateFunctions.<Event>count());
        final var h = OneInputOperatorHarness.forKeyedOperator(operator, Event::key);
        h.processElement(Event.of("a", 0), 0);
        h.processElement(Event.of("a", 15_000), 15_000);
        h.processElement(Event.of("b", 5_000), 5_000);
        assertEquals(3, operator.openSessions());
        h.processElement(Event.of("a", 10_000), 10_000);
        assertEquals(2, operator.openSessions(), "[10 s, 20 s) touches [0, 10 s) and overlaps [15 s, 25 s): one session for a");
        h.processWatermark(14_999);
        assertEquals(List.of(new WindowResult<>("b", 5_000L, 15_000L, 1L, false)), h.takeOutput());
        h.processWatermark(Long.MAX_VALUE);
        assertEquals(List.of(new WindowResult<>("a", 0L, 25_000L, 3L, false)), h.takeOutput());
        assertEquals(0, operator.openSessions());
    }

    @Test
    void aRecordIsLateOnlyWhenItTouchesNoOpenSessionAndItsOwnSessionHasEnded() throws Exception
    {
        final var operator = SessionWindowOperatorTest.<String>builder(10_000, true).aggregateInSessions(AggregateFunctions.<Event>count());
        final var h = OneInputOperatorHarness.forKeyedOperator(operator, Event::key);
        h.processElement(Event.of("a", 20_000), 20_000);
        h.processWatermark(25_000);
        h.processElement(Event.of("a", 12_000), 12_000);
        h.processElement(Event.of("a", 1_000), 1_000);
        assertEquals(List.of(Event.of("a", 1_000)), h.sideOutput(LATE), "[12 s, 22 s) touches the open [20 s, 30 s); [1 s, 11 s) touches nothing and has ended");
        h.processWatermark(Long.MAX_VALUE);
        assertEquals(List.of(new WindowResult<>("a", 12_000L, 30_000L, 2L, false)), h.takeOutput());
        assertEquals(1, h.metrics().lateRecordsToSideOutput());
    }

    @Test
    void anOnTimeRecordAtTheEndOfAFiredSessionRetractsItAndTheMergedSessionFiresAsANewWindow() throws Exception
    {
        final WindowOperatorBuilder<String, Event, TimeWindow> builder = builder(10_000, true);
        final List<Supplier<OneInputOperator<Event, WindowResult<String, Long>>>> operators = List.of(
            () -> builder.aggregateInSessions(AggregateFunctions.<Event>count()), () -> builder.aggregate(AggregateFunctions.<Event>count()));
        for (final Supplier<OneInputOperator<Event, WindowResult<String, Long>>> operator : operators)
        {
            final var h = OneInputOperatorHarness.forKeyedOperator(operator.get(), Event::key);
            h.processElement(Event.of("a", 0), 0);
            h.processWatermark(9_999);
            assertEquals(List.of(new WindowResult<>("a", 0L, 10_000L, 1L, false)), h.takeOutput());
            h.processElement(new Event("a", 0, 2), 0);
            assertEquals(List.of(new Event("a", 0, 2)), h.sideOutput(LATE), "inside the fired session: late");
            h.processElement(Event.of("a", 10_000), 10_000);
            assertEquals(List.of(WindowResult.retraction("a", new TimeWindow(0, 10_000))), h.takeOutput(),
                "10 s is after the watermark, and its session touches [0, 10 s)");
            h.processWatermark(19_999);
            assertEquals(List.of(new WindowResult<>("a", 0L, 20_000L, 2L, false)), h.takeOutput(), "the merged session is new, not an update");
            h.processWatermark(20_000);
            h.processElement(Event.of("a", 20_000), 20_000);
            h.processWatermark(Long.MAX_VALUE);
            assertEquals(List.of(new WindowResult<>("a", 20_000L, 30_000L, 1L, false)), h.takeOutput(),
                "once the watermark passed its end, a fired session is gone");
        }
    }

    @Test
    void snapshotAndRestoreContinueMidwayAndKeepOnlyOwnedKeyGroups() throws Exception
    {
        final var first = OneInputOperatorHarness.forKeyedOperator(SessionWindowOperatorTest.<Long>builder(10_000, false).aggregateInSessions(AggregateFunctions.<Event>count()), LONG_KEY);
        first.processElement(Event.of("a", 0), 0);
        first.processElement(Event.of("b", 3_000), 3_000);
        first.processElement(Event.of("a", 30_000), 30_000);
        first.processWatermark(9_999);
        assertEquals(List.of(new WindowResult<>((long)"a".hashCode(), 0L, 10_000L, 1L, false)), first.takeOutput());
        final byte[] snapshot = first.snapshot();
        final var restored = OneInputOperatorHarness.forKeyedOperator(SessionWindowOperatorTest.<Long>builder(10_000, false).aggregateInSessions(AggregateFunctions.<Event>count()), LONG_KEY);
        restored.restore(snapshot);
        restored.processElement(Event.of("a", 35_000), 35_000);
        restored.processElement(Event.of("b", 1_000), 1_000);
        assertEquals(0, restored.metrics().lateRecordsDropped(), "the watermark was restored too; [1 s, 11 s) is not late");
        restored.processWatermark(Long.MAX_VALUE);
        final List<WindowResult<Long, Long>> results = new ArrayList<>(restored.takeOutput());
        results.sort(Comparator.comparing(WindowResult::windowStart));
        assertEquals(List.of(new WindowResult<>((long)"b".hashCode(), 1_000L, 13_000L, 2L, false), new WindowResult<>((long)"a".hashCode(), 30_000L, 45_000L, 2L, false)), results);
    }

    @Test
    void aFiredSessionTakesLateRecordsUntilItIsDiscardedAlsoAfterARestore() throws Exception
    {
        // Gap 10 s, 5 s of allowed lateness: a fired session is kept until the watermark
        // reaches its end plus 5 s, marked fired also in a snapshot.
        final var first = OneInputOperatorHarness.forKeyedOperator(
            SessionWindowOperatorTest.<String>builder(10_000, 5_000, LateDataPolicy.sideOutput(LATE)).aggregateInSessions(AggregateFunctions.<Event>count()),
            Event::key);
        first.processElement(Event.of("a", 0), 0);
        first.processWatermark(9_999);
        assertEquals(List.of(new WindowResult<>("a", 0L, 10_000L, 1L, false)), first.takeOutput());
        final byte[] snapshot = first.snapshot();

        final var operator = SessionWindowOperatorTest.<String>builder(10_000, 5_000, LateDataPolicy.sideOutput(LATE))
            .aggregateInSessions(AggregateFunctions.<Event>count());
        final var h = OneInputOperatorHarness.forKeyedOperator(operator, Event::key);
        h.restore(snapshot);
        h.processElement(Event.of("a", 0), 0);
        assertEquals(List.of(new WindowResult<>("a", 0L, 10_000L, 2L, true)), h.takeOutput(), "within the session and its lateness: fires again, an update");
        h.processElement(Event.of("a", 8_000), 8_000);
        assertEquals(List.of(WindowResult.retraction("a", new TimeWindow(0, 10_000))), h.takeOutput(),
            "[8 s, 18 s) extends the fired session into a new window, due at 17.999 s");
        h.processWatermark(17_999);
        assertEquals(List.of(new WindowResult<>("a", 0L, 18_000L, 3L, false)), h.takeOutput());
        h.processElement(Event.of("a", 1_000), 1_000);
        assertEquals(List.of(new WindowResult<>("a", 0L, 18_000L, 4L, true)), h.takeOutput());
        h.processWatermark(23_000);
        assertEquals(0, operator.openSessions(), "discarded at its end plus the lateness");
        h.processElement(Event.of("a", 2_000), 2_000);
        assertEquals(List.of(Event.of("a", 2_000)), h.sideOutput(LATE));
        assertEquals(List.of(), h.takeOutput());
    }

    @Test
    void aRestoredWatermarkNeverGoesBackSoARecordBehindItIsLateAsWithoutTheRestart() throws Exception
    {
        // Gap 1 s, 5 s of allowed lateness: [9 s, 10 s) fired before the snapshot and is kept;
        // the restarted source's first watermark is behind the restored one.
        final var first = OneInputOperatorHarness.forKeyedOperator(
            SessionWindowOperatorTest.<String>builder(1_000, 5_000, LateDataPolicy.drop()).aggregateInSessions(AggregateFunctions.<Event>count()), Event::key);
        first.processElement(Event.of("a", 9_000), 9_000);
        first.processWatermark(10_999);
        assertEquals(List.of(new WindowResult<>("a", 9_000L, 10_000L, 1L, false)), first.takeOutput());

        final var restored = OneInputOperatorHarness.forKeyedOperator(
            SessionWindowOperatorTest.<String>builder(1_000, 5_000, LateDataPolicy.drop()).aggregateInSessions(AggregateFunctions.<Event>count()), Event::key);
        restored.restore(first.snapshot());
        restored.processWatermark(5_000);
        assertEquals(List.of(), restored.watermarks(), "behind the restored watermark: neither taken nor forwarded");
        restored.processElement(Event.of("a", 9_100), 9_100);
        assertEquals(List.of(WindowResult.retraction("a", new TimeWindow(9_000, 10_000)), new WindowResult<>("a", 9_000L, 10_100L, 2L, false)), restored.takeOutput(),
            "late against 10,999: the session it extends is due at once");
        restored.processWatermark(20_000);
        assertEquals(List.of(), restored.takeOutput(), "nothing left to fire");
    }

    @Test
    void theApiPicksTheSessionOperatorOnlyWhereItGivesTheSameResults()
    {
        assertInstanceOf(SessionWindowOperator.class, SessionWindowOperatorTest.<String>builder(1_000, true).aggregateWithBestOperator(AggregateFunctions.<Event>count()));
        assertInstanceOf(SlicingWindowOperator.class, new WindowOperatorBuilder<String, Event, TimeWindow>(TumblingEventTimeWindows.of(Duration.ofSeconds(1)))
            .aggregateWithBestOperator(AggregateFunctions.<Event>count()));
        final var lateness = SessionWindowOperatorTest.<String>builder(1_000, false).allowedLateness(Duration.ofSeconds(5))
            .lateDataPolicy(LateDataPolicy.lateUpdate(Duration.ofSeconds(5)));
        assertTrue(lateness.canAggregateInSessions());
        assertInstanceOf(SessionWindowOperator.class, lateness.aggregateWithBestOperator(AggregateFunctions.<Event>count()));
        final var counting = SessionWindowOperatorTest.<String>builder(1_000, false).trigger(CountTrigger.of(2));
        assertFalse(counting.canAggregateInSessions());
        assertThrows(IllegalStateException.class, () -> counting.aggregateInSessions(AggregateFunctions.<Event>count()));
        assertTrue(SessionWindowOperatorTest.<String>builder(1_000, false).canAggregateInSessions());
    }

    @Test
    void aFiredSessionOfAFunctionThatCannotRetractIsFinalOnBothOperators() throws Exception
    {
        final ProcessWindowFunction<Long, String, String, TimeWindow> cannotRetract = new ProcessWindowFunction<>()
        {
            @Override
            public void process(final String key, final Context<TimeWindow> context, final Iterable<Long> counts, final Collector<String> out)
            {
                out.collect(context.window().start() + "-" + context.window().end() + ":" + counts.iterator().next());
            }

            @Override
            public boolean canRetract()
            {
                return false;
            }
        };
        final List<OneInputOperator<Event, String>> operators = List.of(
            SessionWindowOperatorTest.<String>builder(10, false).aggregateInSessions(AggregateFunctions.<Event>count(), cannotRetract),
            SessionWindowOperatorTest.<String>builder(10, false).aggregate(AggregateFunctions.<Event>count(), cannotRetract));
        for (final OneInputOperator<Event, String> operator : operators)
        {
            final var h = OneInputOperatorHarness.forKeyedOperator(operator, Event::key);
            h.processElement(Event.of("a", 0), 0);
            h.processWatermark(9);
            assertEquals(List.of("0-10:1"), h.takeOutput());
            h.processElement(Event.of("a", 10), 10);
            h.processWatermark(Long.MAX_VALUE);
            assertEquals(List.of("10-20:1"), h.takeOutput(), "the record at the fired session's end opens a session of its own: " + operator.getClass().getSimpleName());
        }
    }

    @Test
    void longAggregatesAreKeptInlineOtherAggregatesAsObjects() throws Exception
    {
        assertTrue(SessionWindowOperatorTest.<Long>builder(1_000, false).aggregateInSessions(AggregateFunctions.<Event>count()).accumulatesInline());
        assertTrue(SessionWindowOperatorTest.<Long>builder(1_000, false).aggregateInSessions(new WindowProperties.MaxValue()).accumulatesInline());
        assertFalse(SessionWindowOperatorTest.<Long>builder(1_000, false).aggregateInSessions(new BatchWindows.CountAndSum()).accumulatesInline());
        final var operator = SessionWindowOperatorTest.<Long>builder(10_000, false).aggregateInSessions(new WindowProperties.MaxValue());
        final var h = OneInputOperatorHarness.forKeyedOperator(operator, LONG_KEY);
        h.processElement(new Event("a", 0, -7), 0);
        h.processElement(new Event("a", 5_000, -3), 5_000);
        h.processElement(new Event("a", 25_000, -9), 25_000);
        h.processElement(new Event("a", 15_000, -5), 15_000);
        h.processWatermark(Long.MAX_VALUE);
        assertEquals(List.of(new WindowResult<>((long)"a".hashCode(), 0L, 35_000L, -3L, false)), h.takeOutput(),
            "the record at 15 s bridges [0, 15 s) and [25 s, 35 s); a maximum starts from its zero, not from 0");
        assertEquals(0, operator.openSessions());
    }
}
