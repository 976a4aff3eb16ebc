package io.tidemark.engine.sink;

/**
 * Where a job's results go. Each parallel subtask writes through its own writer.
 *
 * @param <T> the record type.
 */
@FunctionalInterface
public interface Sink<T>
{
    /**
     * @param subtaskIndex the subtask.
     * @param parallelism  the sink's parallelism.
     * @return the writer for that subtask.
     * @throws Exception if the writer cannot be created.
     */
    SinkWriter<T> createWriter(int subtaskIndex, int parallelism) throws Exception;
}
