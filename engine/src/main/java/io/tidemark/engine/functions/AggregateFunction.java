package io.tidemark.engine.functions;

import java.io.Serializable;

/**
 * Incremental aggregation: a window or state keeps one accumulator per key and window
 * instead of every record. Returning the accumulator that was passed in, mutated, avoids an
 * allocation per record; {@link AggregateFunctions} shows how. Each parallel subtask gets its
 * own copy (see {@link SerializedCopy}).
 *
 * @param <IN>  the input type.
 * @param <ACC> the accumulator type.
 * @param <OUT> the result type.
 */
public interface AggregateFunction<IN, ACC, OUT> extends Serializable
{
    /**
     * @return a new, empty accumulator.
     */
    ACC createAccumulator();

    /**
     * @param value       a record.
     * @param accumulator the accumulator so far.
     * @return the accumulator with the record added; may be the same object.
     */
    ACC add(IN value, ACC accumulator);

    /**
     * @param accumulator an accumulator.
     * @return the result it stands for. Must not modify the accumulator: a window may fire
     * several times.
     */
    OUT getResult(ACC accumulator);

    /**
     * Combines two accumulators: used when session windows merge and when a hopping window
     * is assembled from its slices.
     *
     * @param a an accumulator; may be modified and returned.
     * @param b another accumulator; must not be modified, it may be used again.
     * @return the combination.
     */
    ACC merge(ACC a, ACC b);
}
