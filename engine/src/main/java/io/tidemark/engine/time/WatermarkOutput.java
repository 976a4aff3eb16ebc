package io.tidemark.engine.time;

/**
 * Where a {@link WatermarkGenerator} sends what it learns: a new watermark, or that its input
 * has gone quiet (idle) or come back (active). Receivers keep only advances, so a generator
 * may repeat a watermark without harm.
 */
public interface WatermarkOutput
{
    /**
     * Reports that no record with a timestamp {@code <= watermark} is expected any more. Also
     * marks the output active again if it was idle.
     *
     * @param watermark the watermark, in milliseconds.
     */
    void emitWatermark(long watermark);

    /** Reports that this input has no data for now and must not hold the watermark back. */
    void markIdle();

    /** Reports that this input has data again and takes part in the watermark once more. */
    void markActive();
}
