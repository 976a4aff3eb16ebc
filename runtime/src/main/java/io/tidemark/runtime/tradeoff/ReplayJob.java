package io.tidemark.runtime.tradeoff;

import io.tidemark.engine.api.DataStream;
import io.tidemark.engine.api.Durations;
import io.tidemark.engine.api.StreamExecutionEnvironment;
import io.tidemark.engine.functions.OutputTag;
import io.tidemark.engine.operator.OperatorMetrics;
import io.tidemark.engine.task.JobHandle;
import io.tidemark.engine.time.ManualClock;
import io.tidemark.engine.time.Watermark;
import io.tidemark.engine.time.WatermarkStrategy;
import io.tidemark.engine.window.TumblingEventTimeWindows;
import io.tidemark.runtime.LatePolicyOption;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Replays a stream through the engine under one watermark strategy and measures the
 * results: the T1 job, tumbling one-minute event-time windows counting per device and in
 * total. The source is one split in arrival order; processing time is simulated (arrival
 * time), so a run is deterministic.
 *
 * <p>How a result is dated: a result fired by watermark {@code w} was emitted when the
 * source emitted {@code w} ({@link WatermarkTimeline}); a result fired by a late event was
 * emitted when that event arrived (the window's latest arrival). Both are covered by the
 * larger of the two.
 */
final class ReplayJob
{
    /** The window size of T1. */
    static final Duration WINDOW = Duration.ofMinutes(1);
    /** Simulated processing time between periodic watermarks, as Flink's default. */
    static final long WATERMARK_INTERVAL = 200;

    private static final String PER_DEVICE = "per device";
    private static final String TOTAL = "total";

    private ReplayJob()
    {
    }

    static StrategyResult run(
        final EventStream stream, final GroundTruth truth, final SweepStrategy strategy, final LatePolicyOption late, final TradeoffHarness.Progress progress)
    {
        final WatermarkTimeline timeline = new WatermarkTimeline();
        final List<WindowEmission> emissions = new ArrayList<>();
        final AtomicLong deadLettered = new AtomicLong();
        final OutputTag<DeviceEvent> deadLetters = new OutputTag<>("dead-letters");

        final StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment()
            .setParallelism(1)
            .setClock(new ManualClock(0));
        final DataStream<DeviceEvent> events = env.fromSource(new ReplaySource(stream, progress),
            WatermarkStrategy.<DeviceEvent>forGenerator(() -> new SimulatedTickWatermarks(strategy.generators().get(), WATERMARK_INTERVAL, timeline))
                .withTimestampAssigner((event, ts) -> event.eventTime()),
            "replay");
        // Late updates keep every window until the stream is over: the final results can then
        // be compared with the batch counts.
        final Duration retention = Duration.ofMillis(Math.max(1, stream.maxDelay() + WINDOW.toMillis()));
        for (final String name : List.of(PER_DEVICE, TOTAL))
        {
            final boolean total = name.equals(TOTAL);
            final DataStream<WindowEmission> results = events
                .keyBy(event -> total ? GroundTruth.TOTAL : event.device())
                .window(TumblingEventTimeWindows.of(WINDOW))
                .lateDataPolicy(late.policy(deadLetters, retention))
                .aggregate(new CountWithLastArrival(), new EmitWithWatermark())
                .name(name);
            results.sinkTo((subtask, parallelism) -> (value, timestamp) ->
            {
                synchronized (emissions)
                {
                    emissions.add(value);
                }
            });
            // Both branches see the same late events; they are counted once, from the devices'.
            results.getSideOutput(deadLetters).sinkTo((subtask, parallelism) -> (value, timestamp) ->
            {
                if (!total)
                {
                    deadLettered.incrementAndGet();
                }
            });
        }
        final JobHandle job = env.execute("tradeoff " + strategy.name());
        return measure(truth, strategy, late, job.metrics(PER_DEVICE, 0), timeline, emissions, deadLettered.get(), stream.eventTimeSpan());
    }

    private static StrategyResult measure(
        final GroundTruth truth, final SweepStrategy strategy, final LatePolicyOption late, final OperatorMetrics metrics,
        final WatermarkTimeline timeline, final List<WindowEmission> emissions, final long deadLettered, final long eventTimeSpan)
    {
        final long[] latencies = new long[emissions.size()];
        int measured = 0;
        long firstTotal = 0;
        long updates = 0;
        long flushedAtEnd = 0;
        final Map<Long, Long> last = new HashMap<>();
        for (final WindowEmission e : emissions)
        {
            last.put(truth.cell(e.key(), e.windowStart()), e.count());
            if (e.update())
            {
                updates++;
                continue;
            }
            if (e.key() == GroundTruth.TOTAL)
            {
                firstTotal += e.count();
            }
            if (e.watermark() == Watermark.END)
            {
                // Fired by the end of input, not by a watermark the strategy chose.
                flushedAtEnd++;
                continue;
            }
            final long emitted = Math.max(e.lastArrival(), timeline.emissionTime(e.watermark()));
            latencies[measured++] = emitted - e.windowEnd();
        }
        Arrays.sort(latencies, 0, measured);
        final long lateEvents = metrics.lateRecordsDropped() + metrics.lateRecordsToSideOutput() + metrics.lateRecordsUpdated();
        return new StrategyResult(
            strategy.name(),
            percentile(latencies, measured, 0.50),
            percentile(latencies, measured, 0.99),
            truth.events() == 0 ? 1.0 : (double)firstTotal / truth.events(),
            lateEvents,
            metrics.lateRecordsDropped(),
            deadLettered,
            updates,
            flushedAtEnd,
            late == LatePolicyOption.UPDATE ? last.equals(truth.counts()) : null,
            notReached(strategy, measured, eventTimeSpan));
    }

    /**
     * @param closedByWatermark first results fired by a watermark before the end of input.
     * @return why the run did not reach the strategy, or {@code null} when it did.
     */
    static String notReached(final SweepStrategy strategy, final int closedByWatermark, final long eventTimeSpan)
    {
        if (strategy.bound() != null && strategy.bound().toMillis() >= eventTimeSpan)
        {
            return "its bound is longer than the " + Durations.format(Duration.ofMillis(eventTimeSpan)) + " of event time in the run";
        }
        return closedByWatermark == 0 ? "no window closed before the end of input" : null;
    }

    /**
     * @return the nearest-rank percentile of the first {@code n} sorted values, 0 when none.
     */
    private static long percentile(final long[] sorted, final int n, final double p)
    {
        if (n == 0)
        {
            return 0;
        }
        final int rank = (int)Math.ceil(p * n);
        return sorted[Math.max(0, rank - 1)];
    }
}
