package io.tidemark.engine.api;

import io.tidemark.engine.functions.CoGroupFunction;
import io.tidemark.engine.functions.Collector;
import io.tidemark.engine.functions.JoinFunction;
import io.tidemark.engine.functions.KeySelector;
import io.tidemark.engine.window.Window;
import io.tidemark.engine.window.WindowAssigner;
import java.time.Duration;
import java.util.Objects;

/**
 * Two streams joined in windows: every pair of records, one of each stream, with the same key
 * in the same window, handed to a {@link JoinFunction} when the window fires (Flink's inner
 * window join). A co-group underneath ({@link CoGroupedStreams}), so windows, lateness and
 * checkpoints are those of any window. Built as
 * {@code a.join(b).where(keyA).equalTo(keyB).window(assigner).apply(function)}.
 *
 * @param <T1> the first stream's type.
 * @param <T2> the second stream's type.
 */
public final class JoinedStreams<T1, T2>
{
    private final CoGroupedStreams<T1, T2> coGroup;

    JoinedStreams(final DataStream<T1> first, final DataStream<T2> second)
    {
        this.coGroup = new CoGroupedStreams<>(first, second);
    }

    /**
     * @param keySelector the first stream's key.
     * @param <KEY>       the key type.
     * @return the join, to key the second stream.
     */
    public <KEY> Where<KEY> where(final KeySelector<T1, KEY> keySelector)
    {
        return new Where<>(coGroup.where(keySelector));
    }

    /**
     * A join with the first stream's key.
     *
     * @param <KEY> the key type.
     */
    public final class Where<KEY>
    {
        private final CoGroupedStreams<T1, T2>.Where<KEY> where;

        Where(final CoGroupedStreams<T1, T2>.Where<KEY> where)
        {
            this.where = where;
        }

        /**
         * @param keySelector the second stream's key, equal to the first's for records that
         *                    join.
         * @return the join, to window.
         */
        public EqualTo equalTo(final KeySelector<T2, KEY> keySelector)
        {
            return new EqualTo(where.equalTo(keySelector));
        }

        /** A join keyed on both sides. */
        public final class EqualTo
        {
            private final CoGroupedStreams<T1, T2>.Where<KEY>.EqualTo equalTo;

            EqualTo(final CoGroupedStreams<T1, T2>.Where<KEY>.EqualTo equalTo)
            {
                this.equalTo = equalTo;
            }

            /**
             * @param assigner the windows (tumbling, sliding, sessions).
             * @param <W>      the window type.
             * @return the windowed join, to apply.
             */
            public <W extends Window> WithWindow<T1, T2, KEY, W> window(final WindowAssigner<Object, W> assigner)
            {
                return new WithWindow<>(equalTo.window(assigner));
            }
        }
    }

    /**
     * A keyed, windowed join, being configured.
     *
     * @param <T1>  the first stream's type.
     * @param <T2>  the second stream's type.
     * @param <KEY> the key type.
     * @param <W>   the window type.
     */
    public static final class WithWindow<T1, T2, KEY, W extends Window>
    {
        private final CoGroupedStreams.WithWindow<T1, T2, KEY, W> coGroup;

        WithWindow(final CoGroupedStreams.WithWindow<T1, T2, KEY, W> coGroup)
        {
            this.coGroup = coGroup;
        }

        /**
         * @param lateness how long past a window's end records may still join it; the window
         *                 fires again with them, repeating the pairs it emitted before.
         * @return this join.
         */
        public WithWindow<T1, T2, KEY, W> allowedLateness(final Duration lateness)
        {
            coGroup.allowedLateness(Objects.requireNonNull(lateness, "lateness"));
            return this;
        }

        /**
         * @param function makes the result of each pair.
         * @param <OUT>    the output type.
         * @return the stream of results, stamped with each window's last millisecond.
         */
        public <OUT> DataStream<OUT> apply(final JoinFunction<T1, T2, OUT> function)
        {
            return coGroup.apply(new NestedLoop<>(function));
        }
    }

    /** A join as a co-group: every pair of the two groups. */
    private static final class NestedLoop<T1, T2, OUT> implements CoGroupFunction<T1, T2, OUT>
    {
        private static final long serialVersionUID = 1L;
        private final JoinFunction<T1, T2, OUT> function;

        NestedLoop(final JoinFunction<T1, T2, OUT> function)
        {
            this.function = function;
        }

        @Override
        public void coGroup(final Iterable<T1> first, final Iterable<T2> second, final Collector<OUT> out) throws Exception
        {
            for (final T1 one : first)
            {
                for (final T2 two : second)
                {
                    out.collect(function.join(one, two));
                }
            }
        }
    }
}
