package io.tidemark.engine.state;

/**
 * Aggregating state as the engine sees it: besides adding records, the stored accumulator
 * itself can be read, so that partial aggregates (the slices of a hopping window) can be
 * combined with {@link io.tidemark.engine.functions.AggregateFunction#merge}.
 *
 * @param <N>   the namespace type.
 * @param <IN>  the type added.
 * @param <ACC> the accumulator type.
 * @param <OUT> the result type.
 */
public interface InternalAggregatingState<N, IN, ACC, OUT> extends InternalAppendingState<N, IN, OUT>
{
    /**
     * @return the current key's accumulator in the current namespace, or {@code null}; not a
     * copy, so it must not be modified.
     */
    ACC getAccumulator();
}
