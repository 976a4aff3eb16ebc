package io.tidemark.engine.task;

import io.tidemark.engine.checkpoint.CompletedCheckpoint;
import io.tidemark.engine.checkpoint.DeliveryGuarantee;
import io.tidemark.engine.checkpoint.TaskRestore;
import io.tidemark.engine.graph.JobGraph;
import io.tidemark.engine.graph.JobVertex;
import io.tidemark.engine.graph.Partitioning;
import io.tidemark.engine.graph.StreamEdge;
import io.tidemark.engine.graph.StreamNode;
import io.tidemark.engine.operator.OneInputOperator;
import io.tidemark.engine.operator.OperatorMetrics;
import io.tidemark.engine.source.Source;
import io.tidemark.engine.source.SourceContext;
import io.tidemark.engine.source.SourceSplit;
import io.tidemark.engine.state.KeyGroups;
import io.tidemark.engine.state.TypeSerializer;
import io.tidemark.engine.time.Watermark;
import io.tidemark.engine.time.WatermarkStrategy;
import java.io.DataInput;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one job in this process, from start to end, through any restarts: builds a run of its
 * tasks (one channel per producer and consumer subtask pair of every edge between tasks, only
 * {@code i -> i} for a forward edge; one thread per subtask), restoring each subtask from a
 * completed checkpoint if there is one, and watches it from a supervisor thread. When a task
 * fails and its {@link RestartStrategy} allows, every task is stopped, and after the
 * strategy's delay a new run starts from the latest completed checkpoint (at most once: from
 * the sources' recorded positions, with empty state; a job without checkpoints: from the start
 * of its input). Anything thrown in a task, {@link Error}s too, fails the job, never the
 * process.
 */
final class JobRunner implements Runnable
{
    private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);

    /** One run of the job's tasks; its metrics in job order, and by node id. */
    private record Run(JobControl control, List<OperatorMetrics> metrics, Map<Integer, List<OperatorMetrics>> byNode)
    {
    }

    private final String jobName;
    private final JobGraph graph;
    private final ExecutionConfig settings;
    private final CheckpointCoordinator coordinator;
    private final PositionFiles positions;
    private final CompletableFuture<ExecutionState> ended = new CompletableFuture<>();
    private final CountDownLatch cancelled = new CountDownLatch(1);
    private volatile Run current;
    private volatile Throwable failure;
    private volatile Throwable lastFailure;
    private volatile ExecutionState state = ExecutionState.RUNNING;
    private volatile int restarts;

    /**
     * @param jobName     the job's name, for threads and errors.
     * @param graph       the job graph.
     * @param settings    the execution settings, a copy of the caller's.
     * @param coordinator the job's checkpoints, or {@code null} without.
     * @param positions   an at-most-once job's source positions, or {@code null}.
     */
    JobRunner(final String jobName, final JobGraph graph, final ExecutionConfig settings, final CheckpointCoordinator coordinator, final PositionFiles positions)
    {
        this.jobName = jobName;
        this.graph = graph;
        this.settings = settings;
        this.coordinator = coordinator;
        this.positions = positions;
    }

    /**
     * Starts the first run and its supervisor.
     *
     * @param restored the checkpoint to resume, or {@code null}.
     * @throws UncheckedIOException if the checkpoint cannot be read or does not fit the graph.
     */
    void start(final CompletedCheckpoint restored)
    {
        current = launch(restored);
        final Thread supervisor = new Thread(this, "tidemark " + jobName + ": supervisor");
        supervisor.setDaemon(true);
        supervisor.start();
    }

    @Override
    public void run()
    {
        try
        {
            supervise();
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            failure = e;
        }
        catch (final Throwable e)
        {
            // Whatever goes wrong here (a restart that cannot start, an Error) ends this job only.
            failure = e;
        }
        finally
        {
            if (coordinator != null)
            {
                coordinator.shutdown();
            }
            if (failure != null)
            {
                lastFailure = failure;
            }
            state = cancelled.getCount() == 0 ? ExecutionState.CANCELLED : failure != null ? ExecutionState.FAILED : ExecutionState.FINISHED;
            ended.complete(state);
        }
    }

    private void supervise() throws InterruptedException
    {
        final RestartStrategy strategy = settings.restartStrategy();
        // Restarts in the current series, which a run lasting the strategy's reset time ends.
        int series = 0;
        long runStarted = System.nanoTime();
        while (true)
        {
            final Run run = current;
            run.control().running().await();
            final Throwable cause = run.control().failure();
            if (cause == null || cancelled.getCount() == 0)
            {
                failure = cause;
                return;
            }
            lastFailure = cause;
            if (strategy.resets(System.nanoTime() - runStarted))
            {
                series = 0;
            }
            if (series >= strategy.maxAttempts())
            {
                failure = cause;
                return;
            }
            state = ExecutionState.RESTARTING;
            if (coordinator != null)
            {
                coordinator.stop();
            }
            final Duration delay = strategy.delayBefore(series);
            LOG.warn("job '{}' restarts in {} ms ({} of {} in a row) after a failure", jobName, delay.toMillis(), series + 1, strategy.maxAttempts(), cause);
            if (cancelled.await(delay.toNanos(), TimeUnit.NANOSECONDS))
            {
                return;
            }
            synchronized (this)
            {
                if (cancelled.getCount() == 0)
                {
                    return;
                }
                series++;
                restarts++;
                runStarted = System.nanoTime();
                // At most once resumes the sources' positions, with no state; a job without checkpoints starts over.
                current = launch(positions != null || coordinator == null ? null : coordinator.latest().orElse(null));
                state = ExecutionState.RUNNING;
            }
        }
    }

    /** Stops every task; the job then ends without error. */
    synchronized void cancel()
    {
        cancelled.countDown();
        current.control().cancel();
    }

    /**
     * @return completes with the job's final state once it has ended.
     */
    CompletableFuture<ExecutionState> ended()
    {
        return ended;
    }

    /**
     * @return why the job failed, or {@code null}.
     */
    Throwable failure()
    {
        return failure;
    }

    /**
     * @return the latest failure of a task, whether the job restarted after it or not; or
     * {@code null}.
     */
    Throwable lastFailure()
    {
        return lastFailure;
    }

    /**
     * @return where the job is.
     */
    ExecutionState state()
    {
        return state;
    }

    /**
     * @return the job graph.
     */
    JobGraph graph()
    {
        return graph;
    }

    /**
     * @return the metrics of the current run's operator subtasks.
     */
    List<OperatorMetrics> metrics()
    {
        return current.metrics();
    }

    /**
     * @param node a node of the job.
     * @return the metrics of its subtasks in the current run, in subtask order.
     */
    List<OperatorMetrics> metrics(final StreamNode node)
    {
        return current.byNode().getOrDefault(node.id(), List.of());
    }

    /**
     * @return how many times the job restarted after a failure.
     */
    int restarts()
    {
        return restarts;
    }

    /**
     * @return the job's checkpoints, or {@code null} without.
     */
    CheckpointCoordinator coordinator()
    {
        return coordinator;
    }

    private Run launch(final CompletedCheckpoint restored)
    {
        int taskCount = 0;
        for (final JobVertex vertex : graph.vertices())
        {
            taskCount += vertex.parallelism();
        }
        final JobControl control = new JobControl(taskCount);
        final Map<StreamEdge, ChannelWriter[][]> writers = new HashMap<>();
        final Map<StreamNode, List<List<ChannelReader>>> readers = new HashMap<>();
        final Map<StreamNode, Doorbell[]> doorbells = new HashMap<>();
        for (final StreamEdge edge : graph.channelEdges())
        {
            connect(edge, control, writers, readers, doorbells);
        }
        final boolean aligned = coordinator != null && settings.checkpointConfig().guarantee() == DeliveryGuarantee.EXACTLY_ONCE;
        final CheckpointCoordinator.Attempt attempt = new CheckpointCoordinator.Attempt();
        final List<OperatorMetrics> metrics = new ArrayList<>();
        final Map<Integer, List<OperatorMetrics>> byNode = new HashMap<>();
        final List<Thread> threads = new ArrayList<>();
        for (final JobVertex vertex : graph.vertices())
        {
            final boolean source = vertex.head().isSource();
            final PositionFiles.Positions recorded = source && restored == null ? recordedPositions(vertex) : null;
            final List<? extends SourceSplit> fresh = source && restored == null && recorded == null ? vertex.head().source().createSplits(vertex.parallelism()) : List.of();
            final TaskRestore[] restores = new TaskRestore[vertex.parallelism()];
            for (int subtask = 0; subtask < vertex.parallelism(); subtask++)
            {
                restores[subtask] = restoreFor(restored, vertex, subtask);
            }
            final Set<String> known = source ? knownSplits(fresh, recorded, restores) : Set.of();
            for (int subtask = 0; subtask < vertex.parallelism(); subtask++)
            {
                final TaskRestore restore = restores[subtask];
                final Map<StreamEdge, ChannelWriter[]> subtaskWriters = new HashMap<>();
                for (final Map.Entry<StreamEdge, ChannelWriter[][]> entry : writers.entrySet())
                {
                    if (graph.vertexOf(entry.getKey().from()) == vertex)
                    {
                        subtaskWriters.put(entry.getKey(), entry.getValue()[subtask]);
                    }
                }
                final Map<Integer, List<DataInput>> operatorState = restore == null ? null : restore.operators();
                final OperatorChain chain = new OperatorChain(graph, vertex, subtask, subtaskWriters, settings, operatorState);
                metrics.addAll(chain.metrics());
                for (int i = 0; i < vertex.nodes().size(); i++)
                {
                    byNode.computeIfAbsent(vertex.nodes().get(i).id(), id -> new ArrayList<>()).add(chain.metrics().get(i));
                }
                final String name = vertex.name() + " (" + (subtask + 1) + "/" + vertex.parallelism() + ")";
                final TaskCheckpoints checkpoints = attempt.add(vertex.id(), subtask, vertex.parallelism(),
                    KeyGroups.rangeFor(settings.maxParallelism(), vertex.parallelism(), subtask), aligned, source, coordinator);
                final Task task;
                if (source)
                {
                    final List<SourceSplit> splits;
                    if (restore != null)
                    {
                        splits = restoredSplits(restore, vertex, restored);
                    }
                    else
                    {
                        splits = recorded == null ? splitsOf(fresh, subtask, vertex.parallelism()) : recorded.splitsFor(subtask, vertex.parallelism());
                    }
                    final long watermark = recorded == null ? Watermark.NONE : recorded.watermark();
                    task = sourceTask(name, chain, vertex.head(), new SourceContext(subtask, vertex.parallelism()), splits, new HashSet<>(known), control, checkpoints,
                        positionsWriter(vertex, subtask, splits, watermark), watermark);
                }
                else
                {
                    final List<ChannelReader> inputs = readers.get(vertex.head()).get(subtask);
                    task = new StreamTask(name, chain, inputs.toArray(new ChannelReader[0]), doorbells.get(vertex.head())[subtask], control, settings, checkpoints);
                }
                final Thread thread = new Thread(task, "tidemark " + jobName + ": " + name);
                thread.setDaemon(true);
                threads.add(thread);
            }
            if (source && positions != null)
            {
                retirePositions(vertex);
            }
        }
        if (coordinator != null)
        {
            // Before any task runs, so that a task finishing at once is known to the coordinator.
            coordinator.start(attempt);
        }
        threads.forEach(Thread::start);
        return new Run(control, List.copyOf(metrics), Map.copyOf(byNode));
    }

    private TaskRestore restoreFor(final CompletedCheckpoint restored, final JobVertex vertex, final int subtask)
    {
        if (restored == null)
        {
            return null;
        }
        try
        {
            return restored.restoreFor(graph, vertex, subtask, settings.maxParallelism());
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("job '" + jobName + "' cannot restore " + vertex.name() + " (" + (subtask + 1) + "/" + vertex.parallelism() + ") from checkpoint "
                + restored.id() + ": " + e.getMessage(), e);
        }
    }

    private PositionFiles.Positions recordedPositions(final JobVertex vertex)
    {
        if (positions == null)
        {
            return null;
        }
        try
        {
            return positions.read(vertex.id(), vertex.head().source().splitSerializer());
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("job '" + jobName + "' cannot resume the positions of " + vertex.name() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Opens the subtask's positions file and records its splits there before its task runs, so
     * that the files of a run are complete from the start.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private PositionFiles.Writer positionsWriter(final JobVertex vertex, final int subtask, final List<SourceSplit> splits, final long watermark)
    {
        if (positions == null)
        {
            return null;
        }
        try
        {
            final PositionFiles.Writer writer = positions.writer(vertex.id(), subtask, vertex.parallelism());
            writer.write(watermark, (List)splits, (TypeSerializer)vertex.head().source().splitSerializer());
            return writer;
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("job '" + jobName + "' cannot record the positions of " + vertex.name() + ": " + e.getMessage(), e);
        }
    }

    private void retirePositions(final JobVertex vertex)
    {
        try
        {
            positions.retire(vertex.id(), vertex.parallelism());
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("job '" + jobName + "' cannot delete old positions of " + vertex.name() + ": " + e.getMessage(), e);
        }
    }

    private static List<SourceSplit> restoredSplits(final TaskRestore restore, final JobVertex vertex, final CompletedCheckpoint restored)
    {
        if (restore.splits() == null)
        {
            throw new IllegalStateException("checkpoint " + restored.id() + " holds no splits for the source " + vertex.name());
        }
        return restore.splits();
    }

    /**
     * The ids of every split a source vertex starts with, the same on every subtask: all fresh
     * splits, or all those the old run recorded or checkpointed (which include the splits its
     * subtasks discovered), however they are dealt now.
     */
    private static Set<String> knownSplits(final List<? extends SourceSplit> fresh, final PositionFiles.Positions recorded, final TaskRestore[] restores)
    {
        final Set<String> known = new HashSet<>();
        fresh.forEach(split -> known.add(split.splitId()));
        if (recorded != null)
        {
            recorded.perSubtask().forEach(splits -> splits.forEach(split -> known.add(split.splitId())));
        }
        for (final TaskRestore restore : restores)
        {
            if (restore != null && restore.splits() != null)
            {
                restore.splits().forEach(split -> known.add(split.splitId()));
            }
        }
        return known;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private Task sourceTask(final String name, final OperatorChain chain, final StreamNode head, final SourceContext context, final List<SourceSplit> splits,
        final Set<String> known, final JobControl control, final TaskCheckpoints checkpoints, final PositionFiles.Writer writer, final long watermark)
    {
        return new SourceTask(name, chain, (Source)head.source(), context, splits, known, (WatermarkStrategy)head.watermarkStrategy(), control, settings, checkpoints,
            writer, watermark, sourceTaskCopies(head));
    }

    /**
     * A source that reuses its records has them copied once per record: by its task, when an
     * operator chained to it may keep a record ({@link OneInputOperator#retainsInput}) and
     * would then see it change under it, or when an at-most-once task holds records back; else
     * by its channels ({@link #channelCopies}). An operator chained to it that keeps nothing
     * (a slice pre-aggregation into {@code long} accumulators) takes the source's own record.
     *
     * @param source a source node.
     * @return whether its task hands on a copy of each record its readers emit.
     */
    private boolean sourceTaskCopies(final StreamNode source)
    {
        if (!source.source().reusesRecords())
        {
            return false;
        }
        if (positions != null)
        {
            return true;
        }
        for (final StreamEdge edge : graph.streamGraph().outputsOf(source))
        {
            // A fresh operator answers for every subtask's: retaining is a property of its configuration.
            if (graph.vertexOf(edge.to()) == graph.vertexOf(source) && ((OneInputOperator<?, ?>)edge.to().createOperator()).retainsInput())
            {
                return true;
            }
        }
        return false;
    }

    /**
     * @param edge an edge between tasks.
     * @return whether its writers copy each record: only those of a reusing source whose task
     * does not, so that every other producer's records cross by reference.
     */
    private boolean channelCopies(final StreamEdge edge)
    {
        return edge.from().isSource() && edge.from().source().reusesRecords() && !sourceTaskCopies(edge.from());
    }

    private static List<SourceSplit> splitsOf(final List<? extends SourceSplit> splits, final int subtask, final int parallelism)
    {
        final List<SourceSplit> mine = new ArrayList<>();
        for (int i = subtask; i < splits.size(); i += parallelism)
        {
            mine.add(splits.get(i));
        }
        return mine;
    }

    private void connect(final StreamEdge edge, final JobControl control, final Map<StreamEdge, ChannelWriter[][]> writers,
        final Map<StreamNode, List<List<ChannelReader>>> readers, final Map<StreamNode, Doorbell[]> doorbells)
    {
        final int producers = edge.from().parallelism();
        final int consumers = edge.to().parallelism();
        final boolean forward = edge.effectivePartitioning().kind() == Partitioning.Kind.FORWARD;
        final boolean copies = channelCopies(edge);
        final ChannelWriter[][] edgeWriters = new ChannelWriter[producers][];
        final List<List<ChannelReader>> consumerInputs = readers.computeIfAbsent(edge.to(), n ->
        {
            final List<List<ChannelReader>> perSubtask = new ArrayList<>();
            for (int j = 0; j < consumers; j++)
            {
                perSubtask.add(new ArrayList<>());
            }
            return perSubtask;
        });
        final Doorbell[] consumerDoorbells = doorbells.computeIfAbsent(edge.to(), n ->
        {
            final Doorbell[] perSubtask = new Doorbell[consumers];
            for (int j = 0; j < consumers; j++)
            {
                perSubtask[j] = new Doorbell();
            }
            return perSubtask;
        });
        for (int i = 0; i < producers; i++)
        {
            edgeWriters[i] = new ChannelWriter[forward ? 1 : consumers];
            for (int j = 0; j < consumers; j++)
            {
                if (forward && i != j)
                {
                    continue;
                }
                final Channel channel = new Channel(edge.from().name() + "[" + i + "] -> " + edge.to().name() + "[" + j + "]", settings.channelCapacity(),
                    edge.effectivePartitioning().hasLongKeys(), copies);
                edgeWriters[i][forward ? 0 : j] = new ChannelWriter(channel, settings.channelBatchSize(), settings.bufferTimeoutNanos(), settings.newBackpressureIdleStrategy(), control,
                    consumerDoorbells[j]);
                consumerInputs.get(j).add(new ChannelReader(channel, edge.input(), edge.effectivePartitioning().kind() == Partitioning.Kind.HASH));
            }
        }
        writers.put(edge, edgeWriters);
    }
}
