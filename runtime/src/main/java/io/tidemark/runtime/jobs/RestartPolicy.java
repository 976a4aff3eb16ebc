package io.tidemark.runtime.jobs;

import io.tidemark.engine.task.RestartStrategy;
import java.time.Duration;

/**
 * How a server's job is restarted after a task fails: after a fixed delay, or after a delay
 * that grows by {@code multiplier} each time up to {@code maxDelay}, at most {@code attempts}
 * times in a row (a job that has run for {@code resetAfter} without failing starts counting
 * again). Maps onto the engine's restart strategy; a {@code null} duration, or a multiplier
 * below 1, takes the value of {@link #DEFAULT}.
 *
 * @param attempts    restarts allowed in a row, 0 or more.
 * @param delay       the pause before the first restart.
 * @param multiplier  what each further pause is multiplied by (1 for a fixed delay).
 * @param maxDelay    the longest pause.
 * @param resetAfter  how long a job must run without failing for the count to start again.
 */
public record RestartPolicy(int attempts, Duration delay, double multiplier, Duration maxDelay, Duration resetAfter)
{
    /**
     * The server's default: 1 s, doubling up to 30 s, at most 10 restarts in a row (about four
     * minutes of trying), counted afresh once the job has run 10 minutes without failing. A
     * job that fails for good in its first minutes (bad input it cannot skip, a missing topic)
     * stops soon enough to be noticed; one that fails now and then keeps running.
     */
    public static final RestartPolicy DEFAULT = new RestartPolicy(10, Duration.ofSeconds(1), 2, Duration.ofSeconds(30), Duration.ofMinutes(10));

    /**
     * @return the engine's restart strategy for this policy.
     * @throws IllegalArgumentException if the attempts or a duration are negative, or the max
     *                                  delay is below the delay.
     */
    public RestartStrategy strategy()
    {
        final Duration first = delay == null ? DEFAULT.delay : delay;
        final double factor = multiplier < 1 ? DEFAULT.multiplier : multiplier;
        final Duration longest = maxDelay != null ? maxDelay : factor == 1 ? first : max(first, DEFAULT.maxDelay);
        return new RestartStrategy(attempts, first, factor, longest, resetAfter == null ? DEFAULT.resetAfter : resetAfter);
    }

    private static Duration max(final Duration a, final Duration b)
    {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
