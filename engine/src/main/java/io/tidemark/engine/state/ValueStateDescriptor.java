package io.tidemark.engine.state;

/**
 * Describes a {@link ValueState}.
 *
 * @param <T> the value type.
 */
public final class ValueStateDescriptor<T> extends StateDescriptor<ValueState<T>>
{
    private final TypeSerializer<T> serializer;

    /**
     * @param name the state's name; values are snapshotted with {@link Serializers#any()}.
     */
    public ValueStateDescriptor(final String name)
    {
        this(name, Serializers.any());
    }

    /**
     * @param name       the state's name.
     * @param serializer how to snapshot a value.
     */
    public ValueStateDescriptor(final String name, final TypeSerializer<T> serializer)
    {
        super(name);
        this.serializer = serializer;
    }

    @Override
    HeapState<?, ?> createState(final KeyedStateBackend backend)
    {
        return new HeapValueState<>(backend, this, serializer);
    }
}
