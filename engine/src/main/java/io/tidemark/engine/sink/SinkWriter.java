package io.tidemark.engine.sink;

/**
 * Writes one sink subtask's records. Called from the subtask's thread only.
 *
 * @param <T> the record type.
 */
public interface SinkWriter<T>
{
    /**
     * @param value     a record.
     * @param timestamp its timestamp.
     * @throws Exception to fail the job.
     */
    void write(T value, long timestamp) throws Exception;

    /**
     * Makes everything written so far durable or visible; called at the end of input.
     *
     * @throws Exception to fail the job.
     */
    default void flush() throws Exception
    {
    }

    /**
     * Releases the writer's resources; called once, also when the job fails.
     *
     * @throws Exception if releasing fails.
     */
    default void close() throws Exception
    {
    }
}
