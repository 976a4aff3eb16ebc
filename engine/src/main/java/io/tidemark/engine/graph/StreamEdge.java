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
 * @param input        which input of the consumer it feeds: 1, or 2 for the second input of a
 *                     two-input operator.
 */
public record StreamEdge(StreamNode from, StreamNode to, Partitioning partitioning, OutputTag<?> tag, int input)
{
    /**
     * An edge into a consumer's first (or only) input.
     *
     * @param from         the producing node.
     * @param to           the consuming node.
     * @param partitioning how records spread over the consumer's subtasks.
     * @param tag          the side output this edge carries, or {@code null} for the main output.
     */
    public StreamEdge(final StreamNode from, final StreamNode to, final Partitioning partitioning, final OutputTag<?> tag)
    {
        this(from, to, partitioning, tag, 1);
    }

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
