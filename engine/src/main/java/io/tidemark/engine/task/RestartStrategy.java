package io.tidemark.engine.task;

import java.time.Duration;
import java.util.Objects;

/**
 * When a job whose task failed starts again, and how often: after a pause that starts at
 * {@code initialDelay} and is multiplied by {@code multiplier} after each restart, up to
 * {@code maxDelay}, at most {@code maxAttempts} times in a row. A run that lasted
 * {@code resetAfter} before it failed resets both: the next restart is the first of a new
 * series, after the initial delay (Flink's exponential-delay strategy). A checkpointed job
 * restarts from its latest completed checkpoint, any other job from the start of its input.
 *
 * <pre>{@code
 * env.getConfig().restartStrategy(RestartStrategy.exponentialDelay(10, Duration.ofSeconds(1), 2, Duration.ofSeconds(30))
 *     .withResetAfter(Duration.ofMinutes(10)));
 * }</pre>
 *
 * @param maxAttempts  restarts allowed in a row, 0 or more.
 * @param initialDelay the pause before the first restart of a series.
 * @param multiplier   what each further pause is multiplied by, at least 1 (1: a fixed delay).
 * @param maxDelay     the longest pause, at least the initial delay.
 * @param resetAfter   how long a run must last for its failure to start a new series, or
 *                     {@code null} if restarts count for the job's whole life.
 */
public record RestartStrategy(int maxAttempts, Duration initialDelay, double multiplier, Duration maxDelay, Duration resetAfter)
{
    /** A failure ends the job. */
    public static final RestartStrategy NONE = fixedDelay(0, Duration.ZERO);

    /**
     * @param maxAttempts  0 or more.
     * @param initialDelay not negative.
     * @param multiplier   at least 1.
     * @param maxDelay     not below the initial delay.
     * @param resetAfter   positive, or {@code null}.
     */
    public RestartStrategy
    {
        Objects.requireNonNull(initialDelay, "initialDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        if (maxAttempts < 0)
        {
            throw new IllegalArgumentException("restart attempts must not be negative: " + maxAttempts);
        }
        if (initialDelay.isNegative())
        {
            throw new IllegalArgumentException("the restart delay must not be negative: " + initialDelay);
        }
        if (!(multiplier >= 1))
        {
            throw new IllegalArgumentException("the restart delay's multiplier must be at least 1: " + multiplier);
        }
        if (maxDelay.compareTo(initialDelay) < 0)
        {
            throw new IllegalArgumentException("the longest restart delay " + maxDelay + " is below the first " + initialDelay);
        }
        if (resetAfter != null && (resetAfter.isZero() || resetAfter.isNegative()))
        {
            throw new IllegalArgumentException("the time after which restarts count again must be positive: " + resetAfter);
        }
    }

    /**
     * @param maxAttempts restarts allowed over the job's life, 0 or more.
     * @param delay       the pause before each.
     * @return the same pause before every restart, never reset.
     */
    public static RestartStrategy fixedDelay(final int maxAttempts, final Duration delay)
    {
        return new RestartStrategy(maxAttempts, delay, 1, delay, null);
    }

    /**
     * @param maxAttempts  restarts allowed in a row, 0 or more.
     * @param initialDelay the first pause.
     * @param multiplier   what each further pause is multiplied by, at least 1.
     * @param maxDelay     the longest pause.
     * @return pauses that grow with each restart, never reset (see {@link #withResetAfter}).
     */
    public static RestartStrategy exponentialDelay(final int maxAttempts, final Duration initialDelay, final double multiplier, final Duration maxDelay)
    {
        return new RestartStrategy(maxAttempts, initialDelay, multiplier, maxDelay, null);
    }

    /**
     * @param runTime how long a run must last for its failure to start a new series of
     *                restarts, positive; {@code null} for never.
     * @return a copy with that reset.
     */
    public RestartStrategy withResetAfter(final Duration runTime)
    {
        return new RestartStrategy(maxAttempts, initialDelay, multiplier, maxDelay, runTime);
    }

    /**
     * @param attempt the restart's index in its series, from 0.
     * @return the pause before it: the initial delay times the multiplier to the power of
     * {@code attempt}, at most the max delay.
     */
    public Duration delayBefore(final int attempt)
    {
        final double millis = initialDelay.toMillis() * Math.pow(multiplier, attempt);
        return millis >= maxDelay.toMillis() ? maxDelay : Duration.ofMillis((long)millis);
    }

    /**
     * @param runNanos how long the run that failed lasted.
     * @return whether its failure starts a new series.
     */
    boolean resets(final long runNanos)
    {
        return resetAfter != null && runNanos >= resetAfter.toNanos();
    }
}
