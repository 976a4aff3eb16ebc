package io.tidemark.engine.task;

import io.tidemark.engine.checkpoint.CheckpointBarrier;
import io.tidemark.engine.checkpoint.CheckpointConfig;
import io.tidemark.engine.checkpoint.CheckpointStats;
import io.tidemark.engine.checkpoint.CheckpointStorage;
import io.tidemark.engine.checkpoint.CompletedCheckpoint;
import io.tidemark.engine.checkpoint.DeliveryGuarantee;
import io.tidemark.engine.checkpoint.TaskSnapshot;
import io.tidemark.engine.graph.JobGraph;
import io.tidemark.engine.state.KeyGroupRange;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes a job's checkpoints, one at a time, on its own scheduler thread: triggers one every
 * interval (but not before the pause after the previous one ended), by putting a request in
 * the mailbox of every running source task; hands each task's acknowledged snapshot to a
 * writer thread, which stores it; once every task's snapshot is stored, completes the
 * checkpoint (its manifest) and tells every task. A checkpoint that times out, or whose
 * writing fails, is aborted and dropped, every task hears of it, and the job goes on. A task
 * that has finished takes no part and writes nothing: the checkpoint holds neither state nor
 * splits for it, so a resumed job does not read its splits again.
 *
 * <p>The coordinator outlives the job's tasks across restarts: each run of the tasks is an
 * {@link Attempt}, and whatever a task of an earlier attempt reports is ignored.
 */
final class CheckpointCoordinator
{
    /** Checkpoint statistics kept for {@link JobHandle#checkpointStats()}. */
    static final int STATS_HISTORY = 100;

    private static final Logger LOG = LoggerFactory.getLogger(CheckpointCoordinator.class);

    /** One run of the job's tasks, from a start or restart to its end. */
    static final class Attempt
    {
        private final List<TaskCheckpoints> tasks = new ArrayList<>();
        private boolean[] finished;

        /**
         * @param vertexId    the task's vertex.
         * @param subtask     its subtask index.
         * @param parallelism the vertex's parallelism.
         * @param keyGroups   the key groups the subtask owns.
         * @param aligned     whether barriers are aligned.
         * @param source      whether the task is headed by a source.
         * @param coordinator where the task reports.
         * @return the task's part in checkpoints.
         */
        TaskCheckpoints add(final int vertexId, final int subtask, final int parallelism, final KeyGroupRange keyGroups, final boolean aligned,
            final boolean source, final CheckpointCoordinator coordinator)
        {
            final TaskCheckpoints task = new TaskCheckpoints(vertexId, subtask, parallelism, keyGroups, aligned, source, coordinator, this, tasks.size());
            tasks.add(task);
            return task;
        }
    }

    /** A checkpoint (or savepoint) triggered and neither complete nor aborted yet. */
    private static final class Pending
    {
        final CheckpointBarrier barrier;
        final CheckpointStorage target;
        final CompletableFuture<CompletedCheckpoint> savepoint;
        final Attempt attempt;
        final boolean[] acknowledged;
        final long startNanos = System.nanoTime();
        int toWrite;
        long sizeBytes;
        long alignmentMillis;
        long syncMillis;
        boolean completing;
        ScheduledFuture<?> timeout;

        Pending(final CheckpointBarrier barrier, final CheckpointStorage target, final CompletableFuture<CompletedCheckpoint> savepoint, final Attempt attempt)
        {
            this.barrier = barrier;
            this.target = target;
            this.savepoint = savepoint;
            this.attempt = attempt;
            this.acknowledged = new boolean[attempt.tasks.size()];
            this.toWrite = acknowledged.length;
        }

        long durationMillis()
        {
            return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
        }
    }

    /** A savepoint asked for and not triggered yet. */
    private record SavepointRequest(CheckpointStorage storage, CompletableFuture<CompletedCheckpoint> result)
    {
    }

    private final String jobName;
    private final JobGraph graph;
    private final int maxParallelism;
    private final CheckpointConfig config;
    private final CheckpointStorage storage;
    private final boolean periodic;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService writer;
    private final ArrayDeque<CheckpointStats> history = new ArrayDeque<>();
    private final ArrayDeque<SavepointRequest> savepoints = new ArrayDeque<>();
    private Attempt attempt;
    private Pending pending;
    private CompletedCheckpoint latest;
    private long nextId;
    private long lastTriggerNanos;
    private long lastEndNanos;
    private ScheduledFuture<?> nextTrigger;
    private boolean shutdown;

    /**
     * @param jobName        the job's name, for threads and the log.
     * @param graph          the job's graph.
     * @param maxParallelism the job's number of key groups.
     * @param config         how the job checkpoints.
     * @param storage        where its checkpoints go.
     * @param restored       the checkpoint the job resumes, or {@code null}: ids go on from it.
     */
    CheckpointCoordinator(final String jobName, final JobGraph graph, final int maxParallelism, final CheckpointConfig config, final CheckpointStorage storage,
        final CompletedCheckpoint restored)
    {
        this.jobName = jobName;
        this.graph = graph;
        this.maxParallelism = maxParallelism;
        this.config = config;
        this.storage = storage;
        // At most once restores no state: a periodic checkpoint would cost without serving.
        this.periodic = config.guarantee() != DeliveryGuarantee.AT_MOST_ONCE;
        this.latest = restored;
        this.nextId = restored == null ? 1 : restored.id() + 1;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "tidemark " + jobName + ": checkpoints"));
        this.writer = Executors.newSingleThreadExecutor(r -> daemon(r, "tidemark " + jobName + ": checkpoint writer"));
        this.lastTriggerNanos = System.nanoTime();
        this.lastEndNanos = lastTriggerNanos;
    }

    private static Thread daemon(final Runnable runnable, final String name)
    {
        final Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }

    /**
     * @param newAttempt the tasks now running; checkpoints resume an interval from now.
     */
    synchronized void start(final Attempt newAttempt)
    {
        attempt = newAttempt;
        attempt.finished = new boolean[attempt.tasks.size()];
        lastTriggerNanos = System.nanoTime();
        scheduleNext();
    }

    /**
     * The current attempt's tasks have stopped: aborts the checkpoint in progress, or waits
     * for it if its manifest is being written, so that {@link #latest()} is final.
     *
     * @throws InterruptedException if interrupted while waiting.
     */
    synchronized void stop() throws InterruptedException
    {
        while (pending != null && pending.completing)
        {
            wait();
        }
        attempt = null;
        if (pending != null)
        {
            abort(pending, "the job's tasks stopped");
        }
    }

    /**
     * Stops for good: aborts what is in progress, fails waiting savepoints, and lets the
     * writer finish what it was given.
     */
    void shutdown()
    {
        synchronized (this)
        {
            shutdown = true;
            if (pending != null && !pending.completing)
            {
                abort(pending, "the job ended");
            }
            for (final SavepointRequest request : savepoints)
            {
                request.result().completeExceptionally(new IllegalStateException("job '" + jobName + "' ended before the savepoint was taken"));
            }
            savepoints.clear();
            if (nextTrigger != null)
            {
                nextTrigger.cancel(false);
            }
        }
        scheduler.shutdownNow();
        writer.shutdown();
        try
        {
            if (!writer.awaitTermination(config.timeout().toMillis(), TimeUnit.MILLISECONDS))
            {
                LOG.warn("job '{}': the checkpoint writer did not finish within {}", jobName, config.timeout());
            }
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * @param directory where the savepoint goes.
     * @return completes with the savepoint, or exceptionally if it is aborted.
     */
    synchronized CompletableFuture<CompletedCheckpoint> triggerSavepoint(final Path directory)
    {
        final CompletableFuture<CompletedCheckpoint> result = new CompletableFuture<>();
        if (shutdown)
        {
            result.completeExceptionally(new IllegalStateException("job '" + jobName + "' has ended"));
            return result;
        }
        try
        {
            savepoints.add(new SavepointRequest(CheckpointStorage.open(directory, Integer.MAX_VALUE), result));
        }
        catch (final IOException e)
        {
            result.completeExceptionally(e);
            return result;
        }
        scheduleNext();
        return result;
    }

    /**
     * @return the latest completed checkpoint or savepoint, else the one the job resumed.
     */
    synchronized Optional<CompletedCheckpoint> latest()
    {
        return Optional.ofNullable(latest);
    }

    /**
     * @return the statistics of recent checkpoints, oldest first, the one in progress last.
     */
    synchronized List<CheckpointStats> stats()
    {
        final List<CheckpointStats> stats = new ArrayList<>(history);
        if (pending != null)
        {
            stats.add(stats(pending, CheckpointStats.Status.IN_PROGRESS, null));
        }
        return stats;
    }

    /**
     * A task captured its state at a barrier; from its thread.
     *
     * @param from         the task's attempt.
     * @param index        the task's index in it.
     * @param checkpointId the checkpoint.
     * @param snapshot     what it captured.
     */
    synchronized void acknowledge(final Attempt from, final int index, final long checkpointId, final TaskSnapshot snapshot)
    {
        final Pending current = pending;
        if (current == null || current.attempt != from || current.barrier.id() != checkpointId || current.acknowledged[index])
        {
            return;
        }
        current.acknowledged[index] = true;
        current.alignmentMillis = Math.max(current.alignmentMillis, snapshot.alignmentMillis());
        current.syncMillis = Math.max(current.syncMillis, snapshot.syncMillis());
        writer.execute(() -> write(current, snapshot));
    }

    /**
     * A task ended its input; from its thread. It takes part in no later checkpoint, and the
     * one in progress stops waiting for it.
     *
     * @param from  the task's attempt.
     * @param index the task's index in it.
     */
    synchronized void taskFinished(final Attempt from, final int index)
    {
        if (from != attempt)
        {
            return;
        }
        attempt.finished[index] = true;
        if (pending != null && !pending.acknowledged[index])
        {
            skipFinished(pending, index);
        }
    }

    /** Counts a finished task as written, on the writer thread, behind the writes handed over. */
    private void skipFinished(final Pending checkpoint, final int index)
    {
        checkpoint.acknowledged[index] = true;
        writer.execute(() -> written(checkpoint, 0));
    }

    private void scheduleNext()
    {
        if (shutdown || attempt == null || pending != null)
        {
            return;
        }
        final long delayNanos;
        if (!savepoints.isEmpty())
        {
            delayNanos = 0;
        }
        else if (periodic)
        {
            final long due = Math.max(lastTriggerNanos + config.interval().toNanos(), lastEndNanos + config.minPause().toNanos());
            delayNanos = Math.max(0, due - System.nanoTime());
        }
        else
        {
            return;
        }
        if (nextTrigger != null)
        {
            nextTrigger.cancel(false);
        }
        nextTrigger = scheduler.schedule(this::trigger, delayNanos, TimeUnit.NANOSECONDS);
    }

    private synchronized void trigger()
    {
        if (shutdown || attempt == null || pending != null)
        {
            return;
        }
        final SavepointRequest request = savepoints.poll();
        final CheckpointBarrier barrier = new CheckpointBarrier(nextId++, System.currentTimeMillis(), request != null);
        final Pending started = new Pending(barrier, request == null ? storage : request.storage(), request == null ? null : request.result(), attempt);
        pending = started;
        lastTriggerNanos = started.startNanos;
        started.timeout = scheduler.schedule(() -> timeout(started), config.timeout().toNanos(), TimeUnit.NANOSECONDS);
        for (int i = 0; i < attempt.tasks.size(); i++)
        {
            final TaskCheckpoints task = attempt.tasks.get(i);
            if (attempt.finished[i])
            {
                skipFinished(started, i);
            }
            else if (task.source)
            {
                task.mailbox.put(new Mailbox.Mail(Mailbox.Kind.TRIGGER, barrier));
            }
        }
    }

    private synchronized void timeout(final Pending checkpoint)
    {
        if (pending == checkpoint && !checkpoint.completing)
        {
            abort(checkpoint, "timed out after " + config.timeout());
        }
    }

    /** On the writer thread. */
    private void write(final Pending checkpoint, final TaskSnapshot snapshot)
    {
        final long size;
        try
        {
            size = checkpoint.target.write(checkpoint.barrier.id(), snapshot);
        }
        catch (final IOException | RuntimeException e)
        {
            abortIfPending(checkpoint, "writing subtask " + snapshot.subtask() + " of vertex " + snapshot.vertexId() + " failed: " + e);
            return;
        }
        written(checkpoint, size);
    }

    /** On the writer thread: one more task is done with; the last one completes the checkpoint. */
    private void written(final Pending checkpoint, final long size)
    {
        synchronized (this)
        {
            if (pending != checkpoint)
            {
                return;
            }
            checkpoint.sizeBytes += size;
            if (--checkpoint.toWrite > 0)
            {
                return;
            }
            checkpoint.completing = true;
        }
        complete(checkpoint);
    }

    /** On the writer thread, once every task's snapshot is written. */
    private void complete(final Pending checkpoint)
    {
        final CompletedCheckpoint completed;
        try
        {
            completed = checkpoint.target.complete(checkpoint.barrier.id(), checkpoint.barrier.timestamp(), graph, maxParallelism);
        }
        catch (final IOException | RuntimeException e)
        {
            synchronized (this)
            {
                checkpoint.completing = false;
            }
            abortIfPending(checkpoint, "completing failed: " + e);
            return;
        }
        synchronized (this)
        {
            latest = completed;
            pending = null;
            checkpoint.timeout.cancel(false);
            record(stats(checkpoint, CheckpointStats.Status.COMPLETED, null));
            lastEndNanos = System.nanoTime();
            mail(checkpoint, Mailbox.Kind.COMPLETE);
            if (checkpoint.savepoint != null)
            {
                checkpoint.savepoint.complete(completed);
            }
            scheduleNext();
            notifyAll();
        }
    }

    private synchronized void abortIfPending(final Pending checkpoint, final String reason)
    {
        if (pending == checkpoint)
        {
            abort(checkpoint, reason);
        }
    }

    private void abort(final Pending checkpoint, final String reason)
    {
        final long id = checkpoint.barrier.id();
        LOG.warn("job '{}': checkpoint {} aborted: {}", jobName, id, reason);
        pending = null;
        checkpoint.timeout.cancel(false);
        record(stats(checkpoint, CheckpointStats.Status.ABORTED, reason));
        lastEndNanos = System.nanoTime();
        if (!writer.isShutdown())
        {
            // After the writes already handed over, on the same thread.
            writer.execute(() -> discard(checkpoint));
        }
        mail(checkpoint, Mailbox.Kind.ABORTED);
        if (checkpoint.savepoint != null)
        {
            checkpoint.savepoint.completeExceptionally(new IllegalStateException("savepoint " + id + " of job '" + jobName + "' aborted: " + reason));
        }
        scheduleNext();
        notifyAll();
    }

    private void discard(final Pending checkpoint)
    {
        try
        {
            checkpoint.target.discard(checkpoint.barrier.id());
        }
        catch (final RuntimeException e)
        {
            LOG.warn("job '{}': dropping aborted checkpoint {} failed", jobName, checkpoint.barrier.id(), e);
        }
    }

    /**
     * Tells every running task of the checkpoint's attempt; a finished task reads no mail. An
     * abort first takes back the trigger from a source that has not read it (one stuck in a
     * slow read), so that it does not take part in a dropped checkpoint later.
     */
    private void mail(final Pending checkpoint, final Mailbox.Kind kind)
    {
        if (checkpoint.attempt != attempt)
        {
            return;
        }
        final Mailbox.Mail trigger = new Mailbox.Mail(Mailbox.Kind.TRIGGER, checkpoint.barrier);
        for (int i = 0; i < attempt.tasks.size(); i++)
        {
            if (!attempt.finished[i])
            {
                final Mailbox mailbox = attempt.tasks.get(i).mailbox;
                if (kind == Mailbox.Kind.ABORTED)
                {
                    mailbox.withdraw(trigger);
                }
                mailbox.put(new Mailbox.Mail(kind, checkpoint.barrier));
            }
        }
    }

    private void record(final CheckpointStats stats)
    {
        if (history.size() == STATS_HISTORY)
        {
            history.removeFirst();
        }
        history.addLast(stats);
    }

    private static CheckpointStats stats(final Pending checkpoint, final CheckpointStats.Status status, final String failure)
    {
        return new CheckpointStats(checkpoint.barrier.id(), checkpoint.barrier.timestamp(), status, checkpoint.durationMillis(), checkpoint.sizeBytes,
            checkpoint.alignmentMillis, checkpoint.syncMillis, checkpoint.barrier.savepoint(), failure);
    }
}
