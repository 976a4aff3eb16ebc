package io.tidemark.engine.time;

import java.util.ArrayList;
import java.util.List;

/** Records what a generator or valve emits, as readable events: "wm:5", "idle", "active". */
final class RecordingOutput implements WatermarkOutput, WatermarkValve.Output
{
    final List<String> events = new ArrayList<>();
    final List<Long> watermarks = new ArrayList<>();

    @Override
    public void emitWatermark(final long watermark)
    {
        events.add("wm:" + Watermark.format(watermark));
        watermarks.add(watermark);
    }

    @Override
    public void emitIdle(final boolean idle)
    {
        events.add(idle ? "idle" : "active");
    }

    @Override
    public void markIdle()
    {
        emitIdle(true);
    }

    @Override
    public void markActive()
    {
        emitIdle(false);
    }

    long last()
    {
        return watermarks.isEmpty() ? Watermark.NONE : watermarks.get(watermarks.size() - 1);
    }
}
