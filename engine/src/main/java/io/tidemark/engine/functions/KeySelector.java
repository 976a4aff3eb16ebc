package io.tidemark.engine.functions;

/**
 * Extracts the key by which a stream is partitioned. Must be deterministic and the key's
 * {@code hashCode} and {@code equals} must be stable across runs (no identity hash codes,
 * no enums' default hash codes if results must be reproducible across processes), because
 * the key decides the key group, and the key group decides the subtask.
 *
 * @param <T> the record type.
 * @param <K> the key type.
 */
@FunctionalInterface
public interface KeySelector<T, K>
{
    /**
     * @param value a record.
     * @return its key, not {@code null}.
     * @throws Exception to fail the job.
     */
    K getKey(T value) throws Exception;
}
