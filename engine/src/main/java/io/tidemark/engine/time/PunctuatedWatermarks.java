package io.tidemark.engine.time;

/**
 * A generator for streams that carry their own progress markers: each record may say what
 * the watermark is (a "flush" record, a heartbeat with a time). Emits on the record itself,
 * never periodically.
 *
 * @param <T> the record type.
 */
public final class PunctuatedWatermarks<T> implements WatermarkGenerator<T>
{
    /**
     * Reads the watermark a record carries.
     *
     * @param <T> the record type.
     */
    @FunctionalInterface
    public interface Extractor<T>
    {
        /**
         * @param event          the record.
         * @param eventTimestamp its event timestamp.
         * @return the watermark this record announces, or {@link Watermark#NONE} if it
         * announces none.
         */
        long watermarkOf(T event, long eventTimestamp);
    }

    private final Extractor<T> extractor;

    /**
     * @param extractor reads the watermark, if any, out of each record.
     */
    public PunctuatedWatermarks(final Extractor<T> extractor)
    {
        this.extractor = extractor;
    }

    @Override
    public void onEvent(final T event, final long eventTimestamp, final WatermarkOutput output)
    {
        final long watermark = extractor.watermarkOf(event, eventTimestamp);
        if (watermark != Watermark.NONE)
        {
            output.emitWatermark(watermark);
        }
    }

    @Override
    public void onPeriodicEmit(final WatermarkOutput output)
    {
        // Everything this generator knows arrives with the records.
    }
}
