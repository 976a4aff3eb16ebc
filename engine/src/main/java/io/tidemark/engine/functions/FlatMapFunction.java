package io.tidemark.engine.functions;

/**
 * One record in, any number out. Shared by every parallel subtask.
 *
 * @param <T> the input type.
 * @param <R> the output type.
 */
@FunctionalInterface
public interface FlatMapFunction<T, R>
{
    /**
     * @param value the input record.
     * @param out   receives the output records; they carry the input's timestamp.
     * @throws Exception to fail the job.
     */
    void flatMap(T value, Collector<R> out) throws Exception;
}
