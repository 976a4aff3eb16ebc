package io.tidemark.engine.task;

import io.tidemark.engine.checkpoint.CheckpointBarrier;
import io.tidemark.engine.checkpoint.OperatorSnapshot;
import io.tidemark.engine.checkpoint.TaskSnapshot;
import io.tidemark.engine.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.IdleStrategy;

/**
 * One subtask of one vertex, on its own thread: opens its chain (restoring what it inherits),
 * runs until its input ends (or the job stops), ends the input of its operators, tells its
 * consumers, and closes. Between batches it reads its {@link Mailbox}. Any failure fails the
 * whole job.
 */
abstract class Task implements Runnable
{
    /** Records handed over per channel before the task looks at timers and flushes. */
    static final int BATCH = 256;

    final String name;
    final OperatorChain chain;
    final JobControl control;
    final Clock clock;
    final TaskCheckpoints checkpoints;
    private final IdleStrategy idleStrategy;
    /** When the current round of work began: after the last wait for input. */
    private long roundStartNanos = System.nanoTime();

    Task(final String name, final OperatorChain chain, final JobControl control, final ExecutionConfig config, final TaskCheckpoints checkpoints)
    {
        this.name = name;
        this.chain = chain;
        this.control = control;
        this.clock = config.clock();
        this.checkpoints = checkpoints;
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
            checkpoints.finished();
        }
        catch (final Throwable t)
        {
            failUnlessCancelled(t);
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
     * Fails the job with a failure of this task, unless the failure is the job stopping: a
     * cancel seen inside an operator (a write waiting for room) reaches here wrapped in the
     * operator's exception, and whoever stopped the job recorded why.
     *
     * @param t what the task threw.
     */
    final void failUnlessCancelled(final Throwable t)
    {
        for (Throwable cause = t; cause != null; cause = cause.getCause())
        {
            if (cause instanceof JobControl.CancelledException)
            {
                return;
            }
        }
        control.fail(new TaskFailure(name, t));
    }

    /**
     * Processes input until it ends.
     *
     * @throws Exception to fail the job.
     */
    abstract void process() throws Exception;

    /**
     * The housekeeping between two batches: handle mail, fire due processing-time timers,
     * publish channel batches whose flush timeout passed, stop if the job stopped, and back
     * off if the batch found nothing to do.
     *
     * @param work how many elements the batch handled.
     * @throws Exception if handling mail fails.
     */
    final void afterBatch(final int work) throws Exception
    {
        final long nowNanos = betweenBatches(work, roundStartNanos);
        idle(work, nowNanos);
        // A round without work waited for input in idle: the next round starts after it.
        roundStartNanos = work > 0 ? nowNanos : System.nanoTime();
    }

    /**
     * The housekeeping between two batches without the back-off: handle mail, fire due
     * processing-time timers, publish channel batches whose flush timeout passed, stop if the
     * job stopped.
     *
     * @param work       how many elements the batch handled.
     * @param startNanos when the batch began, for the chain's work time.
     * @return {@link System#nanoTime()} after the timers.
     * @throws Exception if handling mail fails.
     */
    final long betweenBatches(final int work, final long startNanos) throws Exception
    {
        if (checkpoints.mailbox.hasMail())
        {
            readMail();
        }
        chain.advanceProcessingTime(clock.millis());
        final long nowNanos = System.nanoTime();
        if (work > 0)
        {
            chain.addWorkTime(nowNanos - startNanos);
        }
        chain.flushIfDue(nowNanos);
        control.checkCancelled();
        return nowNanos;
    }

    private void readMail() throws Exception
    {
        Mailbox.Mail mail;
        while ((mail = checkpoints.mailbox.poll()) != null)
        {
            final long id = mail.barrier().id();
            switch (mail.kind())
            {
                case TRIGGER:
                    checkpoint(mail.barrier(), 0);
                    break;
                case COMPLETE:
                    checkpointCompleted(id);
                    chain.notifyCheckpointComplete(id);
                    break;
                default:
                    checkpointAborted(id);
                    chain.notifyCheckpointAborted(id);
                    break;
            }
        }
    }

    /**
     * Takes this task's part in a checkpoint, between two records: the operators prepare
     * (head first; what they emit still precedes the barrier), the task captures its state,
     * sends the barrier on, and acknowledges.
     *
     * @param barrier        the checkpoint's barrier.
     * @param alignmentNanos how long the task held inputs back for it.
     * @throws Exception if an operator declines; it fails the job.
     */
    final void checkpoint(final CheckpointBarrier barrier, final long alignmentNanos) throws Exception
    {
        final long start = System.nanoTime();
        chain.prepareSnapshotPreBarrier(barrier.id());
        final byte[] splits = snapshotSplits(barrier.id());
        final Map<Integer, OperatorSnapshot> operators = chain.snapshot(barrier.id());
        chain.barrier(barrier);
        final long syncMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        checkpoints.acknowledge(barrier.id(), new TaskSnapshot(checkpoints.vertexId, checkpoints.subtask, checkpoints.parallelism, checkpoints.keyGroups,
            operators, splits, syncMillis, TimeUnit.NANOSECONDS.toMillis(alignmentNanos)));
    }

    /**
     * @param checkpointId the checkpoint being taken.
     * @return the source's splits as they stand, serialized; {@code null} for a task without
     * a source.
     * @throws Exception if a split cannot say where it stands.
     */
    byte[] snapshotSplits(final long checkpointId) throws Exception
    {
        return null;
    }

    /**
     * A checkpoint completed; called before the operators hear of it.
     *
     * @param checkpointId the checkpoint.
     * @throws Exception to fail the job.
     */
    void checkpointCompleted(final long checkpointId) throws Exception
    {
    }

    /**
     * A checkpoint was aborted: stop waiting for its barriers.
     *
     * @param checkpointId the checkpoint.
     */
    void checkpointAborted(final long checkpointId)
    {
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
