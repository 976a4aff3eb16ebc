package io.tidemark.engine.operator;

/**
 * A one-input operator that may emit its input itself (a map, a filter). It keeps its input
 * unless the job turns object reuse on ({@link io.tidemark.engine.task.ExecutionConfig#objectReuse(boolean)}),
 * which promises that its function keeps nothing of its input past the call except through
 * what it returns; then it keeps a record as long as the operators chained after it do, and
 * no longer. The chain tells it which ({@link #outputRetained}).
 *
 * @param <IN>  the input type.
 * @param <OUT> the output type.
 */
public abstract class ForwardingOperator<IN, OUT> extends AbstractOperator<IN, OUT>
{
    private boolean outputRetained = true;

    @Override
    public final void outputRetained(final boolean retained)
    {
        outputRetained = retained;
    }

    @Override
    public final boolean retainsInput()
    {
        return outputRetained;
    }
}
