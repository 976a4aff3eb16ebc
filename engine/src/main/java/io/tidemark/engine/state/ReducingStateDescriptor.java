package io.tidemark.engine.state;

import io.tidemark.engine.functions.ReduceFunction;

/**
 * Describes a {@link ReducingState}.
 *
 * @param <T> the value type.
 */
public final class ReducingStateDescriptor<T> extends StateDescriptor<ReducingState<T>>
{
    private final ReduceFunction<T> reduceFunction;
    private final TypeSerializer<T> serializer;

    /**
     * @param name           the state's name; values are snapshotted with {@link Serializers#any()}.
     * @param reduceFunction combines the value so far with each added value.
     */
    public ReducingStateDescriptor(final String name, final ReduceFunction<T> reduceFunction)
    {
        this(name, reduceFunction, Serializers.any());
    }

    /**
     * @param name           the state's name.
     * @param reduceFunction combines the value so far with each added value.
     * @param serializer     how to snapshot a value.
     */
    public ReducingStateDescriptor(final String name, final ReduceFunction<T> reduceFunction, final TypeSerializer<T> serializer)
    {
        super(name);
        this.reduceFunction = reduceFunction;
        this.serializer = serializer;
    }

    @Override
    HeapState<?, ?> createState(final KeyedStateBackend backend)
    {
        return new HeapReducingState<>(backend, this, reduceFunction, serializer);
    }
}
