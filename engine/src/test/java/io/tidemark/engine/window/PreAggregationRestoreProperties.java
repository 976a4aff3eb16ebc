package io.tidemark.engine.window;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tidemark.engine.functions.KeySelector;
import io.tidemark.engine.operator.OneInputOperator;
import io.tidemark.engine.operator.OperatorMetrics;
import io.tidemark.engine.testing.OneInputOperatorHarness;
import io.tidemark.engine.testing.OperatorHarness;
import io.tidemark.engine.time.Watermark;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * A window aggregated in two halves around the key exchange, checkpointed and restored at
 * random points, gives what the slicing operator over the records gives with the same
 * checkpoints and restores: the same results, late updates and counters. At each restore both
 * paths start from fresh operators that read their snapshots, and the source starts again
 * without a watermark (as an exactly-once source does) on the records after the checkpoint.
 */
class PreAggregationRestoreProperties
{
    /** Makes a fresh operator, as a restarted task does. */
    private interface Factory<IN, OUT>
    {
        OneInputOperator<IN, OUT> make();
    }

    /** One operator through its restores: the harness of the moment and what the earlier ones emitted and counted. */
    private static final class Restarted<IN, OUT>
    {
        private final Factory<IN, OUT> factory;
        private final KeySelector<IN, ?> keys;
        private final List<OUT> output = new ArrayList<>();
        private final long[] counters = new long[4];
        OneInputOperatorHarness<IN, OUT> harness;

        Restarted(final Factory<IN, OUT> factory, final KeySelector<IN, ?> keys) throws Exception
        {
            this.factory = factory;
            this.keys = keys;
            this.harness = create();
        }

        private OneInputOperatorHarness<IN, OUT> create() throws Exception
        {
            return keys == null ? OneInputOperatorHarness.forOperator(factory.make()) : OneInputOperatorHarness.forKeyedOperator(factory.make(), keys);
        }

        void restart() throws Exception
        {
            final byte[] snapshot = harness.snapshot();
            retire();
            harness = create();
            harness.restore(snapshot);
        }

        void retire()
        {
            output.addAll(harness.takeOutput());
            final OperatorMetrics metrics = harness.metrics();
            counters[0] += metrics.lateRecordsDropped();
            counters[1] += metrics.lateRecordsUpdated();
            counters[2] += metrics.lateWindowsMissed();
            counters[3] += metrics.windowFirings();
        }
    }

    @Property(tries = 200)
    void restoredHalvesGiveWhatTheRestoredRecordsGive(
        @ForAll final long seed,
        @ForAll @IntRange(min = 1, max = 300) final int count,
        @ForAll @LongRange(min = 0, max = 3_000) final long bound,
        @ForAll @IntRange(min = 1, max = 4) final int keys,
        @ForAll final boolean hopping,
        @ForAll @LongRange(min = 0, max = 3_000) final long allowedLateness,
        @ForAll final boolean lateUpdates,
        @ForAll @IntRange(min = 0, max = 4) final int aggregateKind,
        @ForAll @IntRange(min = 1, max = 20) final int restorePercent) throws Exception
    {
        final long slide = 1_000 + Math.floorMod(seed, 2_000);
        final WindowAssigner<Object, TimeWindow> assigner = hopping ? SlidingEventTimeWindows.of(Duration.ofMillis(3 * slide), Duration.ofMillis(slide))
            : TumblingEventTimeWindows.of(Duration.ofMillis(slide));
        final LateDataPolicy policy = lateUpdates ? LateDataPolicy.lateUpdate(Duration.ofMillis(2_000)) : LateDataPolicy.drop();

        final Restarted<Event, WindowResult<String, Object>> direct = new Restarted<>(
            () -> PreAggregationProperties.builder(assigner, allowedLateness, policy).aggregateInSlices(PreAggregationProperties.aggregate(aggregateKind)), Event::key);
        final Restarted<Event, PartialAggregate> local = new Restarted<>(
            () -> PreAggregationProperties.builder(assigner, allowedLateness, policy).preAggregator(PreAggregationProperties.aggregate(aggregateKind), Event::key), null);
        final Restarted<PartialAggregate, WindowResult<String, Object>> merged = new Restarted<>(
            () -> new WindowOperatorBuilder<String, PartialAggregate, TimeWindow>(assigner).allowedLateness(Duration.ofMillis(allowedLateness)).lateDataPolicy(policy)
                .aggregateInSlices(PartialAggregate.merging(PreAggregationProperties.aggregate(aggregateKind))),
            PartialAggregate.keysLike((KeySelector<Event, String>)Event::key));

        final Random random = new Random(seed);
        long clock = 0;
        long maxSeen = Watermark.NONE;
        int forwarded = 0;
        for (int i = 0; i < count; i++)
        {
            clock += random.nextInt(400);
            final long time = clock - (long)(random.nextDouble() * 3 * (bound + 1));
            final Event event = new Event("k" + random.nextInt(keys), time, random.nextInt(100));
            maxSeen = Math.max(maxSeen, time);
            direct.harness.processElement(event, time);
            direct.harness.processWatermark(maxSeen - bound - 1);
            local.harness.processElement(event, time);
            local.harness.processWatermark(maxSeen - bound - 1);
            forwarded = forward(local.harness, merged.harness, forwarded);
            if (random.nextInt(100) < restorePercent)
            {
                local.harness.operator().prepareSnapshotPreBarrier(i);
                forward(local.harness, merged.harness, forwarded);
                direct.restart();
                local.restart();
                merged.restart();
                forwarded = 0;
                maxSeen = Watermark.NONE;
            }
        }
        direct.harness.processWatermark(Long.MAX_VALUE);
        direct.harness.endInput();
        local.harness.processWatermark(Long.MAX_VALUE);
        local.harness.endInput();
        forward(local.harness, merged.harness, forwarded);
        merged.harness.endInput();
        direct.retire();
        merged.retire();

        assertEquals(describe(direct.output), describe(merged.output));
        assertEquals(direct.counters[0], merged.counters[0], "late records dropped");
        assertEquals(direct.counters[1], merged.counters[1], "late updates");
        assertEquals(direct.counters[2], merged.counters[2], "windows missed");
        assertEquals(direct.counters[3], merged.counters[3], "firings");
    }

    /** Hands what the local half emitted from {@code from} on to the window, in order; returns how many it has emitted. */
    static int forward(final OneInputOperatorHarness<Event, PartialAggregate> local,
        final OneInputOperatorHarness<PartialAggregate, WindowResult<String, Object>> window, final int from) throws Exception
    {
        final List<OperatorHarness.Emitted> emitted = local.emitted();
        for (final OperatorHarness.Emitted e : emitted.subList(from, emitted.size()))
        {
            switch (e.kind())
            {
                case "RECORD" -> window.processElement((PartialAggregate)e.value(), e.timestamp());
                case "WATERMARK" -> window.processWatermark(e.timestamp());
                default -> throw new AssertionError("unexpected " + e);
            }
        }
        return emitted.size();
    }

    private static List<String> describe(final List<WindowResult<String, Object>> results)
    {
        return results.stream().map(WindowResult::toString).sorted().toList();
    }
}
