package io.tidemark.engine.graph;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The job as it will run: chains of nodes ({@link JobVertex}) and the edges between them
 * that become channels. An edge is chained, so that its two nodes share a task, when it is
 * forward, both ends have the same parallelism, and the consumer has no other input; every
 * other edge crosses threads through channels. A two-input operator always heads its chain.
 */
public final class JobGraph
{
    private final StreamGraph streamGraph;
    private final List<JobVertex> vertices;
    private final List<StreamEdge> channelEdges;
    private final Map<StreamNode, JobVertex> vertexOf;

    private JobGraph(final StreamGraph streamGraph, final List<JobVertex> vertices, final List<StreamEdge> channelEdges, final Map<StreamNode, JobVertex> vertexOf)
    {
        this.streamGraph = streamGraph;
        this.vertices = vertices;
        this.channelEdges = channelEdges;
        this.vertexOf = vertexOf;
    }

    /**
     * Chains a stream graph.
     *
     * @param graph the stream graph.
     * @return the job graph.
     * @throws IllegalArgumentException if the graph is empty or an operator has no input.
     */
    public static JobGraph of(final StreamGraph graph)
    {
        if (graph.nodes().isEmpty())
        {
            throw new IllegalArgumentException("the job has no sources: nothing to run");
        }
        final List<StreamEdge> channelEdges = new ArrayList<>();
        final Map<StreamNode, StreamNode> headOf = new HashMap<>();
        for (final StreamNode node : graph.nodes())
        {
            final List<StreamEdge> inputs = graph.inputsOf(node);
            if (!node.isSource() && inputs.isEmpty())
            {
                throw new IllegalArgumentException("operator " + node + " has no input");
            }
            if (node.isTwoInput() && inputs.stream().map(StreamEdge::input).distinct().count() != 2)
            {
                throw new IllegalArgumentException("two-input operator " + node + " needs edges into both its inputs");
            }
            if (inputs.size() == 1 && isChainable(inputs.get(0)) && !node.isTwoInput())
            {
                headOf.put(node, headOf.get(inputs.get(0).from()));
            }
            else
            {
                headOf.put(node, node);
                channelEdges.addAll(inputs);
            }
        }
        final Map<StreamNode, List<StreamNode>> chains = new HashMap<>();
        final List<StreamNode> heads = new ArrayList<>();
        for (final StreamNode node : graph.nodes())
        {
            final StreamNode head = headOf.get(node);
            if (head == node)
            {
                heads.add(node);
            }
            chains.computeIfAbsent(head, h -> new ArrayList<>()).add(node);
        }
        final List<JobVertex> vertices = new ArrayList<>();
        final Map<StreamNode, JobVertex> vertexOf = new HashMap<>();
        for (final StreamNode head : heads)
        {
            final JobVertex vertex = new JobVertex(vertices.size(), List.copyOf(chains.get(head)), head.parallelism());
            vertices.add(vertex);
            vertex.nodes().forEach(n -> vertexOf.put(n, vertex));
        }
        return new JobGraph(graph, List.copyOf(vertices), List.copyOf(channelEdges), vertexOf);
    }

    /**
     * @param edge an edge.
     * @return whether its two nodes can share a task.
     */
    public static boolean isChainable(final StreamEdge edge)
    {
        return edge.effectivePartitioning().kind() == Partitioning.Kind.FORWARD && !edge.to().isSource();
    }

    /**
     * @return the vertices, in topological order.
     */
    public List<JobVertex> vertices()
    {
        return vertices;
    }

    /**
     * @return the edges that cross tasks, each becoming one channel per producer and
     * consumer subtask pair (one per subtask for forward edges).
     */
    public List<StreamEdge> channelEdges()
    {
        return channelEdges;
    }

    /**
     * @param node a node.
     * @return the vertex it runs in.
     */
    public JobVertex vertexOf(final StreamNode node)
    {
        return vertexOf.get(node);
    }

    /**
     * @return the stream graph this was built from.
     */
    public StreamGraph streamGraph()
    {
        return streamGraph;
    }
}
