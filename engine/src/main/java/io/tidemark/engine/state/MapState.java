package io.tidemark.engine.state;

import java.util.Map;

/**
 * A map per key.
 *
 * @param <K> the map's key type (not the stream's key).
 * @param <V> the map's value type.
 */
public interface MapState<K, V> extends State
{
    /**
     * @param key a map key.
     * @return its value for the current stream key, or {@code null}.
     */
    V get(K key);

    /**
     * @param key   a map key.
     * @param value its new value.
     */
    void put(K key, V value);

    /**
     * @param key a map key to remove.
     */
    void remove(K key);

    /**
     * @param key a map key.
     * @return whether the current stream key's map holds it.
     */
    boolean contains(K key);

    /**
     * @return the current stream key's entries; empty if none. Changes through the returned
     * view are not allowed.
     */
    Iterable<Map.Entry<K, V>> entries();

    /**
     * @return whether the current stream key's map is empty.
     */
    boolean isEmpty();
}
