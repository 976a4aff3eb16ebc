package io.tidemark.engine.api;

import io.tidemark.engine.functions.AggregateFunction;
import io.tidemark.engine.functions.KeySelector;
import io.tidemark.engine.functions.OutputTag;
import io.tidemark.engine.functions.ReduceFunction;
import io.tidemark.engine.functions.SerializedCopy;
import io.tidemark.engine.graph.Partitioning;
import io.tidemark.engine.graph.StreamNode;
import io.tidemark.engine.operator.OneInputOperator;
import io.tidemark.engine.window.LateDataPolicy;
import io.tidemark.engine.window.PartialAggregate;
import io.tidemark.engine.window.ProcessWindowFunction;
import io.tidemark.engine.window.SlicePreAggregator;
import io.tidemark.engine.window.Trigger;
import io.tidemark.engine.window.Window;
import io.tidemark.engine.window.WindowAssigner;
import io.tidemark.engine.window.WindowOperatorBuilder;
import io.tidemark.engine.window.WindowResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A keyed stream cut into windows, being configured: trigger, allowed lateness and what to
 * do with late data, then how to compute each window's result.
 *
 * @param <T> the record type.
 * @param <K> the key type.
 * @param <W> the window type.
 */
public final class WindowedStream<T, K, W extends Window>
{
    private final KeyedStream<T, K> input;
    private final WindowAssigner<? super T, W> assigner;
    private Trigger<? super T, ? super W> trigger;
    private Duration allowedLateness = Duration.ZERO;
    private LateDataPolicy latePolicy = LateDataPolicy.drop();
    private boolean preAggregation;

    WindowedStream(final KeyedStream<T, K> input, final WindowAssigner<? super T, W> assigner)
    {
        this.input = input;
        this.assigner = Objects.requireNonNull(assigner, "assigner");
    }

    /**
     * @param trigger when windows emit, instead of the assigner's default.
     * @return this windowed stream.
     */
    public WindowedStream<T, K, W> trigger(final Trigger<? super T, ? super W> trigger)
    {
        this.trigger = Objects.requireNonNull(trigger, "trigger");
        return this;
    }

    /**
     * @param lateness how long past a window's end records may still join it.
     * @return this windowed stream.
     */
    public WindowedStream<T, K, W> allowedLateness(final Duration lateness)
    {
        this.allowedLateness = Objects.requireNonNull(lateness, "lateness");
        return this;
    }

    /**
     * Sends records too late for their window to a side output; read it with
     * {@code getSideOutput(tag)} on the result stream.
     *
     * @param tag the side output.
     * @return this windowed stream.
     */
    public WindowedStream<T, K, W> sideOutputLateData(final OutputTag<T> tag)
    {
        return lateDataPolicy(LateDataPolicy.sideOutput(tag));
    }

    /**
     * @param policy what happens to records too late for their window (default: drop and
     *               count).
     * @return this windowed stream.
     */
    public WindowedStream<T, K, W> lateDataPolicy(final LateDataPolicy policy)
    {
        this.latePolicy = Objects.requireNonNull(policy, "policy");
        return this;
    }

    /**
     * Whether {@link #aggregate} may aggregate each key's records of a slice before the key
     * exchange, in the producer's task, and send one partial aggregate per key and slice
     * across it instead of every record (see {@link SlicePreAggregator}); off unless set, as
     * Flink's local-global aggregation is. It applies where
     * {@link WindowOperatorBuilder#canPreAggregate} says, and changes no result; but the window
     * operator then counts partial aggregates, not records, as its input, and a record reaches
     * the window only when its slice is sent on (at the watermark that passes the slice's end,
     * a checkpoint barrier, or the end of input).
     *
     * @param enabled whether to pre-aggregate where it applies.
     * @return this windowed stream.
     */
    public WindowedStream<T, K, W> preAggregation(final boolean enabled)
    {
        this.preAggregation = enabled;
        return this;
    }

    /**
     * Aggregates each window incrementally. Tumbling and hopping event-time windows with the
     * default trigger (any allowed lateness and late-data policy) are aggregated per slice (one state update per
     * record, however many windows overlap; see
     * {@link io.tidemark.engine.window.SlicingWindowOperator}), which needs an aggregate
     * function whose {@code merge} leaves its second argument alone; event-time sessions
     * under the same conditions by {@link io.tidemark.engine.window.SessionWindowOperator}.
     * Both keep the accumulator of a {@link io.tidemark.engine.functions.LongAggregateFunction}
     * (count, sum) as a plain {@code long} in their arrays, and a {@code Long} key by value.
     * When asked ({@link #preAggregation}), tumbling and hopping event-time windows are also
     * pre-aggregated before the key exchange, with any aggregate function, unless late records
     * go to a side output.
     *
     * @param function aggregates each window incrementally.
     * @param <ACC>    the accumulator type.
     * @param <R>      the result type.
     * @return the stream of window results.
     */
    public <ACC, R> DataStream<WindowResult<K, R>> aggregate(final AggregateFunction<T, ACC, R> function)
    {
        final SerializedCopy<AggregateFunction<T, ACC, R>> copies = SerializedCopy.of(function, "aggregate function");
        if (preAggregates())
        {
            return preAggregated(copies, (b, merging) -> b.aggregateInSlices(merging));
        }
        return build(b -> b.aggregateWithBestOperator(copies.newCopy()));
    }

    /**
     * @param function       aggregates each window incrementally.
     * @param windowFunction turns the aggregate and the window into output.
     * @param <ACC>          the accumulator type.
     * @param <R>            the aggregate's type.
     * @param <OUT>          the output type.
     * @return the stream of outputs.
     */
    public <ACC, R, OUT> DataStream<OUT> aggregate(final AggregateFunction<T, ACC, R> function, final ProcessWindowFunction<R, OUT, K, W> windowFunction)
    {
        final SerializedCopy<AggregateFunction<T, ACC, R>> copies = SerializedCopy.of(function, "aggregate function");
        final SerializedCopy<ProcessWindowFunction<R, OUT, K, W>> windowCopies = SerializedCopy.of(windowFunction, "process window function");
        if (preAggregates())
        {
            return preAggregated(copies, (b, merging) -> b.aggregateInSlices(merging, windowCopies.newCopy()));
        }
        return build(b -> b.aggregateWithBestOperator(copies.newCopy(), windowCopies.newCopy()));
    }

    /**
     * @param function reduces each window incrementally.
     * @return the stream of window results.
     */
    public DataStream<WindowResult<K, T>> reduce(final ReduceFunction<T> function)
    {
        final SerializedCopy<ReduceFunction<T>> copies = SerializedCopy.of(function, "reduce function");
        return build(b -> b.reduce(copies.newCopy()));
    }

    /**
     * @param function       reduces each window incrementally.
     * @param windowFunction turns the reduced value and the window into output.
     * @param <OUT>          the output type.
     * @return the stream of outputs.
     */
    public <OUT> DataStream<OUT> reduce(final ReduceFunction<T> function, final ProcessWindowFunction<T, OUT, K, W> windowFunction)
    {
        final SerializedCopy<ReduceFunction<T>> copies = SerializedCopy.of(function, "reduce function");
        final SerializedCopy<ProcessWindowFunction<T, OUT, K, W>> windowCopies = SerializedCopy.of(windowFunction, "process window function");
        return build(b -> b.reduce(copies.newCopy(), windowCopies.newCopy()));
    }

    /**
     * @param windowFunction receives every record of a window when it fires.
     * @param <OUT>          the output type.
     * @return the stream of outputs.
     */
    public <OUT> DataStream<OUT> process(final ProcessWindowFunction<T, OUT, K, W> windowFunction)
    {
        final SerializedCopy<ProcessWindowFunction<T, OUT, K, W>> windowCopies = SerializedCopy.of(windowFunction, "process window function");
        return build(b -> b.process(windowCopies.newCopy()));
    }

    private <OUT> DataStream<OUT> build(final Function<WindowOperatorBuilder<K, T, W>, OneInputOperator<T, OUT>> terminal)
    {
        final Supplier<WindowOperatorBuilder<K, T, W>> builders = builders();
        return windowOn(input, () -> terminal.apply(builders.get()));
    }

    private static <IN, OUT> DataStream<OUT> windowOn(final KeyedStream<IN, ?> keyed, final Supplier<OneInputOperator<IN, OUT>> factory)
    {
        // Build one now so that a bad combination fails where it is written, not at execute.
        factory.get();
        return keyed.transform("window", factory);
    }

    /**
     * @return a maker of builders configured as this stream is now, for records of type
     * {@code IN}: this stream's or the partial aggregates of them.
     */
    @SuppressWarnings("unchecked")
    private <IN> Supplier<WindowOperatorBuilder<K, IN, W>> builders()
    {
        // The assigners a builder accepts for partial aggregates take any record.
        final WindowAssigner<? super IN, W> windows = (WindowAssigner<? super IN, W>)assigner;
        final Trigger<? super IN, ? super W> chosenTrigger = (Trigger<? super IN, ? super W>)trigger;
        final Duration lateness = allowedLateness;
        final LateDataPolicy policy = latePolicy;
        return () ->
        {
            final WindowOperatorBuilder<K, IN, W> builder = new WindowOperatorBuilder<K, IN, W>(windows).allowedLateness(lateness).lateDataPolicy(policy);
            if (chosenTrigger != null)
            {
                builder.trigger(chosenTrigger);
            }
            return builder;
        };
    }

    private boolean preAggregates()
    {
        return preAggregation && this.<T>builders().get().canPreAggregate();
    }

    /**
     * Splits the aggregation in two halves around the key exchange: a {@link SlicePreAggregator}
     * after each input, at its parallelism (so chained to it), and the slicing operator, which
     * merges the partial aggregates that cross the exchange, keyed as the records were.
     */
    private <R, OUT> DataStream<OUT> preAggregated(final SerializedCopy<? extends AggregateFunction<T, ?, R>> copies,
        final BiFunction<WindowOperatorBuilder<K, PartialAggregate, W>, AggregateFunction<PartialAggregate, ?, R>, OneInputOperator<PartialAggregate, OUT>> terminal)
    {
        final Supplier<WindowOperatorBuilder<K, T, W>> local = builders();
        final Supplier<WindowOperatorBuilder<K, PartialAggregate, W>> global = builders();
        final KeySelector<T, K> keys = input.getKeySelector();
        final KeySelector<PartialAggregate, K> partialKeys = PartialAggregate.keysLike(keys);
        final Partitioning exchange = Partitioning.hash(partialKeys);
        final List<DataStream.Upstream> partials = new ArrayList<>();
        for (final DataStream.Upstream upstream : input.upstreams)
        {
            final StreamNode node = input.env.graph().addOperator("pre-aggregate", upstream.node().parallelism(),
                () -> local.get().preAggregator(copies.newCopy(), keys));
            node.name("pre-aggregate-" + node.id());
            input.env.graph().addEdge(upstream.node(), node, Partitioning.forward(), upstream.tag(), 1);
            partials.add(DataStream.Upstream.mainOf(node).with(exchange));
        }
        final KeyedStream<PartialAggregate, K> keyed = new KeyedStream<>(input.env, partials, partialKeys);
        return windowOn(keyed, () -> terminal.apply(global.get(), PartialAggregate.merging(copies.newCopy())));
    }
}
