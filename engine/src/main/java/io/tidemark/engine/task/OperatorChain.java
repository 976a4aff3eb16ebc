package io.tidemark.engine.task;

import io.tidemark.engine.checkpoint.CheckpointBarrier;
import io.tidemark.engine.checkpoint.OperatorSnapshot;
import io.tidemark.engine.functions.OutputTag;
import io.tidemark.engine.graph.JobGraph;
import io.tidemark.engine.graph.JobVertex;
import io.tidemark.engine.graph.StreamEdge;
import io.tidemark.engine.graph.StreamNode;
import io.tidemark.engine.operator.ChainedInput;
import io.tidemark.engine.operator.OneInputOperator;
import io.tidemark.engine.operator.StreamOperator;
import io.tidemark.engine.operator.OperatorContext;
import io.tidemark.engine.operator.OperatorException;
import io.tidemark.engine.operator.OperatorMetrics;
import io.tidemark.engine.operator.Output;
import io.tidemark.engine.operator.TwoInputEntrance;
import io.tidemark.engine.operator.TwoInputOperator;
import io.tidemark.engine.time.Watermark;
import java.io.DataInput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The operators of one subtask of a {@link JobVertex}, wired together: each node's output is
 * the next node's {@link ChainedInput} (a direct call) or a {@link ChannelOutput} to another
 * task, fanned out by a {@link NodeOutput} when a node has several consumers or side
 * outputs. Built on the thread that starts the job (so metrics exist before the job runs),
 * opened and run on the task's thread. At a checkpoint it prepares, snapshots and notifies
 * its operators head first, and sends the barrier on to every consumer task.
 */
final class OperatorChain
{
    /** One operator of the chain; {@code input} is {@code null} for a two-input head. */
    private record Link(StreamNode node, StreamOperator<Object> operator, OperatorContext context, Output<Object> output, ChainedInput<Object> input,
        OperatorMetrics metrics)
    {
    }

    private final List<Link> links = new ArrayList<>();
    private final List<ChannelOutput<?>> channelOutputs = new ArrayList<>();
    private final List<OperatorMetrics> metrics = new ArrayList<>();
    private final Map<Integer, List<DataInput>> restored;
    private Output<Object> sourceOutput;
    private OperatorMetrics sourceMetrics;
    private long workNanos;
    private TwoInputEntrance<Object, Object> twoInputHead;

    /**
     * @param graph    the job graph.
     * @param vertex   the chain's vertex.
     * @param subtask  the subtask index.
     * @param writers  for each edge leaving this vertex, this subtask's writers (one per
     *                 consumer subtask, or one for a forward edge).
     * @param config   the execution settings.
     * @param restored each operator's inherited snapshots by node id, read when the chain
     *                 opens, when the job resumes a checkpoint; null on a fresh start.
     */
    @SuppressWarnings("unchecked")
    OperatorChain(final JobGraph graph, final JobVertex vertex, final int subtask, final Map<StreamEdge, ChannelWriter[]> writers, final ExecutionConfig config,
        final Map<Integer, List<DataInput>> restored)
    {
        this.restored = restored;
        final Map<StreamNode, ChainedInput<Object>> inputs = new HashMap<>();
        final List<StreamNode> nodes = vertex.nodes();
        final Link[] built = new Link[nodes.size()];
        // Downstream first, so that each node's consumers exist when its output is made.
        for (int i = nodes.size() - 1; i >= 0; i--)
        {
            final StreamNode node = nodes.get(i);
            final OperatorMetrics nodeMetrics = new OperatorMetrics(node.name(), subtask);
            final Output<Object> output = new CountingOutput<>(outputOf(graph, node, subtask, inputs, writers, config), nodeMetrics);
            if (node.isSource())
            {
                sourceOutput = output;
                sourceMetrics = nodeMetrics;
            }
            else
            {
                final StreamOperator<Object> operator = (StreamOperator<Object>)node.createOperator();
                final OperatorContext context = new OperatorContext(node.name(), subtask, vertex.parallelism(), config.maxParallelism(), config.clock(), nodeMetrics);
                ChainedInput<Object> input = null;
                if (node.isTwoInput())
                {
                    twoInputHead = new TwoInputEntrance<>((TwoInputOperator<Object, Object, Object>)operator, nodeMetrics);
                }
                else
                {
                    final OneInputOperator<Object, Object> oneInput = (OneInputOperator<Object, Object>)operator;
                    // Without object reuse a map's or filter's function may keep its input, so it must not be handed a recycled record.
                    oneInput.outputRetained(!config.objectReuse() || outputRetained(graph, node, inputs));
                    input = new ChainedInput<>(oneInput, nodeMetrics);
                    inputs.put(node, input);
                }
                built[i] = new Link(node, operator, context, output, input, nodeMetrics);
            }
        }
        for (int i = 0; i < built.length; i++)
        {
            if (built[i] != null)
            {
                links.add(built[i]);
            }
            metrics.add(built[i] == null ? sourceMetrics : built[i].metrics());
        }
    }

    /**
     * Whether what {@code node} emits may be kept past the call that emits it: by a channel
     * (which passes references on), or by an operator chained after it that retains its input.
     * Its consumers in the chain are built already, downstream first.
     */
    private static boolean outputRetained(final JobGraph graph, final StreamNode node, final Map<StreamNode, ChainedInput<Object>> inputs)
    {
        for (final StreamEdge edge : graph.streamGraph().outputsOf(node))
        {
            final ChainedInput<Object> chained = inputs.get(edge.to());
            if (chained == null || chained.operator().retainsInput())
            {
                return true;
            }
        }
        return false;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private Output<Object> outputOf(final JobGraph graph, final StreamNode node, final int subtask, final Map<StreamNode, ChainedInput<Object>> inputs,
        final Map<StreamEdge, ChannelWriter[]> writers, final ExecutionConfig config)
    {
        final List<Output<Object>> main = new ArrayList<>();
        final Map<OutputTag<?>, List<Output<Object>>> sides = new LinkedHashMap<>();
        for (final StreamEdge edge : graph.streamGraph().outputsOf(node))
        {
            final Output<Object> target;
            final ChainedInput<Object> chained = inputs.get(edge.to());
            if (chained != null)
            {
                target = chained;
            }
            else
            {
                final ChannelOutput<Object> channelOutput = new ChannelOutput<>(edge.from().name() + " -> " + edge.to().name(), writers.get(edge),
                    edge.effectivePartitioning(), config.maxParallelism(), subtask);
                channelOutputs.add(channelOutput);
                target = channelOutput;
            }
            if (edge.tag() == null)
            {
                main.add(target);
            }
            else
            {
                sides.computeIfAbsent(edge.tag(), t -> new ArrayList<>()).add(target);
            }
        }
        if (main.size() == 1 && sides.isEmpty())
        {
            return main.get(0);
        }
        return new NodeOutput(main, sides);
    }

    /**
     * Opens every operator and hands it the snapshots it inherits, on the task's thread.
     *
     * @throws Exception if an operator fails to open or to restore.
     */
    void open() throws Exception
    {
        for (final Link link : links)
        {
            link.operator().open(link.context(), link.output());
            final List<DataInput> inherited = restored == null ? List.of() : restored.getOrDefault(link.node().id(), List.of());
            if (restored != null && inherited.isEmpty())
            {
                link.operator().restoredWithoutSnapshot();
            }
            for (final DataInput in : inherited)
            {
                try
                {
                    link.operator().restoreState(in);
                }
                catch (final IOException e)
                {
                    throw new OperatorException(link.node().name() + " cannot restore its state", e);
                }
            }
            link.operator().restoreFinished();
            if (link.operator().currentWatermark() != Watermark.NONE)
            {
                // A restored watermark: the entrance holds back the input's behind it, so
                // without this the metric would read NONE until the input caught up.
                link.metrics().watermark(link.operator().currentWatermark());
            }
        }
    }

    /**
     * Lets each operator, head first, finish what must go out before the barrier.
     *
     * @param checkpointId the checkpoint.
     * @throws Exception if an operator declines the checkpoint.
     */
    void prepareSnapshotPreBarrier(final long checkpointId) throws Exception
    {
        for (final Link link : links)
        {
            link.operator().prepareSnapshotPreBarrier(checkpointId);
        }
    }

    /**
     * @param checkpointId the checkpoint.
     * @return each operator's captured state, by node id.
     * @throws Exception if an operator cannot capture its state.
     */
    Map<Integer, OperatorSnapshot> snapshot(final long checkpointId) throws Exception
    {
        final Map<Integer, OperatorSnapshot> snapshots = new HashMap<>();
        for (final Link link : links)
        {
            snapshots.put(link.node().id(), link.operator().snapshot(checkpointId));
        }
        return snapshots;
    }

    /**
     * Sends the barrier to every consumer task, after everything the chain emitted before it.
     * Every channel has it before any consumer is rung: a consumer run on this thread (the
     * hand-off) may then wait for room downstream, and the barriers it waits for must not be
     * among those this thread has yet to write.
     *
     * @param barrier the barrier.
     */
    void barrier(final CheckpointBarrier barrier)
    {
        for (final ChannelOutput<?> output : channelOutputs)
        {
            output.barrier(barrier);
        }
        for (final ChannelOutput<?> output : channelOutputs)
        {
            output.ringConsumers();
        }
    }

    /**
     * @param checkpointId a checkpoint every task's state of which is durable.
     * @throws Exception if an operator fails to act on it (a sink's commit).
     */
    void notifyCheckpointComplete(final long checkpointId) throws Exception
    {
        for (final Link link : links)
        {
            link.operator().notifyCheckpointComplete(checkpointId);
        }
    }

    /**
     * @param checkpointId a checkpoint that was aborted.
     * @throws Exception if an operator fails to act on it.
     */
    void notifyCheckpointAborted(final long checkpointId) throws Exception
    {
        for (final Link link : links)
        {
            link.operator().notifyCheckpointAborted(checkpointId);
        }
    }

    /**
     * @return the first operator's entrance, for a chain of a one-input head fed by channels.
     */
    ChainedInput<Object> head()
    {
        return links.get(0).input();
    }

    /**
     * @return the entrance of the two-input operator heading the chain, or {@code null}.
     */
    TwoInputEntrance<Object, Object> twoInputHead()
    {
        return twoInputHead;
    }

    /**
     * @return where the source emits, for a chain headed by a source.
     */
    Output<Object> sourceOutput()
    {
        return sourceOutput;
    }

    /**
     * @return the source's metrics, for a chain headed by a source.
     */
    OperatorMetrics sourceMetrics()
    {
        return sourceMetrics;
    }

    /**
     * @return the metrics of every node of the chain, head first.
     */
    List<OperatorMetrics> metrics()
    {
        return metrics;
    }

    // The methods a task calls every round (a lent round can be a single record) index their
    // lists: an iterator is an allocation whenever the JIT does not remove it, which it does not
    // in every compiled form (a hand-off run beside busy processes allocated about 5 MB/s in them).

    /**
     * Adds a round of work to the task's time and tells every operator of the chain where it
     * stands; called by the task after a round that did work, so an idle task pays nothing.
     *
     * @param nanos how long the round took, waits for room downstream included.
     */
    void addWorkTime(final long nanos)
    {
        workNanos += nanos;
        long backpressured = 0;
        for (int i = 0; i < channelOutputs.size(); i++)
        {
            backpressured += channelOutputs.get(i).backpressureNanos();
        }
        final long busy = Math.max(0, workNanos - backpressured);
        for (int i = 0; i < metrics.size(); i++)
        {
            metrics.get(i).taskTime(busy, backpressured);
        }
    }

    void advanceProcessingTime(final long now)
    {
        for (int i = 0; i < links.size(); i++)
        {
            final Link link = links.get(i);
            try
            {
                link.operator().advanceProcessingTime(now);
            }
            catch (final OperatorException e)
            {
                throw e;
            }
            catch (final Exception e)
            {
                throw new OperatorException(link.node().name(), e);
            }
        }
    }

    void flush()
    {
        for (int i = 0; i < channelOutputs.size(); i++)
        {
            channelOutputs.get(i).flush();
        }
    }

    void flushIfDue(final long nowNanos)
    {
        for (int i = 0; i < channelOutputs.size(); i++)
        {
            channelOutputs.get(i).flushIfDue(nowNanos);
        }
    }

    /**
     * Ends the input of each operator in turn, head first, so that what one emits on its way
     * out still passes through the rest; then tells every consumer task the stream ended.
     *
     * @throws Exception if an operator fails.
     */
    void endInput() throws Exception
    {
        for (final Link link : links)
        {
            link.operator().endInput();
        }
        for (final ChannelOutput<?> output : channelOutputs)
        {
            output.endOfInput();
        }
    }

    /**
     * Closes every operator, even if some fail.
     *
     * @return the first failure, or {@code null}.
     */
    Exception close()
    {
        Exception first = null;
        for (final Link link : links)
        {
            try
            {
                link.operator().close();
            }
            catch (final Exception e)
            {
                first = first == null ? e : first;
            }
        }
        return first;
    }
}
