package io.tidemark.engine.time;

/**
 * A {@link Clock} that moves only when told to. Safe to advance from one thread while task
 * threads read it.
 */
public final class ManualClock implements Clock
{
    private volatile long now;

    /**
     * @param start the initial time in milliseconds.
     */
    public ManualClock(final long start)
    {
        this.now = start;
    }

    @Override
    public long millis()
    {
        return now;
    }

    /**
     * Sets the time. Time may not go backwards: timers and idleness assume it never does.
     *
     * @param millis the new time.
     * @throws IllegalArgumentException if {@code millis} is before the current time.
     */
    public synchronized void set(final long millis)
    {
        if (millis < now)
        {
            throw new IllegalArgumentException("time cannot go back from " + now + " to " + millis);
        }
        now = millis;
    }

    /**
     * Moves the time forward.
     *
     * @param millis how far, not negative.
     */
    public synchronized void advance(final long millis)
    {
        set(now + millis);
    }
}
