package io.tidemark.runtime.jobs;

import io.tidemark.engine.checkpoint.CheckpointStats;
import io.tidemark.engine.checkpoint.CompletedCheckpoint;
import io.tidemark.engine.graph.JobGraph;
import io.tidemark.engine.graph.JobVertex;
import io.tidemark.engine.graph.StreamEdge;
import io.tidemark.engine.graph.StreamNode;
import io.tidemark.engine.operator.OperatorMetrics;
import io.tidemark.engine.task.ExecutionState;
import io.tidemark.engine.task.JobHandle;
import io.tidemark.engine.time.Watermark;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One job of the server: its record (what {@code job.json} holds) and, once started in this
 * process, the engine's handle of its latest run. When a run ends, the job records how
 * (finished, failed, or cancelled by a user) and closes the run's class loader; a run stopped
 * because the server closes leaves the record RUNNING, so that the server resumes it when it
 * starts again.
 */
final class ServerJob
{
    private static final Logger LOG = LoggerFactory.getLogger(ServerJob.class);

    private final JobStore store;
    private JobRecord record;
    private JobHandle handle;
    private long startedAtMillis;
    private boolean cancelling;
    private boolean stopping;
    private CompletableFuture<Void> stopped = CompletableFuture.completedFuture(null);

    /**
     * @param store  where the job's record is written.
     * @param record the job's record.
     */
    ServerJob(final JobStore store, final JobRecord record)
    {
        this.store = store;
        this.record = record;
    }

    /**
     * @return the job's id.
     */
    String id()
    {
        return record().id();
    }

    /**
     * @return the job's record as it stands.
     */
    synchronized JobRecord record()
    {
        return record;
    }

    /**
     * Records a new state and writes it to {@code job.json}.
     *
     * @param changed the job's new record.
     */
    synchronized void update(final JobRecord changed)
    {
        record = changed;
        try
        {
            store.write(changed);
        }
        catch (final IOException e)
        {
            LOG.error("cannot write the state of job {} ({}): {}", changed.id(), changed.state(), e.getMessage());
        }
    }

    /**
     * Records a savepoint the job took, for a later start without one to compare with its
     * latest checkpoint.
     *
     * @param savepoint the savepoint's directory.
     */
    synchronized void savepointTaken(final Path savepoint)
    {
        update(record.withSavepoint(savepoint));
    }

    /**
     * @return whether a run of the job is in progress (running or waiting to restart).
     */
    synchronized boolean running()
    {
        return handle != null && !handle.isDone();
    }

    /**
     * @return the handle of the job's latest run in this process, or {@code null}.
     */
    synchronized JobHandle handle()
    {
        return handle;
    }

    /**
     * A run of the job has started: it is RUNNING from now on.
     *
     * @param run       the run's handle.
     * @param classes   its job instance and class loader, closed when the run ends.
     * @param nowMillis the time.
     * @param started   the job's record for the run: RUNNING.
     */
    void started(final JobHandle run, final JobClasses.Loaded classes, final long nowMillis, final JobRecord started)
    {
        final CompletableFuture<Void> runStopped = new CompletableFuture<>();
        synchronized (this)
        {
            handle = run;
            startedAtMillis = nowMillis;
            cancelling = false;
            stopping = false;
            stopped = runStopped;
            update(started);
        }
        // Outside the lock: a run that has ended already calls back at once.
        run.termination().whenComplete((state, error) -> ended(run, classes, runStopped, state));
    }

    private void ended(final JobHandle run, final JobClasses.Loaded classes, final CompletableFuture<Void> runStopped, final ExecutionState state)
    {
        classes.close();
        synchronized (this)
        {
            // A run that ended after a newer one started (a resume in between) changes nothing.
            if (run == handle && !stopping)
            {
                if (cancelling)
                {
                    update(record.in(JobState.CANCELLED, null));
                }
                else if (state == ExecutionState.FAILED)
                {
                    LOG.error("job {} ({}) failed: {}", record.id(), record.name(), message(run.lastFailure()));
                    update(record.in(JobState.FAILED, message(run.lastFailure())));
                }
                else
                {
                    update(record.in(state == ExecutionState.CANCELLED ? JobState.CANCELLED : JobState.FINISHED, null));
                }
            }
        }
        runStopped.complete(null);
    }

    /**
     * Cancels the running job.
     *
     * @param byUser whether a user cancels it (its record says CANCELLED), or the server
     *               stops it to resume it on its next start (its record stays RUNNING).
     * @return completes once no task runs and the record is written.
     */
    CompletableFuture<Void> stop(final boolean byUser)
    {
        final JobHandle run;
        final CompletableFuture<Void> done;
        synchronized (this)
        {
            if (handle == null)
            {
                return CompletableFuture.completedFuture(null);
            }
            cancelling |= byUser;
            stopping |= !byUser;
            run = handle;
            done = stopped;
        }
        run.cancel();
        return done;
    }

    /**
     * @param t a failure.
     * @return its message on one line.
     */
    static String message(final Throwable t)
    {
        if (t == null)
        {
            return null;
        }
        final String text = t.getMessage() == null ? t.toString() : t.getMessage();
        return text.replaceAll("\\s*\\R\\s*", " ");
    }

    /**
     * @param nowMillis the time.
     * @return the job's status now.
     */
    JobStatus status(final long nowMillis)
    {
        final JobRecord current;
        final JobHandle run;
        final long started;
        // The engine is asked outside the lock: its savepoint callbacks take this lock while holding its own.
        synchronized (this)
        {
            current = record;
            run = handle;
            started = startedAtMillis;
        }
        final JobState state = current.state() == JobState.RUNNING && run != null && run.state() == ExecutionState.RESTARTING ? JobState.RESTARTING : current.state();
        final boolean live = state.live();
        long recordsIn = 0;
        long recordsOut = 0;
        final List<OperatorStatus> operators = new ArrayList<>();
        if (run != null)
        {
            for (final StreamNode node : run.graph().streamGraph().nodes())
            {
                final OperatorStatus operator = operator(node, run.metrics(node), nowMillis);
                operators.add(operator);
                recordsIn += node.isSource() ? operator.recordsIn() : 0;
                recordsOut += node.isSink() ? operator.recordsIn() : 0;
            }
        }
        final String failure = current.failure() != null ? current.failure() : run == null ? null : message(run.lastFailure());
        return new JobStatus(current.id(), current.name(), state, current.submission(), started, live ? nowMillis - started : 0, recordsIn, recordsOut,
            run == null ? 0 : run.restarts(), run == null ? null : run.latestCheckpoint().map(ServerJob::summary).orElse(null), List.copyOf(operators), failure);
    }

    private static OperatorStatus operator(final StreamNode node, final List<OperatorMetrics> subtasks, final long nowMillis)
    {
        long recordsIn = 0;
        long recordsOut = 0;
        long dropped = 0;
        long updated = 0;
        long toSideOutput = 0;
        long missed = 0;
        long newest = Watermark.NONE;
        long watermark = subtasks.isEmpty() ? Watermark.NONE : Long.MAX_VALUE;
        for (final OperatorMetrics metrics : subtasks)
        {
            recordsIn += metrics.recordsIn();
            recordsOut += metrics.recordsOut();
            dropped += metrics.lateRecordsDropped();
            updated += metrics.lateRecordsUpdated();
            toSideOutput += metrics.lateRecordsToSideOutput();
            missed += metrics.lateWindowsMissed();
            newest = Math.max(newest, metrics.newestEventTime());
            watermark = Math.min(watermark, metrics.watermark());
        }
        final long lag = watermark == Watermark.NONE ? -1 : watermark == Watermark.END ? 0 : Math.max(0, nowMillis - watermark);
        return new OperatorStatus(node.name(), node.parallelism(), recordsIn, recordsOut, watermark, lag, newest, dropped, updated, toSideOutput, missed);
    }

    /**
     * @param checkpoint a completed checkpoint or savepoint.
     * @return its summary.
     */
    static JobStatus.CheckpointSummary summary(final CompletedCheckpoint checkpoint)
    {
        return new JobStatus.CheckpointSummary(checkpoint.id(), checkpoint.timestamp(), checkpoint.directory() == null ? null : checkpoint.directory().toString(),
            checkpoint.sizeBytes());
    }

    /**
     * @param nowMillis the time.
     * @return the job with its graph and checkpoints (empty for a job not started in this process).
     */
    JobDetail detail(final long nowMillis)
    {
        final JobStatus status = status(nowMillis);
        final JobHandle run = handle();
        final List<JobDetail.Vertex> vertices = new ArrayList<>();
        final List<JobDetail.Edge> edges = new ArrayList<>();
        final List<JobDetail.CheckpointAttempt> checkpoints = new ArrayList<>();
        if (run != null)
        {
            final JobGraph graph = run.graph();
            for (final JobVertex vertex : graph.vertices())
            {
                vertices.add(new JobDetail.Vertex(vertex.id(), vertex.name(), vertex.parallelism(), vertex.nodes().stream().map(StreamNode::name).toList()));
            }
            for (final StreamEdge edge : graph.channelEdges())
            {
                edges.add(new JobDetail.Edge(graph.vertexOf(edge.from()).id(), graph.vertexOf(edge.to()).id(),
                    edge.effectivePartitioning().kind().name().toLowerCase(Locale.ROOT)));
            }
            for (final CheckpointStats stats : run.checkpointStats())
            {
                final boolean inProgress = stats.status() == CheckpointStats.Status.IN_PROGRESS;
                checkpoints.add(new JobDetail.CheckpointAttempt(stats.id(), inProgress ? "in progress" : stats.status().name().toLowerCase(Locale.ROOT),
                    stats.triggerTimestamp(), inProgress ? -1 : stats.durationMillis(), stats.sizeBytes()));
            }
        }
        return new JobDetail(status, List.copyOf(vertices), List.copyOf(edges), List.copyOf(checkpoints));
    }
}
