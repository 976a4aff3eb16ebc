package io.tidemark.engine.window;

import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.Object2IntHashMap;

/**
 * A map from a key to an {@code int} (a slot or a session id) for the window operators that
 * keep their state in arrays. {@code Long} keys, the usual case, live in a primitive map and
 * are looked up by value, so the map holds no key objects for the collector to trace; other
 * keys go to a map by {@code equals}. A {@code Long} never equals a key of another type, so
 * the two maps never disagree.
 */
final class KeyIndex
{
    /** What {@link #get} returns for a key that is not in the map. */
    static final int NONE = -1;

    private static final int INITIAL_CAPACITY = 1024;
    private static final float LOAD_FACTOR = 0.65f;

    private final Long2LongHashMap longKeys = new Long2LongHashMap(INITIAL_CAPACITY, LOAD_FACTOR, NONE);
    private final Object2IntHashMap<Object> otherKeys = new Object2IntHashMap<>(INITIAL_CAPACITY, LOAD_FACTOR, NONE);

    /**
     * @param key a key that is not a {@code Long}.
     * @return its value, or {@link #NONE}.
     */
    int get(final Object key)
    {
        return otherKeys.getValue(key);
    }

    /**
     * @param key a {@code Long} key, by value.
     * @return its value, or {@link #NONE}.
     */
    int get(final long key)
    {
        return (int)longKeys.get(key);
    }

    /**
     * @param key   a key that is not a {@code Long}.
     * @param value its new value, not {@link #NONE}.
     */
    void put(final Object key, final int value)
    {
        otherKeys.put(key, value);
    }

    /**
     * @param key   a {@code Long} key, by value.
     * @param value its new value, not {@link #NONE}.
     */
    void put(final long key, final int value)
    {
        longKeys.put(key, value);
    }

    /**
     * @param key a key that is not a {@code Long}.
     * @return the value it had, or {@link #NONE}.
     */
    int remove(final Object key)
    {
        return otherKeys.removeKey(key);
    }

    /**
     * @param key a {@code Long} key, by value.
     * @return the value it had, or {@link #NONE}.
     */
    int remove(final long key)
    {
        return (int)longKeys.remove(key);
    }

    /**
     * @return the number of keys.
     */
    int size()
    {
        return longKeys.size() + otherKeys.size();
    }
}
