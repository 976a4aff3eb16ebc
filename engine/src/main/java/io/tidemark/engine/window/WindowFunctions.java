package io.tidemark.engine.window;

import io.tidemark.engine.functions.Collector;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The ways a window's contents become output: as a {@link WindowResult}, or through a user
 * {@link ProcessWindowFunction} given all records or the one pre-aggregated value.
 */
final class WindowFunctions
{
    /**
     * Turns a window's contents into output.
     *
     * @param <V>   what the window's state holds, as read.
     * @param <OUT> the output type.
     * @param <K>   the key type.
     * @param <W>   the window type.
     */
    interface InternalWindowFunction<V, OUT, K, W extends Window>
    {
        void process(K key, W window, V contents, ProcessWindowFunction.Context<W> context, Collector<OUT> out) throws Exception;
    }

    private WindowFunctions()
    {
    }

    static <V, K, W extends Window> InternalWindowFunction<V, WindowResult<K, V>, K, W> asResult()
    {
        return (key, window, contents, context, out) -> out.collect(WindowResult.of(key, window, contents, context.isUpdate()));
    }

    static <IN, OUT, K, W extends Window> InternalWindowFunction<Iterable<IN>, OUT, K, W> allRecords(final ProcessWindowFunction<IN, OUT, K, W> function)
    {
        return (key, window, contents, context, out) -> function.process(key, context, contents, out);
    }

    static <IN, OUT, K, W extends Window> InternalWindowFunction<IN, OUT, K, W> singleValue(final ProcessWindowFunction<IN, OUT, K, W> function)
    {
        return (key, window, contents, context, out) -> function.process(key, context, new SingleValue<>(contents), out);
    }

    /** An iterable of one value; allocated once per firing, not per record. */
    private static final class SingleValue<T> implements Iterable<T>
    {
        private final T value;

        SingleValue(final T value)
        {
            this.value = value;
        }

        @Override
        public Iterator<T> iterator()
        {
            return new Iterator<>()
            {
                private boolean done;

                @Override
                public boolean hasNext()
                {
                    return !done;
                }

                @Override
                public T next()
                {
                    if (done)
                    {
                        throw new NoSuchElementException();
                    }
                    done = true;
                    return value;
                }
            };
        }
    }
}
