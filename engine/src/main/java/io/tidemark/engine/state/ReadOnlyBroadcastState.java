package io.tidemark.engine.state;

import java.util.Map;

/**
 * Broadcast state as the non-broadcast side of a broadcast connection sees it: read only, so
 * that every subtask keeps the same contents (only the broadcast side, which every subtask
 * sees whole and in the same order, may change it).
 *
 * @param <K> the map's key type.
 * @param <V> the map's value type.
 */
public interface ReadOnlyBroadcastState<K, V>
{
    /**
     * @param key a map key.
     * @return its value, or {@code null}.
     */
    V get(K key);

    /**
     * @param key a map key.
     * @return whether it has a value.
     */
    boolean contains(K key);

    /**
     * @return the entries, which cannot be changed through this view.
     */
    Iterable<Map.Entry<K, V>> immutableEntries();
}
