package io.tidemark.engine.window;

import org.agrona.collections.Object2IntHashMap;

/**
 * A map from a key to an {@code int} (a slot or a session id) for the window operators that
 * keep their state in arrays. {@code Long} keys, the usual case, live in an open-addressing
 * table of their own and are looked up by value, so the map holds no key objects for the
 * collector to trace; other keys go to a map by {@code equals}. A {@code Long} never equals a
 * key of another type, so the two maps never disagree.
 *
 * <p>The {@code long} table is probed once per record, so it is built for that: key and value
 * side by side in one {@code long[]} (one cache line per probe), Fibonacci hashing (a multiply
 * and a shift; ids that are dense or evenly spaced, the common keys, spread over the table
 * with almost no collisions, so the first probe nearly always decides and its branch is
 * predictable), linear probing at most half full, and deletion by shifting the entries that
 * follow back, so that no tombstones lengthen later probes.
 */
final class KeyIndex
{
    /** What {@link #get} returns for a key that is not in the map. */
    static final int NONE = -1;

    private static final int INITIAL_CAPACITY = 1024;
    private static final float LOAD_FACTOR = 0.65f;
    /** 2^64 divided by the golden ratio: multiplying by it scatters neighbouring keys. */
    private static final long FIBONACCI = 0x9E3779B97F4A7C15L;

    private final Object2IntHashMap<Object> otherKeys = new Object2IntHashMap<>(INITIAL_CAPACITY, LOAD_FACTOR, NONE);
    /** Pairs of key and value; a value of {@link #NONE} marks a free pair. */
    private long[] entries;
    /** 64 minus the log2 of the number of pairs: the hash is the top bits of the product. */
    private int shift;
    private int longCount;
    private int resizeAt;

    KeyIndex()
    {
        allocate(INITIAL_CAPACITY);
    }

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
        final long[] entries = this.entries;
        final int mask = entries.length - 1;
        int index = home(key);
        while (true)
        {
            final long value = entries[index + 1];
            if (value == NONE || entries[index] == key)
            {
                return (int)value;
            }
            index = index + 2 & mask;
        }
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
        final long[] entries = this.entries;
        final int mask = entries.length - 1;
        int index = home(key);
        while (entries[index + 1] != NONE)
        {
            if (entries[index] == key)
            {
                entries[index + 1] = value;
                return;
            }
            index = index + 2 & mask;
        }
        entries[index] = key;
        entries[index + 1] = value;
        if (++longCount > resizeAt)
        {
            rehash(entries);
        }
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
        final long[] entries = this.entries;
        final int mask = entries.length - 1;
        int hole = home(key);
        while (true)
        {
            if (entries[hole + 1] == NONE)
            {
                return NONE;
            }
            if (entries[hole] == key)
            {
                break;
            }
            hole = hole + 2 & mask;
        }
        final int removed = (int)entries[hole + 1];
        // Entries after the hole that probed past it move back into it, so that a probe
        // never meets a free pair before its key.
        int next = hole;
        while (true)
        {
            next = next + 2 & mask;
            final long value = entries[next + 1];
            if (value == NONE)
            {
                break;
            }
            final long moved = entries[next];
            if ((next - home(moved) & mask) >= (next - hole & mask))
            {
                entries[hole] = moved;
                entries[hole + 1] = value;
                hole = next;
            }
        }
        entries[hole] = 0;
        entries[hole + 1] = NONE;
        longCount--;
        return removed;
    }

    /** Removes every key, keeping the table's size for the keys to come. */
    void clear()
    {
        otherKeys.clear();
        if (longCount > 0)
        {
            for (int i = 1; i < entries.length; i += 2)
            {
                entries[i] = NONE;
            }
            longCount = 0;
        }
    }

    /**
     * @return the number of keys.
     */
    int size()
    {
        return longCount + otherKeys.size();
    }

    /**
     * @return the index of the key's home pair in {@link #entries}.
     */
    private int home(final long key)
    {
        return (int)((key * FIBONACCI) >>> shift) << 1;
    }

    private void allocate(final int pairs)
    {
        entries = new long[pairs * 2];
        for (int i = 1; i < entries.length; i += 2)
        {
            entries[i] = NONE;
        }
        shift = Long.SIZE - Integer.numberOfTrailingZeros(pairs);
        resizeAt = pairs / 2;
    }

    private void rehash(final long[] old)
    {
        allocate(old.length);
        longCount = 0;
        for (int i = 0; i < old.length; i += 2)
        {
            if (old[i + 1] != NONE)
            {
                put(old[i], (int)old[i + 1]);
            }
        }
    }
}
