package io.tidemark.engine.state;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * {@link MapState} on the heap: a {@link HashMap} per key and namespace.
 *
 * @param <N> the namespace type.
 * @param <K> the map's key type.
 * @param <V> the map's value type.
 */
final class HeapMapState<N, K, V> extends HeapState<N, Map<K, V>> implements MapState<K, V>
{
    HeapMapState(final KeyedStateBackend backend, final StateDescriptor<?> descriptor, final TypeSerializer<Map<K, V>> serializer)
    {
        super(backend, descriptor, serializer);
    }

    @Override
    public V get(final K key)
    {
        final Map<K, V> map = read(namespace);
        return map == null ? null : map.get(key);
    }

    @Override
    public void put(final K key, final V value)
    {
        Map<K, V> map = read(namespace);
        if (map == null)
        {
            map = new HashMap<>();
            write(namespace, map);
        }
        map.put(key, value);
    }

    @Override
    public void remove(final K key)
    {
        final Map<K, V> map = read(namespace);
        if (map != null)
        {
            map.remove(key);
            if (map.isEmpty())
            {
                delete(namespace);
            }
        }
    }

    @Override
    public boolean contains(final K key)
    {
        final Map<K, V> map = read(namespace);
        return map != null && map.containsKey(key);
    }

    @Override
    public Iterable<Map.Entry<K, V>> entries()
    {
        final Map<K, V> map = read(namespace);
        return map == null ? Collections.emptySet() : Collections.unmodifiableMap(map).entrySet();
    }

    @Override
    public boolean isEmpty()
    {
        final Map<K, V> map = read(namespace);
        return map == null || map.isEmpty();
    }
}
