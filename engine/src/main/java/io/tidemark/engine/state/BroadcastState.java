package io.tidemark.engine.state;

import java.util.Map;

/**
 * A map held whole by every subtask of a broadcast connection's operator, changed by the
 * broadcast side only (each subtask sees every broadcast record, in the same order, so all
 * copies stay the same) and included in checkpoints.
 *
 * @param <K> the map's key type.
 * @param <V> the map's value type.
 */
public interface BroadcastState<K, V> extends ReadOnlyBroadcastState<K, V>
{
    /**
     * @param key   a map key.
     * @param value its new value.
     */
    void put(K key, V value);

    /**
     * @param key a map key whose entry goes.
     */
    void remove(K key);

    /** Removes every entry. */
    void clear();

    /**
     * @return the entries, changeable.
     */
    Iterable<Map.Entry<K, V>> entries();
}
