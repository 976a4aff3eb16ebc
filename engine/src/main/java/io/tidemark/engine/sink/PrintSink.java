package io.tidemark.engine.sink;

import java.io.PrintStream;

/**
 * Prints each record on a line, prefixed with the subtask's number when there are several,
 * as in {@code 2> WindowResult[...]}.
 *
 * @param <T> the record type.
 */
public final class PrintSink<T> implements Sink<T>
{
    private final PrintStream out;

    /** Prints to standard output. */
    public PrintSink()
    {
        this(System.out);
    }

    /**
     * @param out where to print.
     */
    public PrintSink(final PrintStream out)
    {
        this.out = out;
    }

    @Override
    public SinkWriter<T> createWriter(final int subtaskIndex, final int parallelism)
    {
        final String prefix = parallelism > 1 ? (subtaskIndex + 1) + "> " : "";
        return new SinkWriter<>()
        {
            @Override
            public void write(final T value, final long timestamp)
            {
                out.println(prefix + value);
            }

            @Override
            public void flush()
            {
                out.flush();
            }
        };
    }
}
