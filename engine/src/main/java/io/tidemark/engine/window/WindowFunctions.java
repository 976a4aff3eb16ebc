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

        /**
         * Withdraws the results of a window that was emitted and has merged into another.
         */
        void retract(K key, W window, ProcessWindowFunction.Context<W> context, Collector<OUT> out) throws Exception;

        /**
         * @return whether {@link #retract} withdraws what was emitted, so that a fired
         *         session may merge again; see {@link ProcessWindowFunction#canRetract}.
         */
        boolean canRetract();
    }

    private WindowFunctions()
    {
    }

    static <V, K, W extends Window> InternalWindowFunction<V, WindowResult<K, V>, K, W> asResult()
    {
        return new InternalWindowFunction<>()
        {
            @Override
            public void process(final K key, final W window, final V contents, final ProcessWindowFunction.Context<W> context,
                final Collector<WindowResult<K, V>> out)
            {
                out.collect(WindowResult.of(key, window, contents, context.isUpdate()));
            }

            @Override
            public void retract(final K key, final W window, final ProcessWindowFunction.Context<W> context, final Collector<WindowResult<K, V>> out)
            {
                out.collect(WindowResult.retraction(key, window));
            }

            @Override
            public boolean canRetract()
            {
                return true;
            }
        };
    }

    static <IN, OUT, K, W extends Window> InternalWindowFunction<Iterable<IN>, OUT, K, W> allRecords(final ProcessWindowFunction<IN, OUT, K, W> function)
    {
        return new UserFunction<>(function)
        {
            @Override
            public void process(final K key, final W window, final Iterable<IN> contents, final ProcessWindowFunction.Context<W> context,
                final Collector<OUT> out) throws Exception
            {
                function.process(key, context, contents, out);
            }
        };
    }

    static <IN, OUT, K, W extends Window> InternalWindowFunction<IN, OUT, K, W> singleValue(final ProcessWindowFunction<IN, OUT, K, W> function)
    {
        return new UserFunction<>(function)
        {
            @Override
            public void process(final K key, final W window, final IN contents, final ProcessWindowFunction.Context<W> context,
                final Collector<OUT> out) throws Exception
            {
                function.process(key, context, new SingleValue<>(contents), out);
            }
        };
    }

    /** A user's process window function behind the internal one: retractions go to it. */
    private abstract static class UserFunction<V, IN, OUT, K, W extends Window> implements InternalWindowFunction<V, OUT, K, W>
    {
        private final ProcessWindowFunction<IN, OUT, K, W> function;

        UserFunction(final ProcessWindowFunction<IN, OUT, K, W> function)
        {
            this.function = function;
        }

        @Override
        public void retract(final K key, final W window, final ProcessWindowFunction.Context<W> context, final Collector<OUT> out) throws Exception
        {
            function.retract(key, context, out);
        }

        @Override
        public boolean canRetract()
        {
            return function.canRetract();
        }
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
