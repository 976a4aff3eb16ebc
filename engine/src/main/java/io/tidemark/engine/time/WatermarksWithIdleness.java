package io.tidemark.engine.time;

/**
 * Wraps a generator so that its input is declared idle after {@code timeout} of processing
 * time without a record, and active again on the next record. An idle input stops holding
 * back the watermark of everything downstream; without this, one quiet partition stalls
 * every event-time window of the job.
 *
 * <p>The clock is read only in {@link #onPeriodicEmit}, never per record.
 *
 * @param <T> the record type.
 */
public final class WatermarksWithIdleness<T> implements WatermarkGenerator<T>
{
    private final WatermarkGenerator<T> delegate;
    private final long timeout;
    private final Clock clock;
    private boolean sawRecord;
    private long lastActivity;
    private boolean idle;

    /**
     * @param delegate      the generator that produces the watermarks while active.
     * @param timeoutMillis how long without records before the input is idle, positive.
     * @param clock         processing time.
     */
    public WatermarksWithIdleness(final WatermarkGenerator<T> delegate, final long timeoutMillis, final Clock clock)
    {
        if (timeoutMillis <= 0)
        {
            throw new IllegalArgumentException("the idle timeout must be positive: " + timeoutMillis);
        }
        this.delegate = delegate;
        this.timeout = timeoutMillis;
        this.clock = clock;
        this.lastActivity = clock.millis();
    }

    @Override
    public void onEvent(final T event, final long eventTimestamp, final WatermarkOutput output)
    {
        sawRecord = true;
        if (idle)
        {
            idle = false;
            output.markActive();
        }
        delegate.onEvent(event, eventTimestamp, output);
    }

    @Override
    public void onPeriodicEmit(final WatermarkOutput output)
    {
        final long now = clock.millis();
        if (sawRecord)
        {
            sawRecord = false;
            lastActivity = now;
        }
        else if (!idle && now - lastActivity >= timeout)
        {
            idle = true;
            output.markIdle();
        }
        if (!idle)
        {
            delegate.onPeriodicEmit(output);
        }
    }
}
