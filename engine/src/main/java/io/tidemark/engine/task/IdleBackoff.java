package io.tidemark.engine.task;

/**
 * What a stream task that found no input does next: spin, yield, or sleep on its
 * {@link Doorbell}. Sleeping costs a wake-up (a few microseconds of CPU on each side, and the
 * wait for a core if the machine is busy); spinning costs the core for as long as it spins.
 *
 * <p>The spin budget follows the gaps in the input: a gap that ended within {@code maxSpinNanos}
 * could have been spun through, and the budget grows to twice that gap (unless it is larger
 * already); a longer gap could not, and halves the budget, down to {@code minSpinNanos}. A
 * dense stream is caught while the task spins; a sparse one puts the task to sleep promptly,
 * so that it burns no core another thread needs.
 *
 * <p>After the spin, a task that keeps up sleeps at once: on a machine with more runnable
 * threads than cores, a thread that yields stays runnable and may wait out another thread's
 * whole time slice (milliseconds), where a sleeping thread that is woken is placed ahead of
 * threads that have used more than their share. A task that was behind (its last input filled
 * a whole batch) yields a few times first: its producers are then likely waiting for room, and
 * a yield hands them the core with no wake-up on either side. Not thread-safe: one task's
 * thread owns it.
 */
final class IdleBackoff
{
    /** What to do on an empty round. */
    enum Action
    {
        /** Look again at once ({@link Thread#onSpinWait()}). */
        SPIN,
        /** Give the core to another runnable thread, then look again. */
        YIELD,
        /** Sleep on the doorbell. */
        SLEEP
    }

    private final long minSpinNanos;
    private final long maxSpinNanos;
    private final int yieldsWhenBehind;
    private long spinBudgetNanos;
    private long idleSinceNanos;
    private boolean idle;
    private int yieldsLeft;

    /**
     * @param minSpinNanos     the least a task spins before sleeping, non-negative.
     * @param maxSpinNanos     the most a task spins before sleeping, and the longest gap it
     *                         learns from; at least {@code minSpinNanos}.
     * @param yieldsWhenBehind the yields after the spin when the last input filled a batch,
     *                         non-negative.
     */
    IdleBackoff(final long minSpinNanos, final long maxSpinNanos, final int yieldsWhenBehind)
    {
        if (minSpinNanos < 0 || maxSpinNanos < minSpinNanos || yieldsWhenBehind < 0)
        {
            throw new IllegalArgumentException("need 0 <= min <= max spin and yields >= 0: " + minSpinNanos + ", " + maxSpinNanos + ", " + yieldsWhenBehind);
        }
        this.minSpinNanos = minSpinNanos;
        this.maxSpinNanos = maxSpinNanos;
        this.yieldsWhenBehind = yieldsWhenBehind;
        this.spinBudgetNanos = minSpinNanos;
    }

    /**
     * The task handled input; ends the gap that preceded it, if any, and learns from its length.
     *
     * @param nowNanos {@link System#nanoTime()}.
     * @param behind   whether the input filled a whole batch: the task is not keeping up.
     */
    void onInput(final long nowNanos, final boolean behind)
    {
        if (idle)
        {
            idle = false;
            final long gap = nowNanos - idleSinceNanos;
            spinBudgetNanos = gap <= maxSpinNanos ? Math.min(maxSpinNanos, Math.max(spinBudgetNanos, 2 * gap)) : Math.max(minSpinNanos, spinBudgetNanos / 2);
        }
        yieldsLeft = behind ? yieldsWhenBehind : 0;
    }

    /**
     * The task found no input.
     *
     * @param nowNanos {@link System#nanoTime()}.
     * @return what to do before looking again.
     */
    Action onEmpty(final long nowNanos)
    {
        if (!idle)
        {
            idle = true;
            idleSinceNanos = nowNanos;
        }
        if (nowNanos - idleSinceNanos < spinBudgetNanos)
        {
            return Action.SPIN;
        }
        if (yieldsLeft > 0)
        {
            yieldsLeft--;
            return Action.YIELD;
        }
        return Action.SLEEP;
    }

    /**
     * @return how long the next gap is spun through before the task yields or sleeps, in
     *         nanoseconds.
     */
    long spinBudgetNanos()
    {
        return spinBudgetNanos;
    }
}
