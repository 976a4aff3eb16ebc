package io.tidemark.engine.functions;

/**
 * Keeps the records for which it answers {@code true}. Shared by every parallel subtask.
 *
 * @param <T> the record type.
 */
@FunctionalInterface
public interface FilterFunction<T>
{
    /**
     * @param value a record.
     * @return whether to keep it.
     * @throws Exception to fail the job.
     */
    boolean filter(T value) throws Exception;
}
