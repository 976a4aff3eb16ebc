package io.tidemark.engine.task;

import io.tidemark.engine.graph.JobGraph;
import io.tidemark.engine.graph.JobVertex;
import io.tidemark.engine.graph.Partitioning;
import io.tidemark.engine.graph.StreamEdge;
import io.tidemark.engine.graph.StreamNode;
import io.tidemark.engine.operator.OperatorMetrics;
import io.tidemark.engine.source.Source;
import io.tidemark.engine.source.SourceSplit;
import io.tidemark.engine.time.WatermarkStrategy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a job graph in this process: one channel per (producer subtask, consumer subtask)
 * pair of every edge between tasks (only {@code i -> i} for a forward edge), one thread per
 * subtask of every vertex, the source's splits dealt to its subtasks round robin.
 */
public final class LocalExecutor
{
    private LocalExecutor()
    {
    }

    /**
     * Starts the job and returns at once.
     *
     * @param jobName the job's name, for threads and errors.
     * @param graph   the job graph.
     * @param config  the execution settings; copied.
     * @return the handle to wait on, cancel, and read metrics from.
     */
    public static JobHandle start(final String jobName, final JobGraph graph, final ExecutionConfig config)
    {
        final ExecutionConfig settings = config.copy();
        int taskCount = 0;
        for (final JobVertex vertex : graph.vertices())
        {
            if (vertex.parallelism() > settings.maxParallelism())
            {
                throw new IllegalArgumentException(vertex.name() + " has parallelism " + vertex.parallelism() + " above the max parallelism " + settings.maxParallelism());
            }
            taskCount += vertex.parallelism();
        }
        final JobControl control = new JobControl(taskCount);
        final Map<StreamEdge, ChannelWriter[][]> writers = new HashMap<>();
        final Map<StreamNode, List<List<ChannelReader>>> readers = new HashMap<>();
        final Map<StreamNode, Doorbell[]> doorbells = new HashMap<>();
        for (final StreamEdge edge : graph.channelEdges())
        {
            connect(edge, settings, control, writers, readers, doorbells);
        }

        final List<OperatorMetrics> metrics = new ArrayList<>();
        final List<Thread> threads = new ArrayList<>();
        for (final JobVertex vertex : graph.vertices())
        {
            final List<? extends SourceSplit> splits = vertex.head().isSource() ? vertex.head().source().createSplits(vertex.parallelism()) : List.of();
            for (int subtask = 0; subtask < vertex.parallelism(); subtask++)
            {
                final Map<StreamEdge, ChannelWriter[]> subtaskWriters = new HashMap<>();
                for (final Map.Entry<StreamEdge, ChannelWriter[][]> entry : writers.entrySet())
                {
                    if (graph.vertexOf(entry.getKey().from()) == vertex)
                    {
                        subtaskWriters.put(entry.getKey(), entry.getValue()[subtask]);
                    }
                }
                final OperatorChain chain = new OperatorChain(graph, vertex, subtask, subtaskWriters, settings);
                metrics.addAll(chain.metrics());
                final String name = vertex.name() + " (" + (subtask + 1) + "/" + vertex.parallelism() + ")";
                final Task task;
                if (vertex.head().isSource())
                {
                    task = sourceTask(name, chain, vertex.head(), splitsOf(splits, subtask, vertex.parallelism()), control, settings);
                }
                else
                {
                    final List<ChannelReader> inputs = readers.get(vertex.head()).get(subtask);
                    task = new StreamTask(name, chain, inputs.toArray(new ChannelReader[0]), doorbells.get(vertex.head())[subtask], control, settings);
                }
                final Thread thread = new Thread(task, "tidemark " + jobName + ": " + name);
                thread.setDaemon(true);
                threads.add(thread);
            }
        }
        threads.forEach(Thread::start);
        return new JobHandle(jobName, control, metrics);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Task sourceTask(final String name, final OperatorChain chain, final StreamNode head, final List<SourceSplit> splits, final JobControl control,
        final ExecutionConfig settings)
    {
        return new SourceTask(name, chain, (Source)head.source(), splits, (WatermarkStrategy)head.watermarkStrategy(), control, settings);
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

    private static void connect(final StreamEdge edge, final ExecutionConfig settings, final JobControl control, final Map<StreamEdge, ChannelWriter[][]> writers,
        final Map<StreamNode, List<List<ChannelReader>>> readers, final Map<StreamNode, Doorbell[]> doorbells)
    {
        final int producers = edge.from().parallelism();
        final int consumers = edge.to().parallelism();
        final boolean forward = edge.effectivePartitioning().kind() == Partitioning.Kind.FORWARD;
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
                final Channel channel = new Channel(edge.from().name() + "[" + i + "] -> " + edge.to().name() + "[" + j + "]", settings.channelCapacity());
                edgeWriters[i][forward ? 0 : j] = new ChannelWriter(channel, settings.channelBatchSize(), settings.bufferTimeoutNanos(), settings.newBackpressureIdleStrategy(), control,
                    consumerDoorbells[j]);
                consumerInputs.get(j).add(new ChannelReader(channel));
            }
        }
        writers.put(edge, edgeWriters);
    }
}
