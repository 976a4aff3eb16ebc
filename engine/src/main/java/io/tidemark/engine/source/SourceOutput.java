package io.tidemark.engine.source;

/**
 * Where a {@link SplitReader} emits records. Emitting runs the rest of the chain (and the
 * split's watermark generator) before it returns.
 *
 * @param <T> the record type.
 */
public interface SourceOutput<T>
{
    /**
     * Emits a record that carries no timestamp of its own; the watermark strategy's
     * timestamp assigner supplies one.
     *
     * @param value the record.
     */
    void collect(T value);

    /**
     * Emits a record with the timestamp the source knows (a log record's timestamp); the
     * strategy's assigner may still override it.
     *
     * @param value     the record.
     * @param timestamp its timestamp.
     */
    void collect(T value, long timestamp);
}
