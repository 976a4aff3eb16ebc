package io.tidemark.engine.task;

import io.tidemark.engine.graph.JobGraph;
import io.tidemark.engine.graph.JobVertex;
import io.tidemark.engine.graph.Partitioning;
import io.tidemark.engine.graph.StreamGraph;
import io.tidemark.engine.graph.StreamNode;
import io.tidemark.engine.operator.OneInputOperator;
import io.tidemark.engine.source.CollectionSource;
import io.tidemark.engine.state.KeyGroupRange;
import io.tidemark.engine.time.WatermarkStrategy;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A stream task of one operator whose two input channels a test writes by hand, running on a
 * thread of its own.
 */
final class HandWrittenTask
{
    private HandWrittenTask()
    {
    }

    /**
     * @param operator   makes the task's operator.
     * @param config     the task's settings (flush timeout, hand-off).
     * @param control    the job's fate, for one task.
     * @param aligned    whether the task aligns checkpoint barriers.
     * @param threadName the name of the task's thread.
     * @return the writers of the task's two inputs.
     */
    static ChannelWriter[] start(final Supplier<? extends OneInputOperator<?, ?>> operator, final ExecutionConfig config, final JobControl control,
        final boolean aligned, final String threadName)
    {
        final StreamGraph streamGraph = new StreamGraph();
        final StreamNode source = streamGraph.addSource("source", 1, CollectionSource.of(List.of()), WatermarkStrategy.noWatermarks());
        final StreamNode node = streamGraph.addOperator("recorder", 1, operator);
        streamGraph.addEdge(source, node, Partitioning.rebalance(), null);
        final JobGraph graph = JobGraph.of(streamGraph);
        final JobVertex vertex = graph.vertexOf(node);
        final Doorbell doorbell = new Doorbell();
        final ChannelWriter[] inputs = new ChannelWriter[2];
        final ChannelReader[] readers = new ChannelReader[inputs.length];
        for (int i = 0; i < inputs.length; i++)
        {
            final Channel channel = new Channel("input " + i, 64);
            inputs[i] = new ChannelWriter(channel, 64, config.bufferTimeoutNanos(), config.newBackpressureIdleStrategy(), control, doorbell);
            readers[i] = new ChannelReader(channel);
        }
        final OperatorChain chain = new OperatorChain(graph, vertex, 0, Map.of(), config, null);
        final TaskCheckpoints checkpoints = new TaskCheckpoints(vertex.id(), 0, 1, new KeyGroupRange(0, 127), aligned, false, null, null, 0);
        final Thread thread = new Thread(new StreamTask("recorder", chain, readers, doorbell, control, config, checkpoints), threadName);
        thread.setDaemon(true);
        thread.start();
        return inputs;
    }
}
