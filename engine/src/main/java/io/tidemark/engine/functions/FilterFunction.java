package io.tidemark.engine.functions;

import java.io.Serializable;

/**
 * Keeps the records for which it answers {@code true}. Each parallel subtask gets its own
 * copy (see {@link SerializedCopy}).
 *
 * @param <T> the record type.
 */
@FunctionalInterface
public interface FilterFunction<T> extends Serializable
{
    /**
     * @param value a record.
     * @return whether to keep it.
     * @throws Exception to fail the job.
     */
    boolean filter(T value) throws Exception;
}
