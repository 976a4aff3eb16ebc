package io.tidemark.engine.task;

import io.tidemark.engine.checkpoint.CheckpointStats;
import io.tidemark.engine.checkpoint.CompletedCheckpoint;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import io.tidemark.engine.operator.OperatorMetrics;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A running (or finished) job: wait for it, cancel it, and read every operator subtask's
 * metrics while it runs, in particular its current watermark (what the dashboard draws
 * against event time and processing time).
 */
public final class JobHandle
{
    private final String jobName;
    private final JobControl control;
    private final List<OperatorMetrics> metrics;

    JobHandle(final String jobName, final JobControl control, final List<OperatorMetrics> metrics)
    {
        this.jobName = jobName;
        this.control = control;
        this.metrics = List.copyOf(metrics);
    }

    /**
     * @return the job's name.
     */
    public String jobName()
    {
        return jobName;
    }

    /**
     * @return the metrics of every operator subtask, including sources, in job order.
     */
    public List<OperatorMetrics> metrics()
    {
        return metrics;
    }

    /**
     * @param operatorName an operator's name.
     * @param subtask      a subtask index.
     * @return that subtask's metrics.
     * @throws IllegalArgumentException if there is no such operator subtask.
     */
    public OperatorMetrics metrics(final String operatorName, final int subtask)
    {
        for (final OperatorMetrics m : metrics)
        {
            if (m.operatorName().equals(operatorName) && m.subtaskIndex() == subtask)
            {
                return m;
            }
        }
        throw new IllegalArgumentException("no operator '" + operatorName + "' with subtask " + subtask + " in job '" + jobName + "'");
    }

    /**
     * @param operatorName an operator's name.
     * @param subtask      a subtask index.
     * @return the watermark that operator subtask last received (a source: last emitted).
     */
    public long watermark(final String operatorName, final int subtask)
    {
        return metrics(operatorName, subtask).watermark();
    }

    /**
     * Takes a savepoint: a checkpoint written to {@code directory}, never deleted by the job,
     * that a later run can start from with {@link ExecutionConfig#restoreFrom}, also with
     * other parallelism.
     *
     * @param directory where to write it; must not exist yet or be empty.
     * @return completes with the savepoint, or exceptionally if it was aborted.
     * @throws IllegalStateException if the job does not checkpoint.
     */
    public CompletableFuture<CompletedCheckpoint> triggerSavepoint(final Path directory)
    {
        throw new UnsupportedOperationException("BASE SKELETON");
    }

    /**
     * @return the statistics of the job's checkpoints so far, oldest first (the most recent
     * ones only; the job keeps a bounded history).
     */
    public List<CheckpointStats> checkpointStats()
    {
        throw new UnsupportedOperationException("BASE SKELETON");
    }

    /**
     * @return the latest completed checkpoint, if any.
     */
    public Optional<CompletedCheckpoint> latestCheckpoint()
    {
        throw new UnsupportedOperationException("BASE SKELETON");
    }

    /**
     * @return how many times the job has restarted after a failure.
     */
    public int restarts()
    {
        throw new UnsupportedOperationException("BASE SKELETON");
    }

    /** Stops every task; {@link #awaitTermination()} then returns without error. */
    public void cancel()
    {
        control.cancel();
    }

    /**
     * @return whether every task has finished.
     */
    public boolean isDone()
    {
        return control.running().getCount() == 0;
    }

    /**
     * Waits until every task has finished.
     *
     * @return this handle.
     * @throws JobExecutionException if a task failed.
     */
    public JobHandle awaitTermination()
    {
        try
        {
            control.running().await();
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            cancel();
            throw new JobExecutionException(jobName, e);
        }
        return checked();
    }

    /**
     * Waits until every task has finished, or the timeout passes.
     *
     * @param timeout the longest to wait.
     * @return whether the job finished.
     * @throws JobExecutionException if a task failed.
     */
    public boolean awaitTermination(final Duration timeout)
    {
        try
        {
            final boolean done = control.running().await(timeout.toNanos(), TimeUnit.NANOSECONDS);
            checked();
            return done;
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            cancel();
            throw new JobExecutionException(jobName, e);
        }
    }

    private JobHandle checked()
    {
        final Throwable failure = control.failure();
        if (failure != null)
        {
            throw new JobExecutionException(jobName, failure);
        }
        return this;
    }
}
