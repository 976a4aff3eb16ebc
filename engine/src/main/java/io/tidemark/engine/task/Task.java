package io.tidemark.engine.task;

import io.tidemark.engine.time.Clock;
import org.agrona.concurrent.IdleStrategy;

/**
 * One subtask of one vertex, on its own thread: opens its chain, runs until its input ends
 * (or the job stops), ends the input of its operators, tells its consumers, and closes. Any
 * failure fails the whole job.
 */
abstract class Task implements Runnable
{
    /** Records handed over per channel before the task looks at timers and flushes. */
    static final int BATCH = 256;

    final String name;
    final OperatorChain chain;
    final JobControl control;
    final Clock clock;
    private final IdleStrategy idleStrategy;

    Task(final String name, final OperatorChain chain, final JobControl control, final ExecutionConfig config)
    {
        this.name = name;
        this.chain = chain;
        this.control = control;
        this.clock = config.clock();
        this.idleStrategy = config.newIdleStrategy();
    }

    @Override
    public final void run()
    {
        try
        {
            chain.open();
            process();
            chain.endInput();
        }
        catch (final JobControl.CancelledException e)
        {
            // The job stopped; whoever stopped it recorded why.
        }
        catch (final Throwable t)
        {
            control.fail(new TaskFailure(name, t));
        }
        finally
        {
            final Exception closing = chain.close();
            if (closing != null)
            {
                control.fail(new TaskFailure(name, closing));
            }
            control.taskFinished();
        }
    }

    /**
     * Processes input until it ends.
     *
     * @throws Exception to fail the job.
     */
    abstract void process() throws Exception;

    /**
     * The housekeeping between two batches: fire due processing-time timers, publish
     * channel batches whose flush timeout passed, stop if the job stopped, and back off if
     * the batch found nothing to do.
     *
     * @param work how many elements the batch handled.
     */
    final void afterBatch(final int work)
    {
        chain.advanceProcessingTime(clock.millis());
        final long nowNanos = System.nanoTime();
        chain.flushIfDue(nowNanos);
        control.checkCancelled();
        idle(work, nowNanos);
    }

    /**
     * Waits a little if the batch found nothing to do; by the configured idle strategy
     * unless the task knows better.
     *
     * @param work     how many elements the batch handled.
     * @param nowNanos {@link System#nanoTime()} at the end of the batch.
     */
    void idle(final int work, final long nowNanos)
    {
        idleStrategy.idle(work);
    }

    /** A task's failure, naming the task. */
    static final class TaskFailure extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        TaskFailure(final String task, final Throwable cause)
        {
            super("task '" + task + "' failed: " + cause, cause);
        }
    }
}
