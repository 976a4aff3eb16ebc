package io.tidemark.engine.api;

import io.tidemark.engine.functions.KeySelector;
import io.tidemark.engine.functions.KeyedProcessFunction;
import io.tidemark.engine.functions.SerializedCopy;
import io.tidemark.engine.operator.KeyedProcessOperator;
import io.tidemark.engine.window.Window;
import io.tidemark.engine.window.WindowAssigner;
import java.util.List;

/**
 * A stream partitioned by key: operators applied to it have keyed state and timers per key.
 *
 * @param <T> the record type.
 * @param <K> the key type.
 */
public final class KeyedStream<T, K> extends DataStream<T>
{
    private final KeySelector<T, K> keySelector;

    KeyedStream(final StreamExecutionEnvironment env, final List<Upstream> upstreams, final KeySelector<T, K> keySelector)
    {
        super(env, upstreams, null);
        this.keySelector = keySelector;
    }

    /**
     * @return the key selector.
     */
    public KeySelector<T, K> getKeySelector()
    {
        return keySelector;
    }

    /**
     * @param function processes each record with its key's state and timers.
     * @param <R>      the output type.
     * @return the stream of its output.
     */
    public <R> DataStream<R> process(final KeyedProcessFunction<K, T, R> function)
    {
        final SerializedCopy<KeyedProcessFunction<K, T, R>> copies = SerializedCopy.of(function, "keyed process function");
        return transform("process", () -> new KeyedProcessOperator<>(copies.newCopy()));
    }

    /**
     * Joins this stream (the left side) with another keyed alike (the right side) by an
     * interval of event time: pairs {@code (a, b)} of the same key with
     * {@code a.ts + lower <= b.ts <= a.ts + upper}, set by {@link IntervalJoin#between}.
     *
     * @param other the right side, keyed by a key of the same type.
     * @param <R>   its record type.
     * @return the join, to bound.
     */
    public <R> IntervalJoin<T, R, K> intervalJoin(final KeyedStream<R, K> other)
    {
        return new IntervalJoin<>(this, other);
    }

    /**
     * @param assigner which windows each record belongs to.
     * @param <W>      the window type.
     * @return the windowed stream, to configure and then aggregate.
     */
    public <W extends Window> WindowedStream<T, K, W> window(final WindowAssigner<? super T, W> assigner)
    {
        return new WindowedStream<>(this, assigner);
    }
}
