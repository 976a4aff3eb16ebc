package io.tidemark.runtime.jobs;

import java.time.Duration;

/**
 * How a server's job is restarted after a task fails: after a fixed delay, or after a delay
 * that grows by {@code multiplier} each time up to {@code maxDelay}, at most {@code attempts}
 * times in a row (a job that has run for {@code resetAfter} without failing starts counting
 * again). Maps onto the engine's restart strategy.
 *
 * @param attempts    restarts allowed in a row, 0 or more.
 * @param delay       the pause before the first restart.
 * @param multiplier  what each further pause is multiplied by (1 for a fixed delay).
 * @param maxDelay    the longest pause.
 * @param resetAfter  how long a job must run without failing for the count to start again.
 */
public record RestartPolicy(int attempts, Duration delay, double multiplier, Duration maxDelay, Duration resetAfter)
{
}
