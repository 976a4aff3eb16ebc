package io.tidemark.engine.task;

import io.tidemark.engine.checkpoint.CheckpointStats;
import io.tidemark.engine.checkpoint.CompletedCheckpoint;
import io.tidemark.engine.graph.JobGraph;
import io.tidemark.engine.graph.StreamNode;
import io.tidemark.engine.operator.OperatorMetrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * A running (or finished) job: wait for it, cancel it, and read every operator subtask's
 * metrics while it runs, in particular its current watermark (what the dashboard draws
 * against event time and processing time), and take savepoints. The handle stays the same
 * across restarts after failures; its metrics are those of the tasks running now.
 */
public final class JobHandle
{
    private final String jobName;
    private final JobRunner runner;

    JobHandle(final String jobName, final JobRunner runner)
    {
        this.jobName = jobName;
        this.runner = runner;
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
        return runner.metrics();
    }

    /**
     * @param node a node of the job's graph.
     * @return the metrics of its subtasks, in subtask order; empty for a node of another job.
     */
    public List<OperatorMetrics> metrics(final StreamNode node)
    {
        return runner.metrics(node);
    }

    /**
     * @return the graph the job runs: its vertices (chained nodes) and the channels between them.
     */
    public JobGraph graph()
    {
        return runner.graph();
    }

    /**
     * @return where the job is: running, waiting to restart, or ended and how.
     */
    public ExecutionState state()
    {
        return runner.state();
    }

    /**
     * @return the latest failure of a task, also one the job restarted after; {@code null} if
     * no task has failed.
     */
    public Throwable lastFailure()
    {
        return runner.lastFailure();
    }

    /**
     * @return completes with the job's final state (finished, cancelled or failed) once no task
     * runs and none will; a dependent action runs on the job's supervisor thread or the caller's.
     */
    public CompletionStage<ExecutionState> termination()
    {
        return runner.ended().minimalCompletionStage();
    }

    /**
     * @param operatorName an operator's name.
     * @param subtask      a subtask index.
     * @return that subtask's metrics.
     * @throws IllegalArgumentException if there is no such operator subtask.
     */
    public OperatorMetrics metrics(final String operatorName, final int subtask)
    {
        for (final OperatorMetrics m : runner.metrics())
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
     * <p>It is taken as the next checkpoint, after the one in progress if any, and its
     * completion is announced to every task like a checkpoint's (a transactional sink
     * commits). The future's checkpoint has the savepoint's own directory (inside
     * {@code directory}); either may be given to {@code restoreFrom}.
     *
     * @param directory where to write it; must not exist yet or be empty.
     * @return completes with the savepoint, or exceptionally if it was aborted or the job
     * ended first.
     * @throws IllegalStateException    if the job does not checkpoint.
     * @throws IllegalArgumentException if the directory holds something.
     */
    public CompletableFuture<CompletedCheckpoint> triggerSavepoint(final Path directory)
    {
        final CheckpointCoordinator coordinator = checkpointing();
        if (Files.isDirectory(directory))
        {
            try (Stream<Path> entries = Files.list(directory))
            {
                if (entries.findAny().isPresent())
                {
                    throw new IllegalArgumentException("the savepoint directory " + directory + " is not empty");
                }
            }
            catch (final IOException e)
            {
                throw new UncheckedIOException("cannot read the savepoint directory " + directory, e);
            }
        }
        return coordinator.triggerSavepoint(directory);
    }

    /**
     * @return the statistics of the job's checkpoints so far, oldest first (the most recent
     * ones only; the job keeps a bounded history), the one in progress last; empty for a job
     * that does not checkpoint.
     */
    public List<CheckpointStats> checkpointStats()
    {
        return runner.coordinator() == null ? List.of() : runner.coordinator().stats();
    }

    /**
     * @return the latest completed checkpoint or savepoint, else the one the job resumed, if
     * any: where a restart would start.
     */
    public Optional<CompletedCheckpoint> latestCheckpoint()
    {
        return runner.coordinator() == null ? Optional.empty() : runner.coordinator().latest();
    }

    /**
     * @return how many times the job has restarted after a failure.
     */
    public int restarts()
    {
        return runner.restarts();
    }

    /** Stops every task; {@link #awaitTermination()} then returns without error. */
    public void cancel()
    {
        runner.cancel();
    }

    /**
     * @return whether the job has ended: every task has finished and none will restart.
     */
    public boolean isDone()
    {
        return runner.ended().isDone();
    }

    /**
     * Waits until the job has ended.
     *
     * @return this handle.
     * @throws JobExecutionException if a task failed and the job could not restart.
     */
    public JobHandle awaitTermination()
    {
        try
        {
            runner.ended().get();
        }
        catch (final ExecutionException e)
        {
            throw new IllegalStateException("the job's end is never completed exceptionally", e);
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
     * Waits until the job has ended, or the timeout passes.
     *
     * @param timeout the longest to wait.
     * @return whether the job finished.
     * @throws JobExecutionException if a task failed and the job could not restart.
     */
    public boolean awaitTermination(final Duration timeout)
    {
        try
        {
            runner.ended().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            checked();
            return true;
        }
        catch (final TimeoutException e)
        {
            return false;
        }
        catch (final ExecutionException e)
        {
            throw new IllegalStateException("the job's end is never completed exceptionally", e);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            cancel();
            throw new JobExecutionException(jobName, e);
        }
    }

    private CheckpointCoordinator checkpointing()
    {
        if (runner.coordinator() == null)
        {
            throw new IllegalStateException("job '" + jobName + "' does not checkpoint");
        }
        return runner.coordinator();
    }

    private JobHandle checked()
    {
        final Throwable failure = runner.failure();
        if (failure != null)
        {
            throw new JobExecutionException(jobName, failure);
        }
        return this;
    }
}
