package io.tidemark.bench.engine;

import java.util.concurrent.atomic.AtomicLong;

import io.tidemark.engine.sink.Sink;
import io.tidemark.engine.sink.SinkWriter;
import io.tidemark.engine.window.WindowResult;

/** Sums the values of all window results, per subtask, then into two shared totals at the end. */
final class ChecksumSink implements Sink<WindowResult<Long, Long>>
{
    private final AtomicLong checksum = new AtomicLong();
    private final AtomicLong windows = new AtomicLong();

    /**
     * @return the sum of the values of every window result flushed so far.
     */
    long checksum()
    {
        return checksum.get();
    }

    /**
     * @return the number of window results flushed so far.
     */
    long windows()
    {
        return windows.get();
    }

    @Override
    public SinkWriter<WindowResult<Long, Long>> createWriter(final int subtaskIndex, final int parallelism)
    {
        return new SinkWriter<>()
        {
            private long sum;
            private long count;

            @Override
            public void write(final WindowResult<Long, Long> value, final long timestamp)
            {
                sum += value.value();
                count++;
            }

            @Override
            public void flush()
            {
                checksum.addAndGet(sum);
                windows.addAndGet(count);
                sum = 0;
                count = 0;
            }
        };
    }
}
