package io.tidemark.engine.task;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * How a task that found no input sleeps without adding latency: it parks, and the writers of
 * its input channels unpark it when they publish. Parking on a timer alone would make a
 * record that arrives just after the consumer fell asleep wait out the timer (on Linux at
 * least the 50 µs timer slack, whatever the timeout asked for); spinning instead would burn
 * a core that, with more task threads than cores, another task needs.
 *
 * <p>The handshake cannot lose a wake-up: the sleeper announces itself, then checks its
 * channels once more before it parks; a writer publishes, then looks for a sleeper. With a
 * full fence on each side, one of the two sees the other.
 */
final class Doorbell
{
    private static final VarHandle SLEEPING;

    static
    {
        try
        {
            SLEEPING = MethodHandles.lookup().findVarHandle(Doorbell.class, "sleeping", boolean.class);
        }
        catch (final ReflectiveOperationException e)
        {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile Thread sleeper;
    @SuppressWarnings("unused")
    private boolean sleeping;

    /**
     * Wakes the owner if it sleeps; called by a writer after it published. Costs a fence and
     * a read of a line that changes only when the consumer sleeps or wakes.
     */
    void ring()
    {
        VarHandle.fullFence();
        if ((boolean)SLEEPING.getOpaque(this))
        {
            SLEEPING.setOpaque(this, false);
            LockSupport.unpark(sleeper);
        }
    }

    /**
     * Sleeps until a writer rings or {@code maxNanos} pass, unless {@code hasInput} says
     * there is input already. Called by the owning task's thread only.
     *
     * @param maxNanos the longest sleep: the task still has timers and flushes to look after.
     * @param hasInput whether any input channel holds something.
     */
    void sleep(final long maxNanos, final BooleanSupplier hasInput)
    {
        sleeper = Thread.currentThread();
        SLEEPING.setVolatile(this, true);
        if (!hasInput.getAsBoolean())
        {
            LockSupport.parkNanos(this, maxNanos);
        }
        SLEEPING.setOpaque(this, false);
    }
}
