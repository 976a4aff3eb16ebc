package io.tidemark.engine.graph;

import io.tidemark.engine.functions.OutputTag;

/**
 * A connection from one node's output (its main output, or a side output) to another
 * node's input.
 *
 * @param from         the producing node.
 * @param to           the consuming node.
 * @param partitioning how records spread over the consumer's subtasks; a forward edge
 *                     between nodes of different parallelism becomes a rebalance.
 * @param tag          the side output this edge carries, or {@code null} for the main output.
 */
public record StreamEdge(StreamNode from, StreamNode to, Partitioning partitioning, OutputTag<?> tag)
{
    /**
     * @return the partitioning actually used: forward only between equal parallelisms.
     */
    public Partitioning effectivePartitioning()
    {
        if (partitioning.kind() == Partitioning.Kind.FORWARD && from.parallelism() != to.parallelism())
        {
            return Partitioning.rebalance();
        }
        return partitioning;
    }
}
