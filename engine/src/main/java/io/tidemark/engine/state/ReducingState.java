package io.tidemark.engine.state;

/**
 * One value per key, combined with each added value by a
 * {@link io.tidemark.engine.functions.ReduceFunction}.
 *
 * @param <T> the value type.
 */
public interface ReducingState<T> extends AppendingState<T, T>
{
}
