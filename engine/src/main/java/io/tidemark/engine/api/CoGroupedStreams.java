package io.tidemark.engine.api;

import io.tidemark.engine.functions.AggregateFunction;
import io.tidemark.engine.functions.CoGroupFunction;
import io.tidemark.engine.functions.Collector;
import io.tidemark.engine.functions.KeySelector;
import io.tidemark.engine.functions.LongKeySelector;
import io.tidemark.engine.functions.MapFunction;
import io.tidemark.engine.functions.SerializedCopy;
import io.tidemark.engine.window.ProcessWindowFunction;
import io.tidemark.engine.window.TumblingEventTimeWindows;
import io.tidemark.engine.window.Window;
import io.tidemark.engine.window.WindowAssigner;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Two streams grouped by key and window: when a window fires, a {@link CoGroupFunction}
 * receives every record of each stream with the window's key. Both streams are windowed as
 * one (each record marked with its side), keyed by the key of its side; each side's records
 * come to the function in the order they arrived. Tumbling event-time windows (without
 * offset) gather a key's window by side as an aggregate, on the slicing operator: one slice
 * per window, so no merge reorders a side, and no state or timer per key and window. Any
 * other windows (hopping, sessions, processing time) keep each key's window in list state on
 * the general window operator, whose slices or sessions would merge a side out of order.
 * Lateness and checkpoints are those of any window; late records are dropped and counted in
 * the window operator's metrics. Emitted groups cannot be withdrawn, so a session that has
 * fired is final once the watermark reaches its last millisecond plus the allowed lateness,
 * as in Flink: a later record at its end opens a session of its own instead of merging (and
 * repeating what the session emitted). Built as
 * {@code a.coGroup(b).where(keyA).equalTo(keyB).window(assigner).apply(function)}.
 *
 * @param <T1> the first stream's type.
 * @param <T2> the second stream's type.
 */
public final class CoGroupedStreams<T1, T2>
{
    private final DataStream<T1> first;
    private final DataStream<T2> second;

    CoGroupedStreams(final DataStream<T1> first, final DataStream<T2> second)
    {
        this.first = first;
        this.second = second;
    }

    /**
     * @param keySelector the first stream's key.
     * @param <KEY>       the key type.
     * @return the co-group, to key the second stream.
     */
    public <KEY> Where<KEY> where(final KeySelector<T1, KEY> keySelector)
    {
        return new Where<>(Objects.requireNonNull(keySelector, "keySelector"));
    }

    /**
     * A co-group with the first stream's key.
     *
     * @param <KEY> the key type.
     */
    public final class Where<KEY>
    {
        private final KeySelector<T1, KEY> keySelector1;

        Where(final KeySelector<T1, KEY> keySelector1)
        {
            this.keySelector1 = keySelector1;
        }

        /**
         * @param keySelector the second stream's key, equal to the first's for records that
         *                    meet.
         * @return the co-group, to window.
         */
        public EqualTo equalTo(final KeySelector<T2, KEY> keySelector)
        {
            return new EqualTo(Objects.requireNonNull(keySelector, "keySelector"));
        }

        /** A co-group keyed on both sides. */
        public final class EqualTo
        {
            private final KeySelector<T2, KEY> keySelector2;

            EqualTo(final KeySelector<T2, KEY> keySelector2)
            {
                this.keySelector2 = keySelector2;
            }

            /**
             * @param assigner the windows, by event or processing time (tumbling, sliding,
             *                 sessions).
             * @param <W>      the window type.
             * @return the windowed co-group, to apply.
             */
            public <W extends Window> WithWindow<T1, T2, KEY, W> window(final WindowAssigner<Object, W> assigner)
            {
                return new WithWindow<>(first, second, keySelector1, keySelector2, Objects.requireNonNull(assigner, "assigner"));
            }
        }
    }

    /**
     * A keyed, windowed co-group, being configured.
     *
     * @param <T1>  the first stream's type.
     * @param <T2>  the second stream's type.
     * @param <KEY> the key type.
     * @param <W>   the window type.
     */
    public static final class WithWindow<T1, T2, KEY, W extends Window>
    {
        private final DataStream<T1> first;
        private final DataStream<T2> second;
        private final KeySelector<T1, KEY> keySelector1;
        private final KeySelector<T2, KEY> keySelector2;
        private final WindowAssigner<Object, W> assigner;
        private Duration allowedLateness = Duration.ZERO;

        WithWindow(final DataStream<T1> first, final DataStream<T2> second, final KeySelector<T1, KEY> keySelector1, final KeySelector<T2, KEY> keySelector2,
            final WindowAssigner<Object, W> assigner)
        {
            this.first = first;
            this.second = second;
            this.keySelector1 = keySelector1;
            this.keySelector2 = keySelector2;
            this.assigner = assigner;
        }

        /**
         * @param lateness how long past a window's end records may still join it; the window
         *                 fires again with them, repeating what it emitted before.
         * @return this co-group.
         */
        public WithWindow<T1, T2, KEY, W> allowedLateness(final Duration lateness)
        {
            this.allowedLateness = Objects.requireNonNull(lateness, "lateness");
            return this;
        }

        /**
         * @param function receives both groups of each key's window when it fires.
         * @param <OUT>    the output type.
         * @return the stream of its output, stamped with each window's last millisecond.
         */
        public <OUT> DataStream<OUT> apply(final CoGroupFunction<T1, T2, OUT> function)
        {
            final SerializedCopy<CoGroupFunction<T1, T2, OUT>> checked = SerializedCopy.of(function, "coGroup function");
            final DataStream<TaggedUnion<T1, T2>> tagged = first.map(new TagOne<T1, T2>()).union(second.map(new TagTwo<T1, T2>()));
            final WindowedStream<TaggedUnion<T1, T2>, KEY, W> windowed = tagged.keyBy(unionKey(keySelector1, keySelector2))
                .window(assigner)
                .allowedLateness(allowedLateness);
            if (assigner instanceof TumblingEventTimeWindows tumbling && tumbling.offset() == 0)
            {
                // One slice per window: the aggregate keeps arrival order, and the slicing
                // operator needs no state or timer per key and window.
                return windowed.aggregate(new Gather<T1, T2>(), new GroupsWindowFunction<>(checked.newCopy()));
            }
            // Merging slices (hopping) or sessions would put a side's records out of arrival order.
            return windowed.process(new CoGroupWindowFunction<>(checked.newCopy()));
        }
    }

    /** Marks a record of the first stream. */
    private static final class TagOne<T1, T2> implements MapFunction<T1, TaggedUnion<T1, T2>>
    {
        private static final long serialVersionUID = 1L;

        @Override
        public TaggedUnion<T1, T2> map(final T1 value)
        {
            return TaggedUnion.one(value);
        }
    }

    /** Marks a record of the second stream. */
    private static final class TagTwo<T1, T2> implements MapFunction<T2, TaggedUnion<T1, T2>>
    {
        private static final long serialVersionUID = 1L;

        @Override
        public TaggedUnion<T1, T2> map(final T2 value)
        {
            return TaggedUnion.two(value);
        }
    }

    /**
     * @return the key of a marked record; a primitive {@code long} if both sides' keys are
     *         ({@link LongKeySelector}), so the union is keyed by value.
     */
    @SuppressWarnings("unchecked")
    private static <T1, T2, KEY> KeySelector<TaggedUnion<T1, T2>, KEY> unionKey(final KeySelector<T1, KEY> keySelector1, final KeySelector<T2, KEY> keySelector2)
    {
        if (keySelector1 instanceof LongKeySelector<?> long1 && keySelector2 instanceof LongKeySelector<?> long2)
        {
            return (KeySelector<TaggedUnion<T1, T2>, KEY>)(KeySelector<?, ?>)new LongUnionKey<>((LongKeySelector<T1>)long1, (LongKeySelector<T2>)long2);
        }
        return new UnionKey<>(keySelector1, keySelector2);
    }

    /** The {@code long} key of a marked record: its side's key. */
    private record LongUnionKey<T1, T2>(LongKeySelector<T1> keySelector1, LongKeySelector<T2> keySelector2) implements LongKeySelector<TaggedUnion<T1, T2>>
    {
        @Override
        public long getLongKey(final TaggedUnion<T1, T2> value) throws Exception
        {
            return value.isOne() ? keySelector1.getLongKey(value.getOne()) : keySelector2.getLongKey(value.getTwo());
        }
    }

    /** The key of a marked record: its side's key. */
    private record UnionKey<T1, T2, KEY>(KeySelector<T1, KEY> keySelector1, KeySelector<T2, KEY> keySelector2) implements KeySelector<TaggedUnion<T1, T2>, KEY>
    {
        @Override
        public KEY getKey(final TaggedUnion<T1, T2> value) throws Exception
        {
            return value.isOne() ? keySelector1.getKey(value.getOne()) : keySelector2.getKey(value.getTwo());
        }
    }

    /** A key's records of one tumbling window, by side, in the order they came. */
    private static final class Groups<T1, T2> implements Serializable
    {
        private static final long serialVersionUID = 1L;
        private final ArrayList<T1> ones = new ArrayList<>();
        private final ArrayList<T2> twos = new ArrayList<>();
    }

    /**
     * Gathers each side's records into the key's {@link Groups}. A window's result is a copy:
     * the accumulator stays in its slice for late records, and the co-group function may keep
     * or change the lists it is given.
     */
    private static final class Gather<T1, T2> implements AggregateFunction<TaggedUnion<T1, T2>, Groups<T1, T2>, Groups<T1, T2>>
    {
        private static final long serialVersionUID = 1L;

        @Override
        public Groups<T1, T2> createAccumulator()
        {
            return new Groups<>();
        }

        @Override
        public Groups<T1, T2> add(final TaggedUnion<T1, T2> value, final Groups<T1, T2> groups)
        {
            if (value.isOne())
            {
                groups.ones.add(value.getOne());
            }
            else
            {
                groups.twos.add(value.getTwo());
            }
            return groups;
        }

        @Override
        public Groups<T1, T2> getResult(final Groups<T1, T2> groups)
        {
            return merge(new Groups<>(), groups);
        }

        @Override
        public Groups<T1, T2> merge(final Groups<T1, T2> into, final Groups<T1, T2> from)
        {
            into.ones.addAll(from.ones);
            into.twos.addAll(from.twos);
            return into;
        }
    }

    /** Hands a fired tumbling window's two groups to the co-group function. */
    private static final class GroupsWindowFunction<T1, T2, KEY, W extends Window, OUT> extends ProcessWindowFunction<Groups<T1, T2>, OUT, KEY, W>
    {
        private static final long serialVersionUID = 1L;
        private final CoGroupFunction<T1, T2, OUT> function;

        GroupsWindowFunction(final CoGroupFunction<T1, T2, OUT> function)
        {
            this.function = function;
        }

        @Override
        public void process(final KEY key, final Context<W> context, final Iterable<Groups<T1, T2>> elements, final Collector<OUT> out) throws Exception
        {
            final Groups<T1, T2> groups = elements.iterator().next();
            function.coGroup(groups.ones, groups.twos, out);
        }
    }

    /** Splits a fired window's contents (list state, in arrival order) by side and hands both groups to the co-group function. */
    private static final class CoGroupWindowFunction<T1, T2, KEY, W extends Window, OUT> extends ProcessWindowFunction<TaggedUnion<T1, T2>, OUT, KEY, W>
    {
        private static final long serialVersionUID = 1L;
        private final CoGroupFunction<T1, T2, OUT> function;
        private transient List<T1> ones;
        private transient List<T2> twos;

        CoGroupWindowFunction(final CoGroupFunction<T1, T2, OUT> function)
        {
            this.function = function;
        }

        @Override
        public void process(final KEY key, final Context<W> context, final Iterable<TaggedUnion<T1, T2>> elements, final Collector<OUT> out) throws Exception
        {
            if (ones == null)
            {
                ones = new ArrayList<>();
                twos = new ArrayList<>();
            }
            ones.clear();
            twos.clear();
            for (final TaggedUnion<T1, T2> element : elements)
            {
                if (element.isOne())
                {
                    ones.add(element.getOne());
                }
                else
                {
                    twos.add(element.getTwo());
                }
            }
            function.coGroup(ones, twos, out);
        }

        /** Emitted pairs cannot be withdrawn: a fired session is final, or a merge would repeat them. */
        @Override
        public boolean canRetract()
        {
            return false;
        }
    }
}
