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
 * <p>A gap that follows a whole batch (the last input filled one) is the upstream's: the
 * producer publishes a batch when it has filled it, so the next one comes when the producer has
 * made it again, and the task, which drained the batch faster than it came, waits on a slower
 * upstream. Spinning through that gap would cost the core for as long as the producer takes,
 * for every batch, where a wake-up costs a few microseconds (about 7 µs of CPU on both sides,
 * measured on a busy 2-core VM) and the batch's records have already waited for the batch to
 * fill. So such a gap is spun for {@code minSpinNanos} only and does not teach the budget,
 * which stays that of the gaps between records that come one by one or in small groups (where
 * a spin saves a wake-up on the latency path).
 *
 * <p>After the spin, a task that keeps up sleeps at once: on a machine with more runnable
 * threads than cores, a thread that yields stays runnable and may wait out another thread's
 * whole time slice (milliseconds), where a sleeping thread that is woken is placed ahead of
 * threads that have used more than their share. A task whose last input filled a whole batch
 * yields a few times first: if it was behind, its producers are likely waiting for room, and
 * a yield hands them the core with no wake-up on either side. The yields learn whether that
 * pays: yields that all pass without input (the producer was not waiting, it is the slower
 * one) halve the yields of the next such gap, down to one, and input that comes during the
 * yields restores them all. Not thread-safe: one task's thread owns it.
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
    /** Whether the input before the current gap filled a whole batch. */
    private boolean afterBatch;
    /** The yields of the next gap after a whole batch: {@code yieldsWhenBehind}, halved by yields that did not pay. */
    private int yieldsAfterBatch;
    private int yieldsLeft;
    /** Whether the task went to sleep in the current gap. */
    private boolean slept;

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
        this.yieldsAfterBatch = yieldsWhenBehind;
    }

    /**
     * The task handled input; ends the gap that preceded it, if any, and learns from its length
     * (a gap between records) or from whether its yields paid (a gap after a whole batch).
     *
     * @param nowNanos {@link System#nanoTime()}.
     * @param behind   whether the input filled a whole batch: the task was behind, or its
     *                 producer publishes whole batches.
     */
    void onInput(final long nowNanos, final boolean behind)
    {
        if (idle)
        {
            idle = false;
            if (!afterBatch)
            {
                final long gap = nowNanos - idleSinceNanos;
                spinBudgetNanos = gap <= maxSpinNanos ? Math.min(maxSpinNanos, Math.max(spinBudgetNanos, 2 * gap)) : Math.max(minSpinNanos, spinBudgetNanos / 2);
            }
            else if (!slept && yieldsLeft < yieldsAfterBatch)
            {
                // Input came while the task yielded: the yields handed the core to a producer.
                yieldsAfterBatch = yieldsWhenBehind;
            }
        }
        slept = false;
        afterBatch = behind;
        yieldsLeft = behind ? yieldsAfterBatch : 0;
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
        if (nowNanos - idleSinceNanos < (afterBatch ? minSpinNanos : spinBudgetNanos))
        {
            return Action.SPIN;
        }
        if (yieldsLeft > 0)
        {
            yieldsLeft--;
            return Action.YIELD;
        }
        if (afterBatch && !slept)
        {
            // Every yield passed without input: the producer is the slower one, not waiting for room.
            yieldsAfterBatch = Math.max(Math.min(1, yieldsWhenBehind), yieldsAfterBatch / 2);
        }
        slept = true;
        return Action.SLEEP;
    }

    /**
     * @return how long the next gap between records is spun through before the task yields or
     *         sleeps, in nanoseconds.
     */
    long spinBudgetNanos()
    {
        return spinBudgetNanos;
    }

    /**
     * @return the yields of the next gap after a whole batch.
     */
    int yieldsAfterBatch()
    {
        return yieldsAfterBatch;
    }
}
