package io.tidemark.engine.api;

import io.tidemark.engine.functions.CoFlatMapFunction;
import io.tidemark.engine.functions.CoMapFunction;
import io.tidemark.engine.functions.CoProcessFunction;
import io.tidemark.engine.functions.Collector;
import io.tidemark.engine.functions.KeySelector;
import io.tidemark.engine.functions.KeyedCoProcessFunction;
import io.tidemark.engine.functions.LongKeySelector;
import io.tidemark.engine.functions.SerializedCopy;
import io.tidemark.engine.graph.StreamNode;
import io.tidemark.engine.operator.CoProcessOperator;
import io.tidemark.engine.operator.KeyedCoProcessOperator;
import io.tidemark.engine.operator.TwoInputOperator;
import java.util.List;
import java.util.function.Supplier;

/**
 * Two streams, possibly of different types, connected for one operator that sees both: its
 * task reads both, and its watermark is the least of theirs (an input idle as a whole holds
 * the other back no more than an idle channel does). Keyed alike ({@link #keyBy}, or two
 * keyed streams connected), both inputs share keyed state and timers.
 *
 * @param <IN1> the first stream's type.
 * @param <IN2> the second stream's type.
 */
public final class ConnectedStreams<IN1, IN2>
{
    private final StreamExecutionEnvironment env;
    private final DataStream<IN1> first;
    private final DataStream<IN2> second;

    ConnectedStreams(final StreamExecutionEnvironment env, final DataStream<IN1> first, final DataStream<IN2> second)
    {
        this.env = env;
        this.first = first;
        this.second = second;
    }

    /**
     * @return the first stream.
     */
    public DataStream<IN1> getFirstInput()
    {
        return first;
    }

    /**
     * @return the second stream.
     */
    public DataStream<IN2> getSecondInput()
    {
        return second;
    }

    /**
     * Partitions both streams by key, so that records of either input with equal keys meet in
     * the same subtask, with the same keyed state and timers.
     *
     * @param keySelector1 the first stream's key.
     * @param keySelector2 the second stream's key, of the same type.
     * @param <K>          the key type.
     * @return the connected keyed streams.
     */
    public <K> ConnectedStreams<IN1, IN2> keyBy(final KeySelector<IN1, K> keySelector1, final KeySelector<IN2, K> keySelector2)
    {
        return new ConnectedStreams<>(env, first.keyBy(keySelector1), second.keyBy(keySelector2));
    }

    /**
     * Partitions both streams by a primitive {@code long} key, as {@link #keyBy} does with the
     * keys boxed: the same subtasks, the same {@code Long} keys in state, timers and
     * {@code getCurrentKey}, but the key goes by value from each producer to the keyed state
     * (see {@link LongKeySelector}), with no {@code Long} made per record.
     *
     * @param keySelector1 the first stream's key.
     * @param keySelector2 the second stream's key.
     * @return the connected keyed streams.
     */
    public ConnectedStreams<IN1, IN2> keyByLong(final LongKeySelector<IN1> keySelector1, final LongKeySelector<IN2> keySelector2)
    {
        return keyBy(keySelector1, keySelector2);
    }

    /**
     * @return whether both streams are keyed.
     */
    public boolean isKeyed()
    {
        return first instanceof KeyedStream && second instanceof KeyedStream;
    }

    /**
     * @param function maps each record of either input.
     * @param <R>      the output type.
     * @return the stream of results.
     */
    public <R> DataStream<R> map(final CoMapFunction<IN1, IN2, R> function)
    {
        return flatMap(new CoMapAsFlatMap<>(function));
    }

    /**
     * @param function turns each record of either input into any number of records.
     * @param <R>      the output type.
     * @return the stream of results.
     */
    public <R> DataStream<R> flatMap(final CoFlatMapFunction<IN1, IN2, R> function)
    {
        final SerializedCopy<CoFlatMapFunction<IN1, IN2, R>> copies = SerializedCopy.of(function, "coFlatMap function");
        return transform("coFlatMap", () -> new CoProcessOperator<>(new CoFlatMapAsProcess<>(copies.newCopy())));
    }

    /**
     * @param function processes each record of either input, with timestamps and side outputs.
     * @param <R>      the output type.
     * @return the stream of its output.
     */
    public <R> DataStream<R> process(final CoProcessFunction<IN1, IN2, R> function)
    {
        final SerializedCopy<CoProcessFunction<IN1, IN2, R>> copies = SerializedCopy.of(function, "co-process function");
        return transform("coProcess", () -> new CoProcessOperator<>(copies.newCopy()));
    }

    /**
     * @param function processes each record of either input with its key's state and timers.
     * @param <K>      the key type.
     * @param <R>      the output type.
     * @return the stream of its output.
     * @throws IllegalStateException if the streams are not keyed.
     */
    public <K, R> DataStream<R> process(final KeyedCoProcessFunction<K, IN1, IN2, R> function)
    {
        if (!isKeyed())
        {
            throw new IllegalStateException("a KeyedCoProcessFunction needs keyed streams: connect two keyed streams, or keyBy the connected ones");
        }
        final SerializedCopy<KeyedCoProcessFunction<K, IN1, IN2, R>> copies = SerializedCopy.of(function, "keyed co-process function");
        return transform("keyedCoProcess", () -> new KeyedCoProcessOperator<>(copies.newCopy()));
    }

    /**
     * Adds a two-input operator of your own, the first stream feeding its first input.
     *
     * @param name    the operator's name.
     * @param factory makes one operator per subtask.
     * @param <R>     the output type.
     * @return the stream of its main output.
     */
    public <R> DataStream<R> transform(final String name, final Supplier<? extends TwoInputOperator<IN1, IN2, R>> factory)
    {
        final StreamNode added = env.graph().addTwoInputOperator(name, env.getParallelism(), factory);
        added.name(name + "-" + added.id());
        first.feed(added, 1);
        second.feed(added, 2);
        return new DataStream<>(env, List.of(DataStream.Upstream.mainOf(added)), added);
    }

    /** A co-map function as a co-flatMap of one result per record. */
    private static final class CoMapAsFlatMap<IN1, IN2, R> implements CoFlatMapFunction<IN1, IN2, R>
    {
        private static final long serialVersionUID = 1L;
        private final CoMapFunction<IN1, IN2, R> function;

        CoMapAsFlatMap(final CoMapFunction<IN1, IN2, R> function)
        {
            this.function = function;
        }

        @Override
        public void flatMap1(final IN1 value, final Collector<R> out) throws Exception
        {
            out.collect(function.map1(value));
        }

        @Override
        public void flatMap2(final IN2 value, final Collector<R> out) throws Exception
        {
            out.collect(function.map2(value));
        }
    }

    /** A co-flatMap function run by the co-process operator. */
    private static final class CoFlatMapAsProcess<IN1, IN2, R> extends CoProcessFunction<IN1, IN2, R>
    {
        private static final long serialVersionUID = 1L;
        private final CoFlatMapFunction<IN1, IN2, R> function;

        CoFlatMapAsProcess(final CoFlatMapFunction<IN1, IN2, R> function)
        {
            this.function = function;
        }

        @Override
        public void processElement1(final IN1 value, final Context ctx, final Collector<R> out) throws Exception
        {
            function.flatMap1(value, out);
        }

        @Override
        public void processElement2(final IN2 value, final Context ctx, final Collector<R> out) throws Exception
        {
            function.flatMap2(value, out);
        }
    }
}
