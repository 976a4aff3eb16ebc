package io.tidemark.engine.window;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemark.engine.functions.AggregateFunction;
import io.tidemark.engine.functions.AggregateFunctions;
import io.tidemark.engine.functions.KeySelector;
import io.tidemark.engine.testing.OneInputOperatorHarness;
import io.tidemark.engine.testing.OperatorHarness;
import io.tidemark.engine.time.WatermarkValve;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * A window aggregated in two halves around the key exchange (a {@link SlicePreAggregator} per
 * input channel, the slicing operator merging {@link PartialAggregate}s behind them) gives
 * exactly what the slicing operator gives over the records themselves: the same results,
 * updates and counters, with {@code long} and object accumulators, for random streams over two channels that run out of order, fall
 * behind each other, go idle and come back, with late records dropped or updating their
 * windows, and checkpoint barriers in between.
 */
class PreAggregationProperties
{
    private static final int CHANNELS = 2;

    /** One step of the input: a record of a channel, or the channel going idle or a barrier. */
    private record Step(int channel, Event event, boolean idle, boolean barrier)
    {
    }

    /** What reaches the window operator's task, in the order it arrives. */
    private interface Path
    {
        void record(int channel, Event event) throws Exception;

        void idle(int channel) throws Exception;

        void barrier() throws Exception;

        void watermark(int channel, long watermark) throws Exception;

        void end() throws Exception;
    }

    @Property(tries = 200)
    void twoHalvesGiveWhatTheRecordsGive(
        @ForAll final long seed,
        @ForAll @IntRange(min = 1, max = 400) final int count,
        @ForAll @LongRange(min = 0, max = 4_000) final long bound,
        @ForAll @IntRange(min = 1, max = 5) final int keys,
        @ForAll final boolean hopping,
        @ForAll @LongRange(min = 0, max = 3_000) final long allowedLateness,
        @ForAll final boolean lateUpdates,
        @ForAll @IntRange(min = 0, max = 4) final int aggregateKind,
        @ForAll @IntRange(min = 0, max = 30) final int idlePercent) throws Exception
    {
        final long slide = 1_000 + Math.floorMod(seed, 3_000);
        final WindowAssigner<Object, TimeWindow> assigner = hopping ? SlidingEventTimeWindows.of(Duration.ofMillis(3 * slide), Duration.ofMillis(slide))
            : TumblingEventTimeWindows.of(Duration.ofMillis(slide));
        final LateDataPolicy policy = lateUpdates ? LateDataPolicy.lateUpdate(Duration.ofMillis(2_000)) : LateDataPolicy.drop();
        final List<Step> steps = steps(new Random(seed), count, keys, bound, idlePercent);

        final OneInputOperatorHarness<Event, WindowResult<String, Object>> direct = OneInputOperatorHarness.forKeyedOperator(
            builder(assigner, allowedLateness, policy).aggregateInSlices(aggregate(aggregateKind)), Event::key);
        run(steps, bound, new Direct(direct));

        final KeySelector<PartialAggregate, String> partialKeys = PartialAggregate.keysLike((KeySelector<Event, String>)Event::key);
        final OneInputOperatorHarness<PartialAggregate, WindowResult<String, Object>> merged = OneInputOperatorHarness.forKeyedOperator(
            new WindowOperatorBuilder<String, PartialAggregate, TimeWindow>(assigner).allowedLateness(Duration.ofMillis(allowedLateness)).lateDataPolicy(policy)
                .aggregateInSlices(PartialAggregate.merging(aggregate(aggregateKind))), partialKeys);
        final List<OneInputOperatorHarness<Event, PartialAggregate>> locals = new ArrayList<>();
        for (int c = 0; c < CHANNELS; c++)
        {
            locals.add(OneInputOperatorHarness.forOperator(builder(assigner, allowedLateness, policy).preAggregator(aggregate(aggregateKind), Event::key)));
        }
        final Halves halves = new Halves(locals, merged);
        run(steps, bound, halves);

        assertEquals(describe(direct.takeOutput()), describe(merged.takeOutput()));
        assertEquals(direct.metrics().lateRecordsDropped(), merged.metrics().lateRecordsDropped(), "late records dropped");
        assertEquals(direct.metrics().lateRecordsUpdated(), merged.metrics().lateRecordsUpdated(), "late updates");
        assertEquals(direct.metrics().lateWindowsMissed(), merged.metrics().lateWindowsMissed(), "windows missed");
        assertEquals(direct.metrics().windowFirings(), merged.metrics().windowFirings(), "firings");
        assertTrue(halves.partials <= count, "never more partial aggregates than records");
    }

    @Property(tries = 50)
    void withoutIdlenessEachKeyCrossesOncePerSliceAndBarrier(
        @ForAll final long seed,
        @ForAll @IntRange(min = 1, max = 400) final int count,
        @ForAll @IntRange(min = 1, max = 5) final int keys) throws Exception
    {
        // In order, so that no record is behind the watermark: each key crosses once per slice.
        final long slide = 1_000;
        final Random random = new Random(seed);
        final OneInputOperatorHarness<Event, PartialAggregate> local = OneInputOperatorHarness.forOperator(
            new WindowOperatorBuilder<String, Event, TimeWindow>(TumblingEventTimeWindows.of(Duration.ofMillis(slide))).preAggregator(
                AggregateFunctions.<Event>count(), Event::key));
        final Set<String> keySlices = new HashSet<>();
        long time = 0;
        for (int i = 0; i < count; i++)
        {
            time += random.nextInt(50);
            final Event event = new Event("k" + random.nextInt(keys), time, 1);
            keySlices.add(event.key() + "@" + Math.floorDiv(time, slide));
            local.processElement(event, time);
            local.processWatermark(time - 1);
        }
        local.endInput();
        final List<PartialAggregate> partials = local.takeOutput();
        assertEquals(keySlices.size(), partials.size());
        assertEquals(count, partials.stream().mapToLong(PartialAggregate::accumulator).sum());
    }

    static WindowOperatorBuilder<String, Event, TimeWindow> builder(final WindowAssigner<Object, TimeWindow> assigner, final long allowedLateness,
        final LateDataPolicy policy)
    {
        return new WindowOperatorBuilder<String, Event, TimeWindow>(assigner).allowedLateness(Duration.ofMillis(allowedLateness)).lateDataPolicy(policy);
    }

    /** Three {@code long} accumulators, then two objects: one of counters, one that keeps every record's value. */
    @SuppressWarnings("unchecked")
    static AggregateFunction<Event, Object, Object> aggregate(final int kind)
    {
        final AggregateFunction<Event, ?, ?> function = switch (kind)
        {
            case 0 -> AggregateFunctions.count();
            case 1 -> AggregateFunctions.sumLong(Event::value);
            case 2 -> new WindowProperties.MaxValue();
            case 3 -> new BatchWindows.CountAndSum();
            default -> new AllValues();
        };
        return (AggregateFunction<Event, Object, Object>)function;
    }

    /** Keeps the values of its records, so that a window's result shows exactly which records it holds. */
    static final class AllValues implements AggregateFunction<Event, List<Long>, List<Long>>
    {
        @Override
        public List<Long> createAccumulator()
        {
            return new ArrayList<>();
        }

        @Override
        public List<Long> add(final Event value, final List<Long> accumulator)
        {
            accumulator.add(value.value());
            return accumulator;
        }

        @Override
        public List<Long> getResult(final List<Long> accumulator)
        {
            return accumulator.stream().sorted().toList();
        }

        @Override
        public List<Long> merge(final List<Long> a, final List<Long> b)
        {
            a.addAll(b);
            return a;
        }
    }

    /**
     * Each channel's events run out of order within three times the bound; the channels
     * interleave at random, and now and then one goes idle (and comes back with its next
     * record) or a checkpoint barrier passes.
     */
    private static List<Step> steps(final Random random, final int count, final int keys, final long bound, final int idlePercent)
    {
        final List<Step> steps = new ArrayList<>();
        final long[] clock = new long[CHANNELS];
        for (int i = 0; i < count; i++)
        {
            final int channel = random.nextInt(CHANNELS);
            clock[channel] += random.nextInt(400);
            final long time = clock[channel] - (long)(random.nextDouble() * 3 * (bound + 1));
            steps.add(new Step(channel, new Event("k" + random.nextInt(keys), time, random.nextInt(100)), false, false));
            final int roll = random.nextInt(100);
            if (roll < idlePercent)
            {
                steps.add(new Step(random.nextInt(CHANNELS), null, true, false));
            }
            else if (roll >= 95)
            {
                steps.add(new Step(0, null, false, true));
            }
        }
        return steps;
    }

    /** Feeds the steps; each channel's watermark follows its largest time less the bound. */
    private static void run(final List<Step> steps, final long bound, final Path path) throws Exception
    {
        final long[] maxSeen = new long[CHANNELS];
        Arrays.fill(maxSeen, Long.MIN_VALUE);
        for (final Step step : steps)
        {
            if (step.barrier())
            {
                path.barrier();
            }
            else if (step.idle())
            {
                path.idle(step.channel());
            }
            else
            {
                path.record(step.channel(), step.event());
                maxSeen[step.channel()] = Math.max(maxSeen[step.channel()], step.event().time());
                path.watermark(step.channel(), maxSeen[step.channel()] - bound - 1);
            }
        }
        path.end();
    }

    private static List<String> describe(final List<WindowResult<String, Object>> results)
    {
        return results.stream().map(WindowResult::toString).sorted().toList();
    }

    /** What every path shares: the window task's valve, and which channels are idle. */
    private abstract static class IntoWindow implements Path
    {
        final WatermarkValve valve;
        private final boolean[] idle = new boolean[CHANNELS];

        IntoWindow(final OneInputOperatorHarness<?, ?> window)
        {
            this.valve = new WatermarkValve(CHANNELS, new WatermarkValve.Output()
            {
                @Override
                public void emitWatermark(final long watermark)
                {
                    window.processWatermark(watermark);
                }

                @Override
                public void emitIdle(final boolean idle)
                {
                    window.processIdle(idle);
                }
            });
        }

        /**
         * @return whether the channel was idle: a record makes it active again, as its source
         * does before it sends one.
         */
        final boolean comesBack(final int channel)
        {
            final boolean was = idle[channel];
            idle[channel] = false;
            return was;
        }

        final void goesIdle(final int channel)
        {
            idle[channel] = true;
        }
    }

    /** The records straight into the slicing operator. */
    private static final class Direct extends IntoWindow
    {
        private final OneInputOperatorHarness<Event, WindowResult<String, Object>> window;

        Direct(final OneInputOperatorHarness<Event, WindowResult<String, Object>> window)
        {
            super(window);
            this.window = window;
        }

        @Override
        public void record(final int channel, final Event event) throws Exception
        {
            if (comesBack(channel))
            {
                valve.inputIdle(channel, false);
            }
            window.processElement(event, event.time());
        }

        @Override
        public void idle(final int channel)
        {
            goesIdle(channel);
            valve.inputIdle(channel, true);
        }

        @Override
        public void barrier()
        {
        }

        @Override
        public void watermark(final int channel, final long watermark)
        {
            valve.inputWatermark(channel, watermark);
        }

        @Override
        public void end() throws Exception
        {
            for (int c = 0; c < CHANNELS; c++)
            {
                valve.inputWatermark(c, Long.MAX_VALUE);
            }
            window.endInput();
        }
    }

    /** The records into a pre-aggregator per channel, what each emits into the slicing operator. */
    private static final class Halves extends IntoWindow
    {
        private final List<OneInputOperatorHarness<Event, PartialAggregate>> locals;
        private final OneInputOperatorHarness<PartialAggregate, WindowResult<String, Object>> window;
        private final int[] forwarded = new int[CHANNELS];
        int partials;

        Halves(final List<OneInputOperatorHarness<Event, PartialAggregate>> locals, final OneInputOperatorHarness<PartialAggregate, WindowResult<String, Object>> window)
        {
            super(window);
            this.locals = locals;
            this.window = window;
        }

        @Override
        public void record(final int channel, final Event event) throws Exception
        {
            if (comesBack(channel))
            {
                locals.get(channel).processIdle(false);
            }
            locals.get(channel).processElement(event, event.time());
            forward(channel);
        }

        @Override
        public void idle(final int channel) throws Exception
        {
            goesIdle(channel);
            locals.get(channel).processIdle(true);
            forward(channel);
        }

        @Override
        public void barrier() throws Exception
        {
            for (int c = 0; c < CHANNELS; c++)
            {
                locals.get(c).operator().prepareSnapshotPreBarrier(1);
                forward(c);
            }
        }

        @Override
        public void watermark(final int channel, final long watermark) throws Exception
        {
            locals.get(channel).processWatermark(watermark);
            forward(channel);
        }

        @Override
        public void end() throws Exception
        {
            for (int c = 0; c < CHANNELS; c++)
            {
                locals.get(c).processWatermark(Long.MAX_VALUE);
                locals.get(c).endInput();
                forward(c);
            }
            window.endInput();
        }

        /** What a channel's pre-aggregator emitted since last time, in order, across the exchange. */
        private void forward(final int channel) throws Exception
        {
            final List<OperatorHarness.Emitted> emitted = locals.get(channel).emitted();
            for (int i = forwarded[channel]; i < emitted.size(); i++)
            {
                final OperatorHarness.Emitted e = emitted.get(i);
                switch (e.kind())
                {
                    case "RECORD" ->
                    {
                        partials++;
                        window.processElement((PartialAggregate)e.value(), e.timestamp());
                    }
                    case "WATERMARK" -> valve.inputWatermark(channel, e.timestamp());
                    case "IDLE" -> valve.inputIdle(channel, (Boolean)e.value());
                    default -> throw new AssertionError("unexpected " + e);
                }
            }
            forwarded[channel] = emitted.size();
        }
    }
}
