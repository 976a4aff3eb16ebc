package io.tidemark.bench.engine;

import io.tidemark.engine.functions.ReusableRecord;

/**
 * One event of the workload generator G(N, users) of {@code docs/WORKLOADS.md}: event {@code i} is
 * a user, an event time and a value, 100,000 events per second of event time, each up to
 * 2 s out of order. Mutable, so that a generator can {@link #fill} one event per source split
 * for every index instead of making one (the engine's object reuse, {@link ReusableRecord});
 * equal by value, like a record.
 */
public final class Event implements ReusableRecord<Event>
{
    /** The event time of event 0, before its out-of-order shift. */
    public static final long T0 = 1_700_000_000_000L;

    private long userId;
    private long eventTimeMs;
    private long value;

    /** An event to {@link #fill}. */
    public Event()
    {
    }

    /**
     * @param userId      the user.
     * @param eventTimeMs the event time, in milliseconds.
     * @param value       the value.
     */
    public Event(final long userId, final long eventTimeMs, final long value)
    {
        this.userId = userId;
        this.eventTimeMs = eventTimeMs;
        this.value = value;
    }

    /**
     * @param i     the event's index, {@code 0 <= i < N}.
     * @param users the number of users.
     * @return event {@code i} of G(N, users).
     */
    public static Event generate(final long i, final long users)
    {
        return new Event(userOf(i, users), timeOf(i), valueOf(i));
    }

    /**
     * Makes this event event {@code i} of G(N, users).
     *
     * @param i     the event's index, {@code 0 <= i < N}.
     * @param users the number of users.
     */
    public void fill(final long i, final long users)
    {
        userId = userOf(i, users);
        eventTimeMs = timeOf(i);
        value = valueOf(i);
    }

    /**
     * @return {@code floorMod(i * 2654435761, users)}.
     */
    public long userId()
    {
        return userId;
    }

    /**
     * @return {@code T0 + i / 100 - floorMod(i * 7919, 2000)}.
     */
    public long eventTimeMs()
    {
        return eventTimeMs;
    }

    /**
     * @return {@code i % 1000}.
     */
    public long value()
    {
        return value;
    }

    @Override
    public Event copy()
    {
        return new Event(userId, eventTimeMs, value);
    }

    @Override
    public void copyFrom(final Event other)
    {
        userId = other.userId;
        eventTimeMs = other.eventTimeMs;
        value = other.value;
    }

    @Override
    public boolean equals(final Object other)
    {
        return other instanceof Event event && userId == event.userId && eventTimeMs == event.eventTimeMs && value == event.value;
    }

    @Override
    public int hashCode()
    {
        return Long.hashCode(userId) * 961 + Long.hashCode(eventTimeMs) * 31 + Long.hashCode(value);
    }

    @Override
    public String toString()
    {
        return "Event[userId=" + userId + ", eventTimeMs=" + eventTimeMs + ", value=" + value + "]";
    }

    /**
     * @param i     an event index.
     * @param users the number of users.
     * @return the user of event {@code i}.
     */
    public static long userOf(final long i, final long users)
    {
        return Math.floorMod(i * 2654435761L, users);
    }

    /**
     * @param i an event index.
     * @return the event time of event {@code i}, in milliseconds.
     */
    public static long timeOf(final long i)
    {
        return T0 + i / 100 - Math.floorMod(i * 7919L, 2000L);
    }

    /**
     * @param i an event index.
     * @return the value of event {@code i}.
     */
    public static long valueOf(final long i)
    {
        return i % 1000;
    }

    /**
     * @param n the number of events.
     * @return the sum of the values of events {@code 0..n-1}, the checksum of a sum over
     * every event once.
     */
    public static long valueSum(final long n)
    {
        final long full = n / 1000;
        final long rest = n % 1000;
        return full * (999L * 1000 / 2) + rest * (rest - 1) / 2;
    }
}
