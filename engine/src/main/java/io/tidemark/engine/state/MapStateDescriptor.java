package io.tidemark.engine.state;

/**
 * Describes a {@link MapState}.
 *
 * @param <K> the map's key type.
 * @param <V> the map's value type.
 */
public final class MapStateDescriptor<K, V> extends StateDescriptor<MapState<K, V>>
{
    private final TypeSerializer<K> keySerializer;
    private final TypeSerializer<V> valueSerializer;

    /**
     * @param name the state's name; entries are snapshotted with {@link Serializers#any()}.
     */
    public MapStateDescriptor(final String name)
    {
        this(name, Serializers.any(), Serializers.any());
    }

    /**
     * @param name            the state's name.
     * @param keySerializer   how to snapshot a map key.
     * @param valueSerializer how to snapshot a map value.
     */
    public MapStateDescriptor(final String name, final TypeSerializer<K> keySerializer, final TypeSerializer<V> valueSerializer)
    {
        super(name);
        this.keySerializer = keySerializer;
        this.valueSerializer = valueSerializer;
    }

    /**
     * @return how a map key is snapshotted.
     */
    public TypeSerializer<K> keySerializer()
    {
        return keySerializer;
    }

    /**
     * @return how a map value is snapshotted.
     */
    public TypeSerializer<V> valueSerializer()
    {
        return valueSerializer;
    }

    @Override
    HeapState<?, ?> createState(final KeyedStateBackend backend)
    {
        return new HeapMapState<>(backend, this, Serializers.mapOf(keySerializer, valueSerializer));
    }
}
