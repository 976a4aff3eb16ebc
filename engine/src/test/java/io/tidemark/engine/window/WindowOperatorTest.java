package io.tidemark.engine.window;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemark.engine.functions.AggregateFunctions;
import io.tidemark.engine.functions.Collector;
import io.tidemark.engine.functions.OutputTag;
import io.tidemark.engine.operator.OperatorException;
import io.tidemark.engine.testing.OneInputOperatorHarness;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WindowOperatorTest
{
    private static final Duration TEN_SECONDS = Duration.ofSeconds(10);

    private static WindowOperatorBuilder<String, Event, TimeWindow> tumbling()
    {
        return new WindowOperatorBuilder<>(TumblingEventTimeWindows.of(TEN_SECONDS));
    }

    private static <OUT> OneInputOperatorHarness<Event, OUT> harness(final io.tidemark.engine.operator.OneInputOperator<Event, OUT> operator) throws Exception
    {
        return OneInputOperatorHarness.forKeyedOperator(operator, Event::key);
    }

    private static <V> WindowResult<String, V> result(final String key, final long start, final long end, final V value, final boolean update)
    {
        return new WindowResult<>(key, start, end, value, update);
    }

    @Test
    void aRestoredWatermarkNeverGoesBackSoARecordBehindItIsLateAsWithoutTheRestart() throws Exception
    {
        // Tumbling 10 s with 5 s of allowed lateness: [0, 10 s) fired before the snapshot and
        // keeps its state; the restarted source's first watermark is behind the restored one.
        final var first = harness(tumbling().allowedLateness(Duration.ofSeconds(5)).aggregate(AggregateFunctions.<Event>count()));
        first.processElement(Event.of("a", 9_100), 9_100);
        first.processWatermark(10_999);
        assertEquals(List.of(result("a", 0, 10_000, 1L, false)), first.takeOutput());

        final var restored = harness(tumbling().allowedLateness(Duration.ofSeconds(5)).aggregate(AggregateFunctions.<Event>count()));
        restored.restore(first.snapshot());
        restored.processWatermark(5_000);
        assertEquals(List.of(), restored.watermarks(), "behind the restored watermark: neither taken nor forwarded");
        restored.processElement(Event.of("a", 9_200), 9_200);
        assertEquals(List.of(result("a", 0, 10_000, 2L, true)), restored.takeOutput(), "late against 10,999: fires again at once");
        restored.processWatermark(20_000);
        assertEquals(List.of(), restored.takeOutput(), "nothing left to fire");
    }

    @Test
    void tumblingWindowsFireWhenTheWatermarkPassesTheirEndAndThenForwardIt() throws Exception
    {
        final var h = harness(tumbling().aggregate(AggregateFunctions.<Event>count()));
        h.processElement(Event.of("a", 1_000), 1_000);
        h.processElement(Event.of("b", 9_999), 9_999);
        h.processElement(Event.of("a", 10_000), 10_000);
        h.processElement(Event.of("a", 3_000), 3_000);
        h.processWatermark(9_998);
        assertEquals(List.of(), h.takeOutput(), "[0, 10000) is not complete until 9999");
        h.processWatermark(9_999);
        final List<OneInputOperatorHarness.Emitted> emitted = h.emitted();
        assertEquals(List.of("WATERMARK", "RECORD", "RECORD", "WATERMARK"), emitted.stream().map(OneInputOperatorHarness.Emitted::kind).toList(),
            "results come before the watermark that caused them");
        assertEquals(9_999, emitted.get(1).timestamp(), "a result carries the window's largest timestamp");
        final List<WindowResult<String, Long>> results = sorted(h.takeOutput());
        assertEquals(List.of(result("a", 0, 10_000, 2L, false), result("b", 0, 10_000, 1L, false)), results);
        h.processWatermark(Long.MAX_VALUE);
        assertEquals(List.of(result("a", 10_000, 20_000, 1L, false)), h.takeOutput());
    }

    @Test
    void aFiredWindowLeavesNoStateAndNoTimersBehind() throws Exception
    {
        final var operator = tumbling().aggregate(AggregateFunctions.<Event>count());
        final var h = harness(operator);
        for (int i = 0; i < 100; i++)
        {
            h.processElement(Event.of("k" + i, i * 100L), i * 100L);
        }
        h.processWatermark(20_000);
        assertEquals(100, h.takeOutput().size());
        assertEquals(0, operator.keyedStateBackend().entryCount(WindowOperator.CONTENTS));
        assertEquals(0, operator.keyedStateBackend().entryCount("window-fired"));
        assertEquals(0, operator.timerService().eventTimeTimerCount());
    }

    @Test
    void withinTheAllowedLatenessALateRecordMakesTheWindowFireAgainAsAnUpdate() throws Exception
    {
        final var h = harness(tumbling().allowedLateness(Duration.ofSeconds(5)).aggregate(AggregateFunctions.<Event>count()));
        h.processElement(Event.of("a", 1_000), 1_000);
        h.processWatermark(10_000);
        assertEquals(List.of(result("a", 0, 10_000, 1L, false)), h.takeOutput());
        h.processElement(Event.of("a", 2_000), 2_000);
        assertEquals(List.of(result("a", 0, 10_000, 2L, true)), h.takeOutput());
        h.processWatermark(14_999);
        h.processElement(Event.of("a", 3_000), 3_000);
        assertEquals(List.of(), h.takeOutput(), "9999 + 5000 <= 14999: the window is gone");
        assertEquals(1, h.metrics().lateRecordsDropped());
        assertEquals(1, h.metrics().updateFirings());
    }

    @Test
    void lateRecordsCanGoToASideOutput() throws Exception
    {
        final OutputTag<Event> late = new OutputTag<>("late");
        final var h = harness(tumbling().sideOutputLateData(late).aggregate(AggregateFunctions.<Event>count()));
        h.processWatermark(20_000);
        final Event tooLate = Event.of("a", 5_000);
        h.processElement(tooLate, 5_000);
        assertEquals(List.of(tooLate), h.sideOutput(late));
        assertEquals(List.of(), h.takeOutput());
        assertEquals(1, h.metrics().lateRecordsToSideOutput());
        assertEquals(0, h.metrics().lateRecordsDropped());
    }

    @Test
    void lateUpdateReEmitsTheRevisedResultUntilTheRetentionEnds() throws Exception
    {
        final var h = harness(tumbling().lateDataPolicy(LateDataPolicy.lateUpdate(Duration.ofMinutes(1))).aggregate(AggregateFunctions.<Event>count()));
        h.processElement(Event.of("a", 1_000), 1_000);
        h.processWatermark(30_000);
        assertEquals(List.of(result("a", 0, 10_000, 1L, false)), h.takeOutput());
        h.processElement(Event.of("a", 2_000), 2_000);
        h.processElement(Event.of("a", 4_000), 4_000);
        assertEquals(List.of(result("a", 0, 10_000, 2L, true), result("a", 0, 10_000, 3L, true)), h.takeOutput());
        h.processElement(Event.of("b", 4_000), 4_000);
        assertEquals(List.of(result("b", 0, 10_000, 1L, false)), h.takeOutput(), "a window with no earlier result: its first result is late, not an update");
        assertEquals(3, h.metrics().lateRecordsUpdated());
        h.processWatermark(9_999 + 60_000);
        h.processElement(Event.of("a", 5_000), 5_000);
        assertEquals(List.of(), h.takeOutput(), "past the retention the record is dropped");
        assertEquals(1, h.metrics().lateRecordsDropped());
    }

    @Test
    void slidingWindowsCountEachRecordInEveryWindowThatHoldsIt() throws Exception
    {
        final var h = harness(new WindowOperatorBuilder<String, Event, TimeWindow>(SlidingEventTimeWindows.of(Duration.ofSeconds(10), Duration.ofSeconds(5)))
            .aggregate(AggregateFunctions.sumLong(Event::value)));
        h.processElement(new Event("a", 1_000, 1), 1_000);
        h.processElement(new Event("a", 6_000, 10), 6_000);
        h.processElement(new Event("a", 12_000, 100), 12_000);
        h.processWatermark(Long.MAX_VALUE);
        assertEquals(List.of(
            result("a", -5_000, 5_000, 1L, false),
            result("a", 0, 10_000, 11L, false),
            result("a", 5_000, 15_000, 110L, false),
            result("a", 10_000, 20_000, 100L, false)), h.takeOutput());
    }

    @Test
    void aRecordLateForOnlyItsEarlierHoppingWindowsCountsTheWindowsItMissedAndIsNotLate() throws Exception
    {
        final var perWindow = new WindowOperatorBuilder<String, Event, TimeWindow>(SlidingEventTimeWindows.of(Duration.ofSeconds(10), Duration.ofSeconds(5)));
        final var inSlices = new WindowOperatorBuilder<String, Event, TimeWindow>(SlidingEventTimeWindows.of(Duration.ofSeconds(10), Duration.ofSeconds(5)));
        for (final var h : List.of(harness(perWindow.aggregate(AggregateFunctions.<Event>count())), harness(inSlices.aggregateInSlices(AggregateFunctions.<Event>count()))))
        {
            h.processElement(new Event("a", 12_000, 1), 12_000);
            h.processWatermark(14_999);
            // In [5 s, 15 s), fired, and [10 s, 20 s), open.
            h.processElement(new Event("a", 13_000, 1), 13_000);
            // Past both of its windows: late as a whole, not a missed window.
            h.processElement(new Event("a", 3_000, 1), 3_000);
            assertEquals(1, h.metrics().lateWindowsMissed());
            assertEquals(1, h.metrics().lateRecordsDropped());
            assertEquals(3, h.metrics().recordsIn());
            assertEquals(13_000, h.metrics().newestEventTime());
            h.processWatermark(Long.MAX_VALUE);
            assertEquals(List.of(result("a", 5_000, 15_000, 1L, false), result("a", 10_000, 20_000, 2L, false)), h.takeOutput());
        }
    }

    @Test
    void sessionsMergeWhenARecordBridgesTheGap() throws Exception
    {
        final var operator = new WindowOperatorBuilder<String, Event, TimeWindow>(EventTimeSessionWindows.withGap(Duration.ofSeconds(3)))
            .aggregate(AggregateFunctions.<Event>count());
        final var h = harness(operator);
        h.processElement(Event.of("a", 1_000), 1_000);
        h.processElement(Event.of("a", 2_000), 2_000);
        h.processElement(Event.of("a", 10_000), 10_000);
        h.processElement(Event.of("b", 1_500), 1_500);
        h.processWatermark(4_999);
        assertEquals(List.of(result("a", 1_000, 5_000, 2L, false), result("b", 1_500, 4_500, 1L, false)), sorted(h.takeOutput()),
            "[1000,4000) and [2000,5000) merged; b's [1500,4500) ended too");
        h.processElement(Event.of("a", 6_000), 6_000);
        h.processElement(Event.of("a", 8_000), 8_000);
        h.processWatermark(Long.MAX_VALUE);
        assertEquals(List.of(result("a", 6_000, 13_000, 3L, false)), h.takeOutput(), "6000 and 8000 bridge to the session at 10000");
        assertEquals(0, operator.timerService().eventTimeTimerCount());
        assertEquals(0, operator.keyedStateBackend().entryCount(WindowOperator.CONTENTS));
        assertEquals(0, operator.keyedStateBackend().entryCount("window-set"));
    }

    @Test
    void aLateRecordThatBridgesTwoFiredSessionsRetractsThemAndEmitsTheMergedSession() throws Exception
    {
        final var h = harness(new WindowOperatorBuilder<String, Event, TimeWindow>(EventTimeSessionWindows.withGap(Duration.ofSeconds(1)))
            .allowedLateness(Duration.ofSeconds(10)).aggregate(AggregateFunctions.<Event>count()));
        h.processElement(Event.of("a", 0), 0);
        h.processElement(Event.of("a", 3_000), 3_000);
        h.processWatermark(5_000);
        assertEquals(2, h.takeOutput().size());
        h.processElement(Event.of("a", 1_500), 1_500);
        assertEquals(List.of(result("a", 1_500, 2_500, 1L, false)), h.takeOutput(),
            "[1500, 2500) merges with neither; it is behind the watermark, within the lateness, so it fires at once");
        h.processElement(Event.of("a", 1_000), 1_000);
        assertEquals(List.of(WindowResult.retraction("a", new TimeWindow(0, 1_000)), WindowResult.retraction("a", new TimeWindow(1_500, 2_500)),
            result("a", 0, 2_500, 3L, false)), h.takeOutput(), "[1000, 2000) touches [0, 1000) and overlaps [1500, 2500): both withdrawn");
        h.processElement(Event.of("a", 2_500), 2_500);
        assertEquals(List.of(WindowResult.retraction("a", new TimeWindow(0, 2_500)), WindowResult.retraction("a", new TimeWindow(3_000, 4_000)),
            result("a", 0, 4_000, 5L, false)), h.takeOutput(), "and now everything is one session");
        h.processElement(Event.of("a", 2_000), 2_000);
        assertEquals(List.of(result("a", 0, 4_000, 6L, true)), h.takeOutput(), "a record inside the session revises it");
    }

    @Test
    void globalWindowsWithACountTriggerFireEveryNRecordsAndNeverAtTheEnd() throws Exception
    {
        final var h = harness(new WindowOperatorBuilder<String, Event, GlobalWindow>(GlobalWindows.create())
            .trigger(CountTrigger.of(3)).aggregate(AggregateFunctions.<Event>count()));
        for (int i = 0; i < 7; i++)
        {
            h.processElement(Event.of("a", i), i);
        }
        h.processWatermark(Long.MAX_VALUE);
        h.endInput();
        assertEquals(List.of(
            new WindowResult<>("a", Long.MIN_VALUE, Long.MAX_VALUE, 3L, false),
            new WindowResult<>("a", Long.MIN_VALUE, Long.MAX_VALUE, 6L, true)), h.takeOutput());
    }

    @Test
    void aPurgingCountTriggerEmitsDeltasThatAreNotUpdates() throws Exception
    {
        final var h = harness(new WindowOperatorBuilder<String, Event, GlobalWindow>(GlobalWindows.create())
            .trigger(PurgingTrigger.of(CountTrigger.of(2))).aggregate(AggregateFunctions.<Event>count()));
        for (int i = 0; i < 5; i++)
        {
            h.processElement(Event.of("a", i), i);
        }
        assertEquals(List.of(
            new WindowResult<>("a", Long.MIN_VALUE, Long.MAX_VALUE, 2L, false),
            new WindowResult<>("a", Long.MIN_VALUE, Long.MAX_VALUE, 2L, false)), h.takeOutput());
    }

    @Test
    void processingTimeWindowsFireOnTheClockButNotAtTheEndOfInput() throws Exception
    {
        final var h = harness(new WindowOperatorBuilder<String, Event, TimeWindow>(TumblingProcessingTimeWindows.of(TEN_SECONDS))
            .aggregate(AggregateFunctions.<Event>count()));
        h.setProcessingTime(1_000);
        h.processElement(Event.of("a", 999_999), 999_999);
        h.setProcessingTime(12_000);
        h.processElement(Event.of("a", 0), 0);
        assertEquals(List.of(result("a", 0, 10_000, 1L, false)), h.takeOutput(), "event time plays no part");
        h.processWatermark(Long.MAX_VALUE);
        assertEquals(List.of(), h.takeOutput());
        h.endInput();
        assertEquals(List.of(), h.takeOutput(), "as in Flink: [10 s, 20 s) waits for a time that never comes");
        assertEquals(1, ((WindowOperator<?, ?, ?, ?, ?>)h.operator()).timerService().processingTimeTimerCount());
    }

    @Test
    void processingTimeSlidingAndSessionWindowsFollowTheClock() throws Exception
    {
        final var sliding = harness(new WindowOperatorBuilder<String, Event, TimeWindow>(
            SlidingProcessingTimeWindows.of(Duration.ofSeconds(10), Duration.ofSeconds(5))).aggregate(AggregateFunctions.<Event>count()));
        sliding.setProcessingTime(7_000);
        sliding.processElement(Event.of("a", 0), 0);
        sliding.setProcessingTime(9_999);
        assertEquals(List.of(result("a", 0, 10_000, 1L, false)), sliding.takeOutput());
        sliding.setProcessingTime(14_999);
        assertEquals(List.of(result("a", 5_000, 15_000, 1L, false)), sliding.takeOutput());

        final var sessions = harness(new WindowOperatorBuilder<String, Event, TimeWindow>(
            ProcessingTimeSessionWindows.withGap(Duration.ofSeconds(1))).aggregate(AggregateFunctions.<Event>count()));
        sessions.setProcessingTime(100);
        sessions.processElement(Event.of("a", 0), 0);
        sessions.setProcessingTime(900);
        sessions.processElement(Event.of("a", 0), 0);
        sessions.setProcessingTime(1_500);
        assertEquals(List.of(), sessions.takeOutput(), "the second record extended the session to 1900");
        sessions.setProcessingTime(1_899);
        assertEquals(List.of(result("a", 100, 1_900, 2L, false)), sessions.takeOutput());
    }

    @Test
    void continuousEventTimeTriggerGivesEarlyResultsThenTheFinalOne() throws Exception
    {
        final var h = harness(new WindowOperatorBuilder<String, Event, TimeWindow>(TumblingEventTimeWindows.of(Duration.ofMinutes(1)))
            .trigger(ContinuousEventTimeTrigger.of(Duration.ofSeconds(20))).aggregate(AggregateFunctions.<Event>count()));
        h.processElement(Event.of("a", 5_000), 5_000);
        h.processWatermark(20_000);
        h.processElement(Event.of("a", 25_000), 25_000);
        h.processWatermark(40_000);
        h.processWatermark(59_999);
        assertEquals(List.of(
            result("a", 0, 60_000, 1L, false),
            result("a", 0, 60_000, 2L, true),
            result("a", 0, 60_000, 2L, true)), h.takeOutput());
    }

    @Test
    void continuousProcessingTimeTriggerFiresOnIntervalsWhileRecordsArrive() throws Exception
    {
        final var h = harness(new WindowOperatorBuilder<String, Event, GlobalWindow>(GlobalWindows.create())
            .trigger(ContinuousProcessingTimeTrigger.of(Duration.ofSeconds(1))).aggregate(AggregateFunctions.<Event>count()));
        h.setProcessingTime(100);
        h.processElement(Event.of("a", 0), 0);
        h.processElement(Event.of("a", 0), 0);
        h.setProcessingTime(1_000);
        h.setProcessingTime(5_000);
        h.processElement(Event.of("a", 0), 0);
        h.setProcessingTime(6_000);
        assertEquals(List.of(
            new WindowResult<>("a", Long.MIN_VALUE, Long.MAX_VALUE, 2L, false),
            new WindowResult<>("a", Long.MIN_VALUE, Long.MAX_VALUE, 3L, true)), h.takeOutput());
    }

    @Test
    void aCustomTriggerFiresEarlyOnAnAlarmRecord() throws Exception
    {
        final Trigger<Event, TimeWindow> alarmOrEnd = new Trigger<>()
        {
            @Override
            public TriggerResult onElement(final Event element, final long timestamp, final TimeWindow window, final TriggerContext ctx)
            {
                ctx.registerEventTimeTimer(window.maxTimestamp());
                return element.value() >= 100 ? TriggerResult.FIRE : TriggerResult.CONTINUE;
            }

            @Override
            public TriggerResult onEventTime(final long time, final TimeWindow window, final TriggerContext ctx)
            {
                return TriggerResult.FIRE;
            }

            @Override
            public TriggerResult onProcessingTime(final long time, final TimeWindow window, final TriggerContext ctx)
            {
                return TriggerResult.CONTINUE;
            }

            @Override
            public void clear(final TimeWindow window, final TriggerContext ctx)
            {
                ctx.deleteEventTimeTimer(window.maxTimestamp());
            }
        };
        final var h = harness(tumbling().trigger(alarmOrEnd).aggregate(AggregateFunctions.sumLong(Event::value)));
        h.processElement(new Event("a", 1_000, 1), 1_000);
        h.processElement(new Event("a", 2_000, 500), 2_000);
        assertEquals(List.of(result("a", 0, 10_000, 501L, false)), h.takeOutput());
        h.processElement(new Event("a", 3_000, 2), 3_000);
        h.processWatermark(9_999);
        assertEquals(List.of(result("a", 0, 10_000, 503L, true)), h.takeOutput());
    }

    @Test
    void processWindowFunctionSeesEveryRecordAndTheWindow() throws Exception
    {
        final ProcessWindowFunction<Event, String, String, TimeWindow> describe = new ProcessWindowFunction<>()
        {
            @Override
            public void process(final String key, final Context<TimeWindow> context, final Iterable<Event> elements, final Collector<String> out)
            {
                final List<Long> times = new ArrayList<>();
                elements.forEach(e -> times.add(e.time()));
                out.collect(key + context.window() + times + (context.isUpdate() ? " update" : ""));
            }
        };
        final var h = harness(tumbling().allowedLateness(TEN_SECONDS).process(describe));
        h.processElement(Event.of("a", 2_000), 2_000);
        h.processElement(Event.of("a", 1_000), 1_000);
        h.processWatermark(10_000);
        h.processElement(Event.of("a", 3_000), 3_000);
        assertEquals(List.of("a[0, 10000)[2000, 1000]", "a[0, 10000)[2000, 1000, 3000] update"), h.takeOutput());
    }

    @Test
    void reduceKeepsOneValuePerWindowAndCanFeedAProcessWindowFunction() throws Exception
    {
        final ProcessWindowFunction<Event, String, String, TimeWindow> label = new ProcessWindowFunction<>()
        {
            @Override
            public void process(final String key, final Context<TimeWindow> context, final Iterable<Event> elements, final Collector<String> out)
            {
                out.collect(key + "@" + context.window().start() + "=" + elements.iterator().next().value());
            }
        };
        final var h = harness(tumbling().reduce((a, b) -> new Event(a.key(), Math.max(a.time(), b.time()), a.value() + b.value()), label));
        h.processElement(new Event("a", 1_000, 4), 1_000);
        h.processElement(new Event("a", 2_000, 5), 2_000);
        h.processWatermark(Long.MAX_VALUE);
        assertEquals(List.of("a@0=9"), h.takeOutput());
    }

    @Test
    void snapshotAndRestoreContinueAWindowMidway() throws Exception
    {
        final var first = harness(tumbling().allowedLateness(TEN_SECONDS).aggregate(AggregateFunctions.<Event>count()));
        first.processElement(Event.of("a", 1_000), 1_000);
        first.processElement(Event.of("b", 2_000), 2_000);
        first.processElement(Event.of("a", 12_000), 12_000);
        first.processWatermark(9_999);
        first.takeOutput();
        final byte[] snapshot = first.snapshot();

        final var restored = harness(tumbling().allowedLateness(TEN_SECONDS).aggregate(AggregateFunctions.<Event>count()));
        restored.restore(snapshot);
        restored.processElement(Event.of("a", 3_000), 3_000);
        restored.processElement(Event.of("a", 13_000), 13_000);
        restored.processWatermark(Long.MAX_VALUE);
        assertEquals(List.of(result("a", 0, 10_000, 2L, true), result("a", 10_000, 20_000, 2L, false)), restored.takeOutput(),
            "the restored operator remembers the contents, the earlier firing, and the pending timers");
    }

    @Test
    void aRecordWithoutTimestampFailsWithAClearMessage() throws Exception
    {
        final var h = harness(tumbling().aggregate(AggregateFunctions.<Event>count()));
        final OperatorException failure = assertThrows(OperatorException.class, () -> h.processElement(Event.of("a", 0), Long.MIN_VALUE));
        assertTrue(failure.getMessage().contains("assignTimestampsAndWatermarks"), failure.getMessage());
    }

    @Test
    void aTriggerThatCannotMergeIsRefusedForSessions()
    {
        assertThrows(IllegalArgumentException.class, () -> new WindowOperatorBuilder<String, Event, TimeWindow>(EventTimeSessionWindows.withGap(TEN_SECONDS))
            .trigger(PurgingTrigger.of(new Trigger<Object, TimeWindow>()
            {
                @Override
                public TriggerResult onElement(final Object element, final long timestamp, final TimeWindow window, final TriggerContext ctx)
                {
                    return TriggerResult.CONTINUE;
                }

                @Override
                public TriggerResult onEventTime(final long time, final TimeWindow window, final TriggerContext ctx)
                {
                    return TriggerResult.CONTINUE;
                }

                @Override
                public TriggerResult onProcessingTime(final long time, final TimeWindow window, final TriggerContext ctx)
                {
                    return TriggerResult.CONTINUE;
                }

                @Override
                public void clear(final TimeWindow window, final TriggerContext ctx)
                {
                }
            })).aggregate(AggregateFunctions.<Event>count()));
    }

    private static <V> List<WindowResult<String, V>> sorted(final List<WindowResult<String, V>> results)
    {
        final List<WindowResult<String, V>> copy = new ArrayList<>(results);
        copy.sort(java.util.Comparator.comparing(WindowResult<String, V>::key).thenComparingLong(WindowResult::windowStart));
        return copy;
    }
}
