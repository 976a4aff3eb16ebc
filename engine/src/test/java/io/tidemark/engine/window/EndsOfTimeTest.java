package io.tidemark.engine.window;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemark.engine.functions.AggregateFunctions;
import io.tidemark.engine.functions.OutputTag;
import io.tidemark.engine.operator.OneInputOperator;
import io.tidemark.engine.operator.OperatorException;
import io.tidemark.engine.testing.OneInputOperatorHarness;
import io.tidemark.engine.time.Watermark;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Timestamps whose windows do not fit in a {@code long}: every window operator refuses them
 * the same way, counted in {@code outOfRangeRecords} and sent where late records go, and
 * never makes a window that wrapped around.
 */
class EndsOfTimeTest
{
    private static final OutputTag<Event> LATE = OperatorRuns.LATE;

    private static OneInputOperatorHarness<Event, WindowResult<String, Long>> harness(final OneInputOperator<Event, WindowResult<String, Long>> operator)
        throws Exception
    {
        return OneInputOperatorHarness.forKeyedOperator(operator, Event::key);
    }

    /** Feeds one record whose window would end past the largest timestamp, and one that fits. */
    private static void assertRefusedNearTheEnd(final OneInputOperator<Event, WindowResult<String, Long>> operator, final long size) throws Exception
    {
        final var h = harness(operator);
        final Event tooLate = Event.of("a", Long.MAX_VALUE - 3);
        final Event last = Event.of("a", Long.MAX_VALUE - size);
        h.processElement(tooLate, tooLate.time());
        h.processElement(last, last.time());
        h.processWatermark(Watermark.END);
        assertEquals(1, h.metrics().outOfRangeRecords(), "the record whose window ends past Long.MAX_VALUE");
        assertEquals(List.of(tooLate), h.sideOutput(LATE), "it goes where late records go, and is not counted as late");
        assertEquals(0, h.metrics().lateRecordsToSideOutput());
        final List<WindowResult<String, Long>> results = h.takeOutput();
        assertEquals(1, results.size(), results.toString());
        final WindowResult<String, Long> result = results.get(0);
        assertEquals(1L, result.value());
        assertTrue(result.windowStart() < result.windowEnd() && result.windowStart() <= last.time() && last.time() < result.windowEnd(), result.toString());
    }

    @Test
    void theWindowOperatorRefusesATumblingWindowPastTheEnd() throws Exception
    {
        assertRefusedNearTheEnd(new WindowOperatorBuilder<String, Event, TimeWindow>(TumblingEventTimeWindows.of(Duration.ofMillis(10)))
            .sideOutputLateData(LATE).aggregate(AggregateFunctions.<Event>count()), 10);
    }

    @Test
    void theSlicingOperatorRefusesATumblingWindowPastTheEnd() throws Exception
    {
        assertRefusedNearTheEnd(new WindowOperatorBuilder<String, Event, TimeWindow>(TumblingEventTimeWindows.of(Duration.ofMillis(10)))
            .sideOutputLateData(LATE).aggregateInSlices(AggregateFunctions.<Event>count()), 10);
    }

    @Test
    void theSlicingOperatorRefusesAHoppingWindowPastTheEnd() throws Exception
    {
        final var operator = new WindowOperatorBuilder<String, Event, TimeWindow>(SlidingEventTimeWindows.of(Duration.ofMillis(20), Duration.ofMillis(10)))
            .sideOutputLateData(LATE).aggregateInSlices(AggregateFunctions.<Event>count());
        final var h = harness(operator);
        final Event tooLate = Event.of("a", Long.MAX_VALUE - 12);
        h.processElement(tooLate, tooLate.time());
        h.processWatermark(Watermark.END);
        assertEquals(1, h.metrics().outOfRangeRecords(), "the later of its two windows would end past Long.MAX_VALUE");
        assertEquals(List.of(tooLate), h.sideOutput(LATE));
        assertEquals(List.of(), h.takeOutput(), "no window holds only part of what the record belongs to");
    }

    @Test
    void theSessionOperatorsRefuseASessionPastTheEnd() throws Exception
    {
        final var builder = new WindowOperatorBuilder<String, Event, TimeWindow>(EventTimeSessionWindows.withGap(Duration.ofMillis(10))).sideOutputLateData(LATE);
        assertRefusedNearTheEnd(builder.aggregate(AggregateFunctions.<Event>count()), 10);
        assertRefusedNearTheEnd(builder.aggregateInSessions(AggregateFunctions.<Event>count()), 10);
    }

    @Test
    void underLateUpdatesAnOutOfRangeRecordIsDroppedAndCountedAsSuch() throws Exception
    {
        final var h = harness(new WindowOperatorBuilder<String, Event, TimeWindow>(TumblingEventTimeWindows.of(Duration.ofMillis(10)))
            .lateDataPolicy(LateDataPolicy.lateUpdate(Duration.ofMinutes(1))).aggregate(AggregateFunctions.<Event>count()));
        h.processElement(Event.of("a", Long.MAX_VALUE), Long.MAX_VALUE);
        h.processWatermark(Watermark.END);
        assertEquals(1, h.metrics().outOfRangeRecords(), "there is no window to update");
        assertEquals(0, h.metrics().lateRecordsDropped() + h.metrics().lateRecordsUpdated());
        assertEquals(List.of(), h.takeOutput());
    }

    @Test
    void anOffsetWindowBeforeTheStartOfTimeIsRefused() throws Exception
    {
        // Long.MIN_VALUE is 2 modulo 10, so windows aligned to 5 start at MIN + 3: the one
        // before, which would hold MIN + 1, would start before Long.MIN_VALUE.
        final var h = harness(new WindowOperatorBuilder<String, Event, TimeWindow>(TumblingEventTimeWindows.of(Duration.ofMillis(10), Duration.ofMillis(5)))
            .aggregate(AggregateFunctions.<Event>count()));
        h.processElement(Event.of("a", Long.MIN_VALUE + 1), Long.MIN_VALUE + 1);
        h.processElement(Event.of("a", Long.MIN_VALUE + 3), Long.MIN_VALUE + 3);
        h.processWatermark(Watermark.END);
        assertEquals(1, h.metrics().outOfRangeRecords());
        assertEquals(0, h.metrics().lateRecordsDropped());
        assertEquals(List.of(new WindowResult<>("a", Long.MIN_VALUE + 3, Long.MIN_VALUE + 13, 1L, false)), h.takeOutput());
    }

    @Test
    void aRecordWithoutTimestampStillFailsClearly() throws Exception
    {
        final var h = harness(new WindowOperatorBuilder<String, Event, TimeWindow>(TumblingEventTimeWindows.of(Duration.ofMillis(10)))
            .aggregateInSlices(AggregateFunctions.<Event>count()));
        final OperatorException failure = assertThrows(OperatorException.class, () -> h.processElement(Event.of("a", 0), Watermark.NONE));
        assertTrue(failure.getCause() instanceof IllegalStateException && failure.getMessage().contains("no event timestamp"), failure.getMessage());
        assertEquals(0, h.metrics().outOfRangeRecords());
    }

    @Test
    void hoppingWindowsThatAreNotAWholeNumberOfSlidesHoldOnlyTheirOwnRecords() throws Exception
    {
        // Windows of 15 ms every 10 ms: 3 is in [-10, 5) and [0, 15), 7 only in [0, 15).
        final SlidingEventTimeWindows windows = SlidingEventTimeWindows.of(Duration.ofMillis(15), Duration.ofMillis(10));
        assertEquals(List.of(new TimeWindow(0, 15), new TimeWindow(-10, 5)), windows.assignWindows(null, 3, null));
        assertEquals(List.of(new TimeWindow(0, 15)), windows.assignWindows(null, 7, null));
    }

    @Test
    void hoppingWindowsWithAnOffsetNearBothEnds() throws Exception
    {
        final SlidingEventTimeWindows windows = SlidingEventTimeWindows.of(Duration.ofMillis(20), Duration.ofMillis(10), Duration.ofMillis(4));
        assertEquals(List.of(new TimeWindow(4, 24), new TimeWindow(-6, 14)), windows.assignWindows(null, 5, null));
        assertEquals(null, windows.assignWindows(null, Long.MIN_VALUE + 5, null), "[MIN - 6, MIN + 14) starts before Long.MIN_VALUE");
        assertEquals(null, windows.assignWindows(null, Long.MAX_VALUE - 5, null));
    }

    @Test
    void anEarlyFiringPastTheEndOfTimeNeverComes() throws Exception
    {
        // The next multiple of 4 after MAX - 1 is past Long.MAX_VALUE: only the final firing is left.
        final var h = harness(new WindowOperatorBuilder<String, Event, GlobalWindow>(GlobalWindows.create())
            .trigger(ContinuousEventTimeTrigger.of(Duration.ofMillis(4))).aggregate(AggregateFunctions.<Event>count()));
        h.processElement(Event.of("a", Long.MAX_VALUE - 1), Long.MAX_VALUE - 1);
        h.processWatermark(0);
        h.processWatermark(Long.MAX_VALUE - 1);
        assertEquals(List.of(), h.takeOutput());
        h.processWatermark(Watermark.END);
        assertEquals(List.of(new WindowResult<>("a", Long.MIN_VALUE, Long.MAX_VALUE, 1L, false)), h.takeOutput());
    }

    @Test
    void aProcessingTimeFiringPastTheEndOfTimeNeverComes() throws Exception
    {
        final var h = harness(new WindowOperatorBuilder<String, Event, GlobalWindow>(GlobalWindows.create())
            .trigger(ContinuousProcessingTimeTrigger.of(Duration.ofMillis(4))).aggregate(AggregateFunctions.<Event>count()));
        h.setProcessingTime(Long.MAX_VALUE - 1);
        h.processElement(Event.of("a", 0), 0);
        h.setProcessingTime(Long.MAX_VALUE);
        assertEquals(List.of(), h.takeOutput());
    }

    @Test
    void aProcessingTimeWindowPastTheEndIsRefused() throws Exception
    {
        final var h = harness(new WindowOperatorBuilder<String, Event, TimeWindow>(TumblingProcessingTimeWindows.of(Duration.ofMillis(10)))
            .aggregate(AggregateFunctions.<Event>count()));
        h.setProcessingTime(Long.MAX_VALUE - 3);
        h.processElement(Event.of("a", 0), 0);
        assertEquals(1, h.metrics().outOfRangeRecords());
        assertEquals(0, h.metrics().lateRecordsDropped());
    }

    @Test
    void allowedLatenessPastTheEndOfTimeSaturates() throws Exception
    {
        // Long.MAX_VALUE is 7 modulo 10: [MAX - 17, MAX - 7) is the last whole window of 10 ms.
        final var h = harness(new WindowOperatorBuilder<String, Event, TimeWindow>(TumblingEventTimeWindows.of(Duration.ofMillis(10)))
            .allowedLateness(Duration.ofHours(1)).aggregate(AggregateFunctions.<Event>count()));
        h.processElement(Event.of("a", Long.MAX_VALUE - 15), Long.MAX_VALUE - 15);
        h.processWatermark(Long.MAX_VALUE - 8);
        assertEquals(List.of(new WindowResult<>("a", Long.MAX_VALUE - 17, Long.MAX_VALUE - 7, 1L, false)), h.takeOutput());
        h.processElement(Event.of("a", Long.MAX_VALUE - 16), Long.MAX_VALUE - 16);
        assertEquals(List.of(new WindowResult<>("a", Long.MAX_VALUE - 17, Long.MAX_VALUE - 7, 2L, true)), h.takeOutput(),
            "an hour of lateness after MAX - 8 ends at the end of time, not in the past");
        h.processWatermark(Watermark.END);
        assertEquals(List.of(), h.takeOutput());
        assertEquals(0, h.metrics().lateRecordsDropped());
    }
}
