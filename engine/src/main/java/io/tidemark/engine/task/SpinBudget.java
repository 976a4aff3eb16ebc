package io.tidemark.engine.task;

/**
 * How long a stream task that found no input spins before it sleeps on its
 * {@link Doorbell}, learnt from the gaps its input has shown. Sleeping costs a wake-up (a few
 * microseconds of CPU on each side, and the wait for a core if the machine is busy); spinning
 * costs the core for as long as it spins. So the budget follows the gaps: a gap that ended
 * within {@code maxNanos} could have been spun through, and the budget grows to twice that gap
 * (unless it is larger already);
 * a gap longer than that could not, and halves the budget, down to {@code minNanos}. A dense
 * stream is caught while the task spins; a sparse one puts the task to sleep promptly, so that
 * it burns no core another thread needs.
 *
 * <p>There is no yield phase between spinning and sleeping: on a machine with more runnable
 * threads than cores, a thread that yields stays runnable and may wait out another thread's
 * whole time slice (milliseconds) before it runs again, where a sleeping thread that is woken
 * is placed ahead of threads that have used more than their share. Not thread-safe: one task's
 * thread owns it.
 */
final class SpinBudget
{
    private final long minNanos;
    private final long maxNanos;
    private long budgetNanos;
    private long idleSinceNanos;
    private boolean idle;

    /**
     * @param minNanos the least a task spins before sleeping, non-negative.
     * @param maxNanos the most a task spins before sleeping, and the longest gap it learns from;
     *                 at least {@code minNanos}.
     */
    SpinBudget(final long minNanos, final long maxNanos)
    {
        if (minNanos < 0 || maxNanos < minNanos)
        {
            throw new IllegalArgumentException("need 0 <= min <= max spin: " + minNanos + ", " + maxNanos);
        }
        this.minNanos = minNanos;
        this.maxNanos = maxNanos;
        this.budgetNanos = minNanos;
    }

    /**
     * The task handled input; ends the gap that preceded it, if any, and learns from its length.
     *
     * @param nowNanos {@link System#nanoTime()}.
     */
    void onInput(final long nowNanos)
    {
        if (idle)
        {
            idle = false;
            final long gap = nowNanos - idleSinceNanos;
            budgetNanos = gap <= maxNanos ? Math.min(maxNanos, Math.max(budgetNanos, 2 * gap)) : Math.max(minNanos, budgetNanos / 2);
        }
    }

    /**
     * The task found no input.
     *
     * @param nowNanos {@link System#nanoTime()}.
     * @return {@code true} to spin once more, {@code false} to sleep.
     */
    boolean spinOnEmpty(final long nowNanos)
    {
        if (!idle)
        {
            idle = true;
            idleSinceNanos = nowNanos;
        }
        return nowNanos - idleSinceNanos < budgetNanos;
    }

    /**
     * @return how long the next gap is spun through before the task sleeps, in nanoseconds.
     */
    long budgetNanos()
    {
        return budgetNanos;
    }
}
