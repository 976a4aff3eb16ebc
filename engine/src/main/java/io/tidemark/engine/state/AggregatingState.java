package io.tidemark.engine.state;

/**
 * One accumulator per key, fed by an {@link io.tidemark.engine.functions.AggregateFunction};
 * {@link #get()} answers with the function's result.
 *
 * @param <IN>  the type added.
 * @param <OUT> the result type.
 */
public interface AggregatingState<IN, OUT> extends AppendingState<IN, OUT>
{
}
