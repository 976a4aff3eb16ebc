package io.tidemark.engine.sink;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Collects every record in memory, from all subtasks, readable while the job runs: for
 * tests and small examples. Records of one subtask keep their order; records of different
 * subtasks interleave in no particular order.
 *
 * @param <T> the record type.
 */
public final class CollectSink<T> implements Sink<T>
{
    private final ConcurrentLinkedQueue<T> records = new ConcurrentLinkedQueue<>();

    @Override
    public SinkWriter<T> createWriter(final int subtaskIndex, final int parallelism)
    {
        return (value, timestamp) -> records.add(value);
    }

    /**
     * @return a copy of the records collected so far.
     */
    public List<T> results()
    {
        return new ArrayList<>(records);
    }

    /**
     * @return how many records were collected so far.
     */
    public int size()
    {
        return records.size();
    }
}
