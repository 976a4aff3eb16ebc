package io.tidemark.engine.functions;

import java.io.Serializable;

/**
 * One record in, one record out. Each parallel subtask gets its own copy (see
 * {@link SerializedCopy}), so fields are per subtask; keep per-key data in keyed state.
 *
 * @param <T> the input type.
 * @param <R> the output type.
 */
@FunctionalInterface
public interface MapFunction<T, R> extends Serializable
{
    /**
     * @param value the input record.
     * @return the output record, not {@code null}.
     * @throws Exception to fail the job.
     */
    R map(T value) throws Exception;
}
