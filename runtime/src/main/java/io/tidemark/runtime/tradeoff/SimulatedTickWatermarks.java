package io.tidemark.runtime.tradeoff;

import io.tidemark.engine.time.WatermarkGenerator;
import io.tidemark.engine.time.WatermarkOutput;

/**
 * Runs a periodic watermark generator on the simulated processing-time clock of a replay:
 * processing time is the arrival time of the record being read, and the generator's
 * periodic emit happens after the first record that arrives at or after each tick. So a
 * replay emits the same watermarks, after the same records, on every run, however fast the
 * machine is. Each emitted watermark is written to a {@link WatermarkTimeline} with the
 * (simulated) time it was emitted, which is how the harness dates the results it causes.
 */
final class SimulatedTickWatermarks implements WatermarkGenerator<DeviceEvent>
{
    private final WatermarkGenerator<DeviceEvent> generator;
    private final long interval;
    private final WatermarkTimeline timeline;
    private final DatingOutput dating = new DatingOutput();
    private long nextTick = Long.MIN_VALUE;

    /**
     * @param generator the periodic generator to drive.
     * @param interval  the tick, in simulated milliseconds.
     * @param timeline  where emitted watermarks are dated.
     */
    SimulatedTickWatermarks(final WatermarkGenerator<DeviceEvent> generator, final long interval, final WatermarkTimeline timeline)
    {
        this.generator = generator;
        this.interval = interval;
        this.timeline = timeline;
    }

    @Override
    public void onEvent(final DeviceEvent event, final long eventTimestamp, final WatermarkOutput output)
    {
        generator.onEvent(event, eventTimestamp, output);
        final long now = event.arrivalTime();
        if (now >= nextTick)
        {
            dating.now = now;
            dating.output = output;
            generator.onPeriodicEmit(dating);
            nextTick = now - Math.floorMod(now, interval) + interval;
        }
    }

    @Override
    public void onPeriodicEmit(final WatermarkOutput output)
    {
        // The wall clock does not drive a replay: ticks come from arrival times only.
    }

    /** Passes watermarks on, noting when each was emitted. */
    private final class DatingOutput implements WatermarkOutput
    {
        long now;
        WatermarkOutput output;

        @Override
        public void emitWatermark(final long watermark)
        {
            timeline.emitted(watermark, now);
            output.emitWatermark(watermark);
        }

        @Override
        public void markIdle()
        {
            output.markIdle();
        }

        @Override
        public void markActive()
        {
            output.markActive();
        }
    }
}
