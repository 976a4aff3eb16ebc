package io.tidemark.engine.operator;

/**
 * A one-input operator that may emit its input itself (a map, a filter): it keeps a record as
 * long as the operators chained after it do, and no longer, since its function must not keep
 * its input past the call but through what it returns.
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
