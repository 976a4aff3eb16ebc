package io.tidemark.engine.functions;

import java.io.Serializable;

/**
 * Combines two values of the same type into one, for example two partial sums. Must be
 * associative, since the engine may combine in any grouping. Each parallel subtask gets its
 * own copy (see {@link SerializedCopy}).
 *
 * @param <T> the value type.
 */
@FunctionalInterface
public interface ReduceFunction<T> extends Serializable
{
    /**
     * @param accumulated the value so far.
     * @param value       the new value.
     * @return the combination; may be {@code accumulated} itself, modified.
     * @throws Exception to fail the job.
     */
    T reduce(T accumulated, T value) throws Exception;
}
