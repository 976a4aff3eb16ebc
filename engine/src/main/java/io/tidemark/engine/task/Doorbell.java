package io.tidemark.engine.task;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * How a task that found no input sleeps without adding latency. It parks, and a writer of its
 * input channels that publishes while it sleeps either wakes it or, when the task is
 * {@linkplain #lendTo lent}, runs the task's next round itself, on the writer's thread: the
 * records then reach the task's operators without waiting for the sleeper to get a core, which
 * on a busy machine can take a whole time slice of another process (milliseconds). Parking on
 * a timer alone would make a record that arrives just after the consumer fell asleep wait out
 * the timer (on Linux at least the 50 µs timer slack, whatever the timeout asked for); spinning
 * instead would burn a core that, with more task threads than cores, another task needs.
 *
 * <p>The task is run by one thread at a time, with a happens-before edge from each to the
 * next: its own thread while awake ({@code OWNED}), nobody while it sleeps ({@code SLEEPING}),
 * a writer's thread that took it with a compare-and-set ({@code LENT}), or nobody while its own
 * thread, woken, has not taken it back yet ({@code WAKING}). A writer may take it then too,
 * and gives it back {@code WAKING}. A writer whose round asks for the task's own thread (the
 * task was behind, ran long, ended or failed) goes from {@code LENT} to {@code CALLED}
 * directly, which no writer takes: the round's reason holds until that thread runs. Its own thread takes it back when
 * it wakes unless a writer holds it; then it parks again, and the writer wakes it if it leaves
 * input behind.
 *
 * <p>The handshake cannot lose a record: the sleeper gives the task away, then checks its
 * channels once more before it parks; a writer publishes, then looks for a sleeper; a writer
 * that ran the task gives it back, then checks the channels once more. With a full fence on
 * each side, one of the two sees the other.
 */
final class Doorbell
{
    /** A task a writer's thread may run while the task's own thread sleeps. */
    interface Lendable
    {
        /**
         * Runs one round of the task on the caller's thread: its input, then what it does
         * between batches (mail, timers, due flushes), then publishes what its outputs hold.
         *
         * @return whether the task's own thread should take over now: the task was behind,
         *         its input ended, or it failed (the job is then failed).
         */
        boolean runLent();

        /**
         * @return whether any input channel holds something; a hint when called without
         *         holding the task.
         */
        boolean hasInput();
    }

    private static final int OWNED = 0;
    private static final int SLEEPING = 1;
    private static final int WAKING = 2;
    private static final int LENT = 3;
    /** Woken because a lent round asked for the task's own thread; writers leave it alone. */
    private static final int CALLED = 4;
    /**
     * Rounds a writer runs, taking the task again after each, before it leaves the rest to the
     * task's own thread: enough for the records of other writers that published meanwhile.
     */
    private static final int LENT_ROUNDS = 4;
    private static final VarHandle STATE;

    static
    {
        try
        {
            STATE = MethodHandles.lookup().findVarHandle(Doorbell.class, "state", int.class);
        }
        catch (final ReflectiveOperationException e)
        {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile Thread sleeper;
    /** Set before the task's thread starts, which publishes it to the writers' threads. */
    private Lendable task;
    @SuppressWarnings("unused")
    private int state = OWNED;

    /**
     * Lets writers run the task while it sleeps. Called before the task's thread starts.
     *
     * @param lendable the task that sleeps on this doorbell.
     */
    void lendTo(final Lendable lendable)
    {
        this.task = lendable;
    }

    /**
     * Runs or wakes the owner if it sleeps; called by a writer after it published. Costs a
     * fence and a read of a line that changes only when the consumer sleeps or wakes, unless
     * the consumer sleeps.
     *
     * @return whether the calling thread ran the task.
     */
    boolean ring()
    {
        VarHandle.fullFence();
        final int seen = (int)STATE.getOpaque(this);
        if (seen != SLEEPING && seen != WAKING)
        {
            return false;
        }
        final Lendable lendable = task;
        if (lendable == null)
        {
            wake();
            return false;
        }
        for (int round = 0; round < LENT_ROUNDS; round++)
        {
            // A task woken but not yet running is still lent: on a busy machine its thread can
            // wait a whole time slice of another process for a core (milliseconds), and every
            // record for it would wait too. It gets the task back as soon as it runs.
            final int from;
            if (STATE.compareAndSet(this, SLEEPING, LENT))
            {
                from = SLEEPING;
            }
            else if (STATE.compareAndSet(this, WAKING, LENT))
            {
                from = WAKING;
            }
            else
            {
                // Another writer runs it, or its own thread took it: either sees this record.
                return round > 0;
            }
            if (runLent(lendable, from == WAKING))
            {
                return true;
            }
            VarHandle.fullFence();
            if (!lendable.hasInput())
            {
                return true;
            }
        }
        wake();
        return true;
    }

    /**
     * Runs a round of the task this thread took, and gives it back: straight to its own
     * thread ({@code CALLED}) when the round says so; back to {@code WAKING} when it was taken
     * from there (its thread may have found it lent and parked again); else to the sleepers'
     * pool ({@code SLEEPING}). Handed over from {@code LENT}, which only this thread can leave,
     * the wake-up cannot be lost to a writer that takes the task in between.
     *
     * @param woken whether the task was taken from {@code WAKING}.
     * @return whether the task's own thread was woken.
     */
    private boolean runLent(final Lendable lendable, final boolean woken)
    {
        boolean called = true;
        try
        {
            called = lendable.runLent();
        }
        finally
        {
            final int next = called ? CALLED : woken ? WAKING : SLEEPING;
            STATE.setVolatile(this, next);
            if (next != SLEEPING)
            {
                LockSupport.unpark(sleeper);
            }
        }
        return called || woken;
    }

    private void wake()
    {
        if (STATE.compareAndSet(this, SLEEPING, WAKING))
        {
            LockSupport.unpark(sleeper);
        }
    }

    /**
     * Sleeps until a writer rings or {@code maxNanos} pass, unless {@code hasInput} says
     * there is input already, and returns once the calling thread holds the task again.
     * Called by the owning task's thread only.
     *
     * @param maxNanos the longest sleep: the task still has timers and flushes to look after.
     * @param hasInput whether any input channel holds something.
     */
    void sleep(final long maxNanos, final BooleanSupplier hasInput)
    {
        sleeper = Thread.currentThread();
        STATE.setVolatile(this, SLEEPING);
        VarHandle.fullFence();
        if (!hasInput.getAsBoolean())
        {
            LockSupport.parkNanos(this, maxNanos);
        }
        while (true)
        {
            final int seen = (int)STATE.getVolatile(this);
            if (seen != LENT && STATE.compareAndSet(this, seen, OWNED))
            {
                return;
            }
            // A writer runs the task; it wakes this thread if it leaves input behind.
            LockSupport.parkNanos(this, maxNanos);
        }
    }
}
