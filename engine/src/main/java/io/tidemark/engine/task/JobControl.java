package io.tidemark.engine.task;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The shared fate of a job's tasks: whether it was cancelled or failed, and how many tasks
 * are still running. Every waiting loop (a full channel, an empty input) checks it, so a
 * failure anywhere stops every thread.
 */
final class JobControl
{
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final CountDownLatch running;
    private volatile boolean cancelled;

    JobControl(final int tasks)
    {
        this.running = new CountDownLatch(tasks);
    }

    /** Raised inside a task to unwind it when the job stops. */
    static final class CancelledException extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        CancelledException()
        {
            super("job cancelled", null, false, false);
        }
    }

    void checkCancelled()
    {
        if (cancelled)
        {
            throw new CancelledException();
        }
    }

    boolean isCancelled()
    {
        return cancelled;
    }

    void cancel()
    {
        cancelled = true;
    }

    void fail(final Throwable cause)
    {
        failure.compareAndSet(null, cause);
        cancelled = true;
    }

    Throwable failure()
    {
        return failure.get();
    }

    void taskFinished()
    {
        running.countDown();
    }

    CountDownLatch running()
    {
        return running;
    }
}
