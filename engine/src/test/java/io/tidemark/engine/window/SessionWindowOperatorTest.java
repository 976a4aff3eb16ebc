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

class SessionWindowOperatorTest
{
    private static final OutputTag<Event> LATE = new OutputTag<>("late");
    private static final KeySelector<Event, Long> LONG_KEY = e -> (long)e.key().hashCode();

    private static <K> WindowOperatorBuilder<K, Event, TimeWindow> builder(final long gap, final boolean sideOutput)
    {
        final WindowOperatorBuilder<K, Event, TimeWindow> builder = new WindowOperatorBuilder<>(EventTimeSessionWindows.withGap(Duration.ofMillis(gap)));
        return sideOutput ? builder.sideOutputLateData(LATE) : builder;
    }

    /** What an operator made of a stream: its results and late records, in a comparable form. */
    record Outcome(List<String> results, List<String> late, long dropped, long firings)
    {
    }

    private static <K> Outcome run(final OneInputOperator<Event, WindowResult<K, List<Long>>> operator, final KeySelector<Event, K> keys,
        final List<Event> arrivals, final long bound) throws Exception
    {
        final var h = OneInputOperatorHarness.forKeyedOperator(operator, keys);
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

    @Property(tries = 200)
    void sessionsGiveExactlyWhatTheWindowOperatorGives(
        @ForAll final long seed,
        @ForAll @IntRange(min = 1, max = 300) final int count,
        @ForAll @LongRange(min = 0, max = 3_000) final long bound,
        @ForAll @LongRange(min = 1, max = 5_000) final long gap,
        @ForAll @IntRange(min = 1, max = 5) final int keys,
        @ForAll final boolean longKeys,
        @ForAll final boolean sideOutput) throws Exception
    {
        final Random random = new Random(seed);
        final List<Event> events = new ArrayList<>();
        final List<Long> arrival = new ArrayList<>();
        for (int i = 0; i < count; i++)
        {
            final long time = random.nextInt(60_000) - 10_000;
            events.add(new Event("k" + random.nextInt(keys), time, random.nextInt(100)));
            // Up to three times the bound plus four seconds late: late records, and records
            // that bridge two open sessions.
            arrival.add(time + (long)(random.nextDouble() * (3 * bound + 4_000)));
        }
        final List<Integer> order = new ArrayList<>();
        for (int i = 0; i < count; i++)
        {
            order.add(i);
        }
        order.sort(Comparator.comparing(arrival::get));
        final List<Event> arrivals = order.stream().map(events::get).toList();
        if (longKeys)
        {
            final Outcome general = run(SessionWindowOperatorTest.<Long>builder(gap, sideOutput).aggregate(new WindowProperties.CountAndSum()), LONG_KEY, arrivals, bound);
            final Outcome sessions = run(SessionWindowOperatorTest.<Long>builder(gap, sideOutput).aggregateInSessions(new WindowProperties.CountAndSum()), LONG_KEY, arrivals, bound);
            assertEquals(general, sessions);
        }
        else
        {
            final Outcome general = run(SessionWindowOperatorTest.<String>builder(gap, sideOutput).aggregate(new WindowProperties.CountAndSum()), Event::key, arrivals, bound);
            final Outcome sessions = run(SessionWindowOperatorTest.<String>builder(gap, sideOutput).aggregateInSessions(new WindowProperties.CountAndSum()), Event::key, arrivals, bound);
            assertEquals(general, sessions);
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
    void theApiPicksTheSessionOperatorOnlyWhereItGivesTheSameResults()
    {
        assertInstanceOf(SessionWindowOperator.class, SessionWindowOperatorTest.<String>builder(1_000, true).aggregateWithBestOperator(AggregateFunctions.<Event>count()));
        assertInstanceOf(SlicingWindowOperator.class, new WindowOperatorBuilder<String, Event, TimeWindow>(TumblingEventTimeWindows.of(Duration.ofSeconds(1)))
            .aggregateWithBestOperator(AggregateFunctions.<Event>count()));
        final var lateness = SessionWindowOperatorTest.<String>builder(1_000, false).allowedLateness(Duration.ofSeconds(1));
        assertFalse(lateness.canAggregateInSessions());
        assertInstanceOf(WindowOperator.class, lateness.aggregateWithBestOperator(AggregateFunctions.<Event>count()));
        final var updates = SessionWindowOperatorTest.<String>builder(1_000, false).lateDataPolicy(LateDataPolicy.lateUpdate(Duration.ofSeconds(1)));
        assertFalse(updates.canAggregateInSessions());
        final var counting = SessionWindowOperatorTest.<String>builder(1_000, false).trigger(CountTrigger.of(2));
        assertFalse(counting.canAggregateInSessions());
        assertThrows(IllegalStateException.class, () -> counting.aggregateInSessions(AggregateFunctions.<Event>count()));
        assertTrue(SessionWindowOperatorTest.<String>builder(1_000, false).canAggregateInSessions());
    }
}
