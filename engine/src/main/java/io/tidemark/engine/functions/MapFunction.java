package io.tidemark.engine.functions;

/**
 * One record in, one record out. One instance is shared by every parallel subtask, so it
 * must not keep mutable fields; keep state in keyed state instead.
 *
 * @param <T> the input type.
 * @param <R> the output type.
 */
@FunctionalInterface
public interface MapFunction<T, R>
{
    /**
     * @param value the input record.
     * @return the output record, not {@code null}.
     * @throws Exception to fail the job.
     */
    R map(T value) throws Exception;
}
