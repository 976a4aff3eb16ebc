package io.tidemark.engine.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for a condition by polling with a deadline; tests never sleep a fixed time. */
public final class Poll
{
    private Poll()
    {
    }

    /**
     * @param what      what is awaited, for the failure message.
     * @param condition the condition.
     * @param step      run before each check (to move a manual clock, say); may be null.
     */
    public static void until(final String what, final BooleanSupplier condition, final Runnable step)
    {
        final long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError("timed out waiting for " + what);
            }
            if (step != null)
            {
                step.run();
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    /**
     * @param what      what is awaited, for the failure message.
     * @param condition the condition.
     */
    public static void until(final String what, final BooleanSupplier condition)
    {
        until(what, condition, null);
    }
}
