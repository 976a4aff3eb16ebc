package io.tidemark.engine.state;

/**
 * Describes a {@link ListState}.
 *
 * @param <T> the element type.
 */
public final class ListStateDescriptor<T> extends StateDescriptor<ListState<T>>
{
    private final TypeSerializer<T> serializer;

    /**
     * @param name the state's name; elements are snapshotted with {@link Serializers#any()}.
     */
    public ListStateDescriptor(final String name)
    {
        this(name, Serializers.any());
    }

    /**
     * @param name       the state's name.
     * @param serializer how to snapshot an element.
     */
    public ListStateDescriptor(final String name, final TypeSerializer<T> serializer)
    {
        super(name);
        this.serializer = serializer;
    }

    @Override
    HeapState<?, ?> createState(final KeyedStateBackend backend)
    {
        return new HeapListState<>(backend, this, serializer);
    }
}
