package io.tidemark.engine.api;

import io.tidemark.engine.functions.FilterFunction;
import io.tidemark.engine.functions.FlatMapFunction;
import io.tidemark.engine.functions.KeySelector;
import io.tidemark.engine.functions.LongKeySelector;
import io.tidemark.engine.functions.MapFunction;
import io.tidemark.engine.functions.OutputTag;
import io.tidemark.engine.functions.SerializedCopy;
import io.tidemark.engine.graph.Partitioning;
import io.tidemark.engine.graph.StreamNode;
import io.tidemark.engine.operator.FilterOperator;
import io.tidemark.engine.operator.FlatMapOperator;
import io.tidemark.engine.operator.MapOperator;
import io.tidemark.engine.operator.OneInputOperator;
import io.tidemark.engine.operator.SinkOperator;
import io.tidemark.engine.operator.TimestampsAndWatermarksOperator;
import io.tidemark.engine.sink.PrintSink;
import io.tidemark.engine.sink.Sink;
import io.tidemark.engine.state.MapStateDescriptor;
import io.tidemark.engine.time.WatermarkStrategy;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A stream of records of one type, as a step of a job definition: each transformation adds
 * an operator and returns the stream of its output. Nothing runs until the environment
 * executes the job.
 *
 * <p>User functions are frozen by serialization where they are passed in, and every parallel
 * subtask runs its own copy ({@link SerializedCopy}), as in Flink: a function may keep
 * per-subtask fields, and must be {@link java.io.Serializable} with all it captures.
 *
 * @param <T> the record type.
 */
public class DataStream<T>
{
    /**
     * Where a stream's records come from: a node's main or side output, and how they are
     * spread over the next operator's subtasks.
     *
     * @param node         the producing node.
     * @param tag          the side output, or {@code null} for the main output.
     * @param partitioning how records spread.
     */
    record Upstream(StreamNode node, OutputTag<?> tag, Partitioning partitioning)
    {
        static Upstream mainOf(final StreamNode node)
        {
            return new Upstream(node, null, Partitioning.forward());
        }

        Upstream with(final Partitioning other)
        {
            return new Upstream(node, tag, other);
        }
    }

    final StreamExecutionEnvironment env;
    final List<Upstream> upstreams;
    private final StreamNode node;

    DataStream(final StreamExecutionEnvironment env, final List<Upstream> upstreams, final StreamNode node)
    {
        this.env = env;
        this.upstreams = List.copyOf(upstreams);
        this.node = node;
    }

    /**
     * @param function transforms each record.
     * @param <R>      the output type.
     * @return the stream of results.
     */
    public <R> DataStream<R> map(final MapFunction<T, R> function)
    {
        final SerializedCopy<MapFunction<T, R>> copies = SerializedCopy.of(function, "map function");
        return transform("map", () -> new MapOperator<>(copies.newCopy()));
    }

    /**
     * @param function keeps the records for which it returns {@code true}.
     * @return the stream of kept records.
     */
    public DataStream<T> filter(final FilterFunction<T> function)
    {
        final SerializedCopy<FilterFunction<T>> copies = SerializedCopy.of(function, "filter function");
        return transform("filter", () -> new FilterOperator<>(copies.newCopy()));
    }

    /**
     * @param function turns each record into any number of records.
     * @param <R>      the output type.
     * @return the stream of results.
     */
    public <R> DataStream<R> flatMap(final FlatMapFunction<T, R> function)
    {
        final SerializedCopy<FlatMapFunction<T, R>> copies = SerializedCopy.of(function, "flatMap function");
        return transform("flatMap", () -> new FlatMapOperator<>(copies.newCopy()));
    }

    /**
     * Partitions the stream by key: every record of a key goes to the same subtask, where
     * keyed state and timers of that key live.
     *
     * @param keySelector extracts the key.
     * @param <K>         the key type.
     * @return the keyed stream.
     */
    public <K> KeyedStream<T, K> keyBy(final KeySelector<T, K> keySelector)
    {
        final Partitioning hash = Partitioning.hash(keySelector);
        return new KeyedStream<>(env, upstreams.stream().map(u -> u.with(hash)).toList(), keySelector);
    }

    /**
     * Partitions the stream by a primitive {@code long} key, as {@link #keyBy} does with the
     * key boxed: the same subtask for every key, the same {@code Long} keys in state and
     * results, but no {@code Long} made per record on the way to a window operator that
     * indexes keys by value (see {@link LongKeySelector}).
     *
     * @param keySelector extracts the key.
     * @return the keyed stream.
     */
    public KeyedStream<T, Long> keyByLong(final LongKeySelector<T> keySelector)
    {
        return keyBy(keySelector);
    }

    /**
     * Spreads records round robin over the next operator's subtasks, to even out load.
     *
     * @return the rebalanced stream.
     */
    public DataStream<T> rebalance()
    {
        return new DataStream<>(env, upstreams.stream().map(u -> u.with(Partitioning.rebalance())).toList(), null);
    }

    /**
     * Merges streams of the same type; the merged stream's watermark is the minimum of
     * theirs.
     *
     * @param others the other streams.
     * @return the union.
     */
    @SafeVarargs
    public final DataStream<T> union(final DataStream<T>... others)
    {
        final List<Upstream> all = new ArrayList<>(upstreams);
        for (final DataStream<T> other : others)
        {
            all.addAll(other.upstreams);
        }
        return new DataStream<>(env, all, null);
    }

    /**
     * Assigns timestamps and generates watermarks here, one generator per subtask. Prefer
     * the strategy of {@code fromSource}, which generates watermarks per split.
     *
     * @param strategy the strategy.
     * @return the stream with timestamps and watermarks.
     */
    public DataStream<T> assignTimestampsAndWatermarks(final WatermarkStrategy<T> strategy)
    {
        final long interval = env.config().autoWatermarkIntervalMillis();
        return transform("timestamps", () -> new TimestampsAndWatermarksOperator<>(strategy, interval));
    }

    /**
     * Adds an operator of your own.
     *
     * @param name    the operator's name.
     * @param factory makes one operator per subtask.
     * @param <R>     the output type.
     * @return the stream of its main output.
     */
    public <R> DataStream<R> transform(final String name, final Supplier<? extends OneInputOperator<T, R>> factory)
    {
        return attach(env.graph().addOperator(name, env.getParallelism(), factory), name);
    }

    /** Names the node after its kind and id, and connects this stream's upstreams to it. */
    private <R> DataStream<R> attach(final StreamNode added, final String name)
    {
        added.name(name + "-" + added.id());
        feed(added, 1);
        return new DataStream<>(env, List.of(Upstream.mainOf(added)), added);
    }

    /** Connects this stream's upstreams to one input of a node. */
    void feed(final StreamNode consumer, final int input)
    {
        for (final Upstream upstream : upstreams)
        {
            env.graph().addEdge(upstream.node(), consumer, upstream.partitioning(), upstream.tag(), input);
        }
    }

    /**
     * Connects two streams, possibly of different types, for an operator that sees both: a
     * {@link io.tidemark.engine.functions.CoMapFunction}, a
     * {@link io.tidemark.engine.functions.CoProcessFunction}, or, keyed alike with
     * {@link ConnectedStreams#keyBy}, a {@link io.tidemark.engine.functions.KeyedCoProcessFunction}
     * whose inputs share keyed state and timers. Its watermark is the least of the two streams'.
     *
     * @param other the second stream.
     * @param <R>   its record type.
     * @return the connected streams.
     */
    public <R> ConnectedStreams<T, R> connect(final DataStream<R> other)
    {
        return new ConnectedStreams<>(env, this, other);
    }

    /**
     * Sends every record of this stream to every subtask of the operator it is connected to,
     * as a small side input (rules, a table) kept in broadcast state: connect another stream
     * to it with {@link #connect(BroadcastStream)}.
     *
     * @param descriptors the broadcast states the receiving function may keep, by name.
     * @return the broadcast stream.
     */
    public BroadcastStream<T> broadcast(final MapStateDescriptor<?, ?>... descriptors)
    {
        final DataStream<T> everywhere = new DataStream<>(env, upstreams.stream().map(u -> u.with(Partitioning.broadcast())).toList(), null);
        return new BroadcastStream<>(everywhere, List.of(descriptors));
    }

    /**
     * Connects this stream with a broadcast stream, for a
     * {@link io.tidemark.engine.functions.BroadcastProcessFunction} (or, with this stream keyed,
     * a {@link io.tidemark.engine.functions.KeyedBroadcastProcessFunction}) that reads the
     * broadcast state for each record of this stream.
     *
     * @param broadcast the broadcast stream.
     * @param <R>       its record type.
     * @return the connected streams.
     */
    public <R> BroadcastConnectedStream<T, R> connect(final BroadcastStream<R> broadcast)
    {
        return new BroadcastConnectedStream<>(this, broadcast);
    }

    /**
     * Joins this stream with another in windows: pairs of records with the same key in the
     * same window, emitted when the window fires.
     *
     * @param other the second stream.
     * @param <R>   its record type.
     * @return the join, to key and window.
     */
    public <R> JoinedStreams<T, R> join(final DataStream<R> other)
    {
        return new JoinedStreams<>(this, other);
    }

    /**
     * Groups this stream and another by key and window: both groups of a key's window, whole,
     * when it fires.
     *
     * @param other the second stream.
     * @param <R>   its record type.
     * @return the co-group, to key and window.
     */
    public <R> CoGroupedStreams<T, R> coGroup(final DataStream<R> other)
    {
        return new CoGroupedStreams<>(this, other);
    }

    /**
     * @param sink where the records go.
     * @return the sink, to name it or set its parallelism.
     */
    public DataStreamSink sinkTo(final Sink<T> sink)
    {
        Objects.requireNonNull(sink, "sink");
        return new DataStreamSink(attach(env.graph().addSink("sink", env.getParallelism(), () -> new SinkOperator<>(sink)), "sink"));
    }

    /**
     * @return a sink that prints every record to standard output.
     */
    public DataStreamSink print()
    {
        return sinkTo(new PrintSink<>());
    }

    /**
     * @param tag a side output of the operator that produced this stream.
     * @param <X> its record type.
     * @return the stream of that side output.
     */
    public <X> DataStream<X> getSideOutput(final OutputTag<X> tag)
    {
        return new DataStream<>(env, List.of(new Upstream(producer("getSideOutput"), tag, Partitioning.forward())), null);
    }

    /**
     * @param name the name of the operator that produced this stream, as metrics show it.
     * @return this stream.
     */
    public DataStream<T> name(final String name)
    {
        producer("name").name(name);
        return this;
    }

    /**
     * @param parallelism the parallelism of the operator that produced this stream.
     * @return this stream.
     */
    public DataStream<T> setParallelism(final int parallelism)
    {
        producer("setParallelism").parallelism(parallelism);
        return this;
    }

    private StreamNode producer(final String method)
    {
        if (node == null)
        {
            throw new IllegalStateException(method + " needs the stream of one operator, not of a union, keyBy or rebalance");
        }
        return node;
    }

    StreamNode node()
    {
        return node;
    }
}
