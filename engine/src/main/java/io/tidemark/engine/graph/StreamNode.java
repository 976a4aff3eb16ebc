package io.tidemark.engine.graph;

import io.tidemark.engine.operator.StreamOperator;
import io.tidemark.engine.operator.TwoInputOperator;
import io.tidemark.engine.source.Source;
import io.tidemark.engine.time.WatermarkStrategy;
import java.util.function.Supplier;

/**
 * One step of a job as the user wrote it: a source, or an operator made fresh for each
 * subtask by a factory (operators keep per-subtask state, so they are never shared).
 */
public final class StreamNode
{
    private final int id;
    private final Source<?, ?> source;
    private final WatermarkStrategy<?> watermarkStrategy;
    private final Supplier<? extends StreamOperator<?>> operatorFactory;
    private final boolean sink;
    private final boolean twoInput;
    private String name;
    private int parallelism;

    private StreamNode(final int id, final String name, final int parallelism, final Source<?, ?> source, final WatermarkStrategy<?> watermarkStrategy,
        final Supplier<? extends StreamOperator<?>> operatorFactory, final boolean sink, final boolean twoInput)
    {
        this.id = id;
        this.name = name;
        this.parallelism = parallelism;
        this.source = source;
        this.watermarkStrategy = watermarkStrategy;
        this.operatorFactory = operatorFactory;
        this.sink = sink;
        this.twoInput = twoInput;
    }

    static StreamNode source(final int id, final String name, final int parallelism, final Source<?, ?> source, final WatermarkStrategy<?> strategy)
    {
        return new StreamNode(id, name, parallelism, source, strategy, null, false, false);
    }

    static StreamNode operator(final int id, final String name, final int parallelism, final Supplier<? extends StreamOperator<?>> factory,
        final boolean sink)
    {
        return new StreamNode(id, name, parallelism, null, null, factory, sink, false);
    }

    static StreamNode twoInputOperator(final int id, final String name, final int parallelism, final Supplier<? extends TwoInputOperator<?, ?, ?>> factory)
    {
        return new StreamNode(id, name, parallelism, null, null, factory, false, true);
    }

    /**
     * @return the node's id, increasing in the order nodes were added (a topological order).
     */
    public int id()
    {
        return id;
    }

    /**
     * @return the node's name, as metrics report it.
     */
    public String name()
    {
        return name;
    }

    /**
     * @param name the node's new name.
     */
    public void name(final String name)
    {
        this.name = name;
    }

    /**
     * @return the number of parallel subtasks.
     */
    public int parallelism()
    {
        return parallelism;
    }

    /**
     * @param parallelism the new number of parallel subtasks, positive.
     */
    public void parallelism(final int parallelism)
    {
        if (parallelism < 1)
        {
            throw new IllegalArgumentException("parallelism must be positive: " + parallelism);
        }
        this.parallelism = parallelism;
    }

    /**
     * @return whether this node is a source.
     */
    public boolean isSource()
    {
        return source != null;
    }

    /**
     * @return whether this node is a sink: where records leave the job.
     */
    public boolean isSink()
    {
        return sink;
    }

    /**
     * @return the source, for a source node.
     */
    public Source<?, ?> source()
    {
        return source;
    }

    /**
     * @return the watermark strategy, for a source node.
     */
    public WatermarkStrategy<?> watermarkStrategy()
    {
        return watermarkStrategy;
    }

    /**
     * @return a new operator instance, for an operator node.
     */
    public StreamOperator<?> createOperator()
    {
        return operatorFactory.get();
    }

    /**
     * @return whether this node's operator has two inputs (a {@link TwoInputOperator}), which
     * makes it the head of its chain.
     */
    public boolean isTwoInput()
    {
        return twoInput;
    }

    @Override
    public String toString()
    {
        return name + "#" + id + "(p=" + parallelism + ")";
    }
}
