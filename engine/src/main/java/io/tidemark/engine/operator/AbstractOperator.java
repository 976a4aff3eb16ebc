package io.tidemark.engine.operator;

/**
 * The base of most one-input operators: the defaults of {@link AbstractStreamOperator}, and
 * {@link #processElement} to implement.
 *
 * @param <IN>  the input type.
 * @param <OUT> the output type.
 */
public abstract class AbstractOperator<IN, OUT> extends AbstractStreamOperator<OUT> implements OneInputOperator<IN, OUT>
{
}
