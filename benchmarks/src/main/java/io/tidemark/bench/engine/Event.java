package io.tidemark.bench.engine;

/**
 * One event of the workload generator G(N, users) of {@code docs/WORKLOADS.md}: event {@code i} is
 * a user, an event time and a value, 100,000 events per second of event time, each up to
 * 2 s out of order.
 *
 * @param userId      {@code floorMod(i * 2654435761, users)}.
 * @param eventTimeMs {@code T0 + i / 100 - floorMod(i * 7919, 2000)}.
 * @param value       {@code i % 1000}.
 */
public record Event(long userId, long eventTimeMs, long value)
{
    /** The event time of event 0, before its out-of-order shift. */
    public static final long T0 = 1_700_000_000_000L;

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
