package io.tidemark.engine.window;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tidemark.engine.functions.AggregateFunction;
import io.tidemark.engine.functions.AggregateFunctions;
import io.tidemark.engine.functions.KeySelector;
import io.tidemark.engine.testing.OneInputOperatorHarness;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * After a restore the window operator resumes at its checkpointed watermark while the source
 * restarts without one: the pre-aggregator restores its own watermark, so that records
 * replayed behind it go on one by one, and a window with late updates fires once per late
 * record, as it does without pre-aggregation.
 */
class PreAggregationRestoreTest
{
    private static final TumblingEventTimeWindows WINDOWS = TumblingEventTimeWindows.of(Duration.ofMillis(1_000));
    private static final LateDataPolicy POLICY = LateDataPolicy.lateUpdate(Duration.ofMillis(2_000));

    @Test
    void recordsReplayedBehindTheRestoredWatermarkUpdateTheWindowOnceEachWithAnObjectAccumulator() throws Exception
    {
        check(new PreAggregationProperties.AllValues());
    }

    @Test
    void recordsReplayedBehindTheRestoredWatermarkUpdateTheWindowOnceEachWithALongAccumulator() throws Exception
    {
        check(AggregateFunctions.<Event>count());
    }

    @Test
    void aSnapshotThatHoldsNothingSendsEveryRecordOnAlone() throws Exception
    {
        final OneInputOperatorHarness<Event, PartialAggregate> local = localHalf(AggregateFunctions.<Event>count());
        local.restore(new byte[0]);
        assertEachRecordGoesOnAlone(local);
    }

    @Test
    void aSubtaskThatInheritsNoSnapshotSendsEveryRecordOnAlone() throws Exception
    {
        final OneInputOperatorHarness<Event, PartialAggregate> local = localHalf(AggregateFunctions.<Event>count());
        local.operator().restoredWithoutSnapshot();
        assertEachRecordGoesOnAlone(local);
    }

    @Test
    void anInputThatWasIdleAtTheCheckpointSendsEveryRecordOnAlone() throws Exception
    {
        final OneInputOperatorHarness<Event, PartialAggregate> before = localHalf(AggregateFunctions.<Event>count());
        before.processWatermark(999);
        before.processIdle(true);
        final OneInputOperatorHarness<Event, PartialAggregate> after = localHalf(AggregateFunctions.<Event>count());
        after.restore(before.snapshot());
        assertEachRecordGoesOnAlone(after);
    }

    /** Two records of one key and slice, well ahead of any watermark, that would otherwise be held as one. */
    private static void assertEachRecordGoesOnAlone(final OneInputOperatorHarness<Event, PartialAggregate> local) throws Exception
    {
        local.processElement(new Event("k", 5_000, 1), 5_000);
        local.processElement(new Event("k", 5_001, 1), 5_001);
        assertEquals(2, local.takeOutput().size(), "each record a partial of its own");
    }

    @Test
    void aWatermarkBehindTheRestoredOneIsHeldBackSoRecordsBehindTheRestoredOneStillGoOnAlone() throws Exception
    {
        final OneInputOperatorHarness<Event, PartialAggregate> before = localHalf(AggregateFunctions.<Event>count());
        before.processWatermark(10_999);
        final OneInputOperatorHarness<Event, PartialAggregate> after = localHalf(AggregateFunctions.<Event>count());
        after.restore(before.snapshot());
        after.processWatermark(5_000);
        assertEquals(List.of(), after.watermarks(), "behind the restored watermark: neither taken nor forwarded");
        after.processElement(new Event("k", 9_200, 1), 9_200);
        after.processElement(new Event("k", 9_300, 1), 9_300);
        assertEquals(2, after.takeOutput().size(), "each record behind 10,999 a partial of its own, late at the window");
    }

    @Test
    void recordsAheadOfTheRestoredWatermarkAreStillPreAggregated() throws Exception
    {
        final OneInputOperatorHarness<Event, PartialAggregate> before = localHalf(AggregateFunctions.<Event>count());
        before.processWatermark(999);
        final OneInputOperatorHarness<Event, PartialAggregate> after = localHalf(AggregateFunctions.<Event>count());
        after.restore(before.snapshot());
        after.processElement(new Event("k", 1_100, 1), 1_100);
        after.processElement(new Event("k", 1_200, 1), 1_200);
        assertEquals(0, after.takeOutput().size(), "held until the slice's end");
        after.processWatermark(1_999);
        final List<PartialAggregate> partials = after.takeOutput();
        assertEquals(1, partials.size());
        assertEquals(2, partials.get(0).accumulator());
    }

    @SuppressWarnings("unchecked")
    private static void check(final AggregateFunction<Event, ?, ?> f) throws Exception
    {
        final AggregateFunction<Event, Object, Object> function = (AggregateFunction<Event, Object, Object>)f;
        // Without pre-aggregation: the window fires, is snapshot and restored, then two late records come.
        final OneInputOperatorHarness<Event, WindowResult<String, Object>> direct = directWindow(function);
        direct.processElement(new Event("k", 100, 1), 100);
        direct.processWatermark(999);
        final OneInputOperatorHarness<Event, WindowResult<String, Object>> directRestored = directWindow(function);
        directRestored.restore(direct.snapshot());
        directRestored.processElement(new Event("k", 200, 2), 200);
        directRestored.processElement(new Event("k", 300, 3), 300);
        directRestored.processWatermark(1_500);
        final List<String> without = describe(direct.takeOutput(), directRestored.takeOutput());

        // With it: both halves snapshot at the same point and restored, the same late records.
        final OneInputOperatorHarness<PartialAggregate, WindowResult<String, Object>> merged = mergedWindow(function);
        final OneInputOperatorHarness<Event, PartialAggregate> local = localHalf(function);
        local.processElement(new Event("k", 100, 1), 100);
        local.processWatermark(999);
        final int sent = PreAggregationRestoreProperties.forward(local, merged, 0);
        local.operator().prepareSnapshotPreBarrier(1);
        PreAggregationRestoreProperties.forward(local, merged, sent);
        final OneInputOperatorHarness<PartialAggregate, WindowResult<String, Object>> mergedRestored = mergedWindow(function);
        mergedRestored.restore(merged.snapshot());
        final OneInputOperatorHarness<Event, PartialAggregate> restartedLocal = localHalf(function);
        restartedLocal.restore(local.snapshot());
        restartedLocal.processElement(new Event("k", 200, 2), 200);
        restartedLocal.processElement(new Event("k", 300, 3), 300);
        restartedLocal.processWatermark(1_500);
        PreAggregationRestoreProperties.forward(restartedLocal, mergedRestored, 0);
        final List<String> with = describe(merged.takeOutput(), mergedRestored.takeOutput());

        assertEquals(3, without.size(), "a firing and two late updates");
        assertEquals(without, with, "window results with pre-aggregation after a restore");
        assertEquals(directRestored.metrics().lateRecordsUpdated(), mergedRestored.metrics().lateRecordsUpdated(), "late updates");
    }

    private static OneInputOperatorHarness<Event, WindowResult<String, Object>> directWindow(final AggregateFunction<Event, Object, Object> function) throws Exception
    {
        return OneInputOperatorHarness.forKeyedOperator(new WindowOperatorBuilder<String, Event, TimeWindow>(WINDOWS).lateDataPolicy(POLICY)
            .aggregateInSlices(function), Event::key);
    }

    private static OneInputOperatorHarness<PartialAggregate, WindowResult<String, Object>> mergedWindow(final AggregateFunction<Event, Object, Object> function) throws Exception
    {
        return OneInputOperatorHarness.forKeyedOperator(new WindowOperatorBuilder<String, PartialAggregate, TimeWindow>(WINDOWS).lateDataPolicy(POLICY)
            .aggregateInSlices(PartialAggregate.merging(function)), PartialAggregate.keysLike((KeySelector<Event, String>)Event::key));
    }

    private static <ACC, R> OneInputOperatorHarness<Event, PartialAggregate> localHalf(final AggregateFunction<Event, ACC, R> function) throws Exception
    {
        return OneInputOperatorHarness.forOperator(new WindowOperatorBuilder<String, Event, TimeWindow>(WINDOWS).lateDataPolicy(POLICY).preAggregator(function, Event::key));
    }

    @SafeVarargs
    private static List<String> describe(final List<WindowResult<String, Object>>... outputs)
    {
        final List<String> all = new ArrayList<>();
        for (final List<WindowResult<String, Object>> output : outputs)
        {
            output.forEach(r -> all.add(r.toString()));
        }
        return all;
    }
}
