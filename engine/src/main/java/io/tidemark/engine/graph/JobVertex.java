package io.tidemark.engine.graph;

import java.util.List;

/**
 * A chain of nodes that runs as one task per subtask: records pass from one node to the
 * next by a direct method call, with no queue and no thread hand-off.
 *
 * @param id          the vertex's index in the job graph.
 * @param nodes       the chained nodes, head first, in topological order.
 * @param parallelism the parallelism shared by every node of the chain.
 */
public record JobVertex(int id, List<StreamNode> nodes, int parallelism)
{
    /**
     * @return the first node, which receives the vertex's input (or is its source).
     */
    public StreamNode head()
    {
        return nodes.get(0);
    }

    /**
     * @return a readable name: the chained node names joined by arrows.
     */
    public String name()
    {
        return String.join(" -> ", nodes.stream().map(StreamNode::name).toList());
    }
}
