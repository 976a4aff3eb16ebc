package io.tidemark.engine.functions;

import java.io.Serializable;

/**
 * One record in, any number out. Each parallel subtask gets its own copy (see
 * {@link SerializedCopy}).
 *
 * @param <T> the input type.
 * @param <R> the output type.
 */
@FunctionalInterface
public interface FlatMapFunction<T, R> extends Serializable
{
    /**
     * @param value the input record.
     * @param out   receives the output records; they carry the input's timestamp.
     * @throws Exception to fail the job.
     */
    void flatMap(T value, Collector<R> out) throws Exception;
}
