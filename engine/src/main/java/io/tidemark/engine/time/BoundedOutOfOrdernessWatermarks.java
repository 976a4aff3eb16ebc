package io.tidemark.engine.time;

/**
 * The usual periodic generator: assumes a record arrives at most {@code bound} milliseconds
 * behind the largest timestamp seen so far, so the watermark is that maximum minus the bound
 * minus one. A bound of zero gives monotonous timestamps.
 *
 * @param <T> the record type.
 */
public final class BoundedOutOfOrdernessWatermarks<T> implements WatermarkGenerator<T>
{
    private final long bound;
    private long maxTimestamp = Watermark.NONE;

    /**
     * @param boundMillis how far behind the largest timestamp a record may still arrive on
     *                    time, in milliseconds, not negative.
     */
    public BoundedOutOfOrdernessWatermarks(final long boundMillis)
    {
        this.bound = requireValidBound(boundMillis);
    }

    static long requireValidBound(final long boundMillis)
    {
        if (boundMillis < 0)
        {
            throw new IllegalArgumentException("the out-of-orderness bound must not be negative: " + boundMillis);
        }
        return boundMillis;
    }

    @Override
    public void onEvent(final T event, final long eventTimestamp, final WatermarkOutput output)
    {
        if (eventTimestamp > maxTimestamp)
        {
            maxTimestamp = eventTimestamp;
        }
    }

    @Override
    public void onPeriodicEmit(final WatermarkOutput output)
    {
        final long watermark = watermarkFor(maxTimestamp, bound);
        if (watermark != Watermark.NONE)
        {
            output.emitWatermark(watermark);
        }
    }

    /**
     * @param maxTimestamp the largest timestamp seen, or {@link Watermark#NONE}.
     * @param bound        the out-of-orderness bound.
     * @return {@code maxTimestamp - bound - 1}, or {@link Watermark#NONE} when nothing was seen
     * or the subtraction would underflow.
     */
    static long watermarkFor(final long maxTimestamp, final long bound)
    {
        if (maxTimestamp == Watermark.NONE || maxTimestamp < Watermark.NONE + bound + 1)
        {
            return Watermark.NONE;
        }
        return maxTimestamp - bound - 1;
    }
}
