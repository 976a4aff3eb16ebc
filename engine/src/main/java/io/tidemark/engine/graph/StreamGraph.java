package io.tidemark.engine.graph;

import io.tidemark.engine.functions.OutputTag;
import io.tidemark.engine.operator.OneInputOperator;
import io.tidemark.engine.operator.TwoInputOperator;
import io.tidemark.engine.source.Source;
import io.tidemark.engine.time.WatermarkStrategy;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The job as the DataStream API builds it: nodes (sources and operators) and the edges
 * between them, before chaining. Nodes are added after their inputs, so their ids are a
 * topological order.
 */
public final class StreamGraph
{
    private final List<StreamNode> nodes = new ArrayList<>();
    private final List<StreamEdge> edges = new ArrayList<>();

    /**
     * @param name        the source's name.
     * @param parallelism its parallelism.
     * @param source      the source.
     * @param strategy    how its splits generate watermarks.
     * @return the new node.
     */
    public StreamNode addSource(final String name, final int parallelism, final Source<?, ?> source, final WatermarkStrategy<?> strategy)
    {
        return add(StreamNode.source(nodes.size(), name, parallelism, source, strategy));
    }

    /**
     * @param name        the operator's name.
     * @param parallelism its parallelism.
     * @param factory     makes one operator per subtask.
     * @return the new node.
     */
    public StreamNode addOperator(final String name, final int parallelism, final Supplier<? extends OneInputOperator<?, ?>> factory)
    {
        return add(StreamNode.operator(nodes.size(), name, parallelism, factory, false));
    }

    /**
     * @param name        the operator's name.
     * @param parallelism its parallelism.
     * @param factory     makes one two-input operator per subtask; its edges say which input
     *                    they feed.
     * @return the new node, which {@link StreamNode#isTwoInput()}.
     */
    public StreamNode addTwoInputOperator(final String name, final int parallelism, final Supplier<? extends TwoInputOperator<?, ?, ?>> factory)
    {
        return add(StreamNode.twoInputOperator(nodes.size(), name, parallelism, factory));
    }

    /**
     * @param name        the sink's name.
     * @param parallelism its parallelism.
     * @param factory     makes one sink operator per subtask.
     * @return the new node, which {@link StreamNode#isSink()}.
     */
    public StreamNode addSink(final String name, final int parallelism, final Supplier<? extends OneInputOperator<?, ?>> factory)
    {
        return add(StreamNode.operator(nodes.size(), name, parallelism, factory, true));
    }

    private StreamNode add(final StreamNode node)
    {
        nodes.add(node);
        return node;
    }

    /**
     * @param from         the producing node.
     * @param to           the consuming node, added after {@code from}.
     * @param partitioning how records spread.
     * @param tag          the side output carried, or {@code null}.
     */
    public void addEdge(final StreamNode from, final StreamNode to, final Partitioning partitioning, final OutputTag<?> tag)
    {
        addEdge(from, to, partitioning, tag, 1);
    }

    /**
     * @param from         the producing node.
     * @param to           the consuming node, added after {@code from}.
     * @param partitioning how records spread.
     * @param tag          the side output carried, or {@code null}.
     * @param input        the consumer's input it feeds: 1, or 2 for a two-input operator's second.
     */
    public void addEdge(final StreamNode from, final StreamNode to, final Partitioning partitioning, final OutputTag<?> tag, final int input)
    {
        if (from.id() >= to.id())
        {
            throw new IllegalArgumentException("an edge must point to a later node: " + from + " -> " + to);
        }
        if (input != 1 && input != 2)
        {
            throw new IllegalArgumentException("an edge feeds input 1 or 2, not " + input + ": " + from + " -> " + to);
        }
        edges.add(new StreamEdge(from, to, partitioning, tag, input));
    }

    /**
     * @return the nodes, in topological order.
     */
    public List<StreamNode> nodes()
    {
        return List.copyOf(nodes);
    }

    /**
     * @return the edges.
     */
    public List<StreamEdge> edges()
    {
        return List.copyOf(edges);
    }

    /**
     * @param node a node.
     * @return the edges into it.
     */
    public List<StreamEdge> inputsOf(final StreamNode node)
    {
        return edges.stream().filter(e -> e.to() == node).toList();
    }

    /**
     * @param node a node.
     * @return the edges out of it.
     */
    public List<StreamEdge> outputsOf(final StreamNode node)
    {
        return edges.stream().filter(e -> e.from() == node).toList();
    }
}
