package io.tidemark.engine.functions;

/**
 * Where a function emits its output records. The engine reuses one collector per operator,
 * so do not keep a reference beyond the call that received it.
 *
 * @param <T> the record type.
 */
@FunctionalInterface
public interface Collector<T>
{
    /**
     * @param value a record to pass downstream, not {@code null}.
     */
    void collect(T value);
}
