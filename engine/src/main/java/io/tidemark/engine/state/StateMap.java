package io.tidemark.engine.state;

/**
 * The storage of one state in one key group: a hash map from (key, namespace) to value that
 * allocates nothing per lookup. A composite key object per access would cost an allocation
 * per record; instead (key, namespace, value) triples sit side by side in one array (one
 * cache line per look-up, not three) and hashes in another, with open addressing and linear
 * probing, and removal shifts the following entries back so no tombstones build up.
 *
 * <p>A {@code Long} key is kept by value, in an array of its own beside the entries, with a
 * marker in the entry's key slot: a look-up of such a key compares two {@code long}s instead of
 * following the stored key's reference to a {@code Long} somewhere on the heap, a cache miss
 * per probe in a map of many keys, and a key that arrived as a {@code long} is never boxed.
 *
 * <p>Not thread-safe: one task thread owns it.
 */
final class StateMap
{
    /** Visits entries, for snapshots and for iterating a key's namespaces. */
    interface Visitor
    {
        void visit(Object key, Object namespace, Object value) throws java.io.IOException;
    }

    private static final int INITIAL_CAPACITY = 8;
    /** In an entry's key slot: the key is a {@code Long}, its value in {@link #longKeys}. */
    private static final Object LONG_KEY = new Object();

    // Per slot: key (or LONG_KEY), namespace, value.
    private Object[] entries;
    private long[] longKeys;
    private int[] hashes;
    private int mask;
    private int size;
    private int resizeAt;

    StateMap()
    {
        allocate(INITIAL_CAPACITY);
    }

    /**
     * @param keyHash   the key's hash code.
     * @param namespace the namespace.
     * @return the hash of the pair.
     */
    static int hash(final int keyHash, final Object namespace)
    {
        return KeyGroups.mix(keyHash * 31 + namespace.hashCode());
    }

    Object get(final Object key, final Object namespace, final int hash)
    {
        if (key instanceof Long number)
        {
            return getLong(number, namespace, hash);
        }
        final int slot = find(key, namespace, hash);
        return slot >= 0 ? entries[3 * slot + 2] : null;
    }

    /**
     * @return the value replaced, or {@code null} if the pair is new.
     */
    Object put(final Object key, final Object namespace, final int hash, final Object value)
    {
        if (key instanceof Long number)
        {
            return putLong(number, namespace, hash, value);
        }
        final int slot = find(key, namespace, hash);
        return slot >= 0 ? replace(slot, value) : insert(~slot, key, 0, namespace, hash, value);
    }

    /**
     * @return the value removed, or {@code null} if there was none.
     */
    Object remove(final Object key, final Object namespace, final int hash)
    {
        if (key instanceof Long number)
        {
            return removeLong(number, namespace, hash);
        }
        final int slot = find(key, namespace, hash);
        return slot >= 0 ? deleteAt(slot) : null;
    }

    /**
     * @param key       a key kept by value.
     * @param namespace the namespace.
     * @param hash      the pair's hash, from the key's {@code Long} hash code.
     * @return the value, or {@code null}.
     */
    Object getLong(final long key, final Object namespace, final int hash)
    {
        final int slot = findLong(key, namespace, hash);
        return slot >= 0 ? entries[3 * slot + 2] : null;
    }

    /**
     * @return the value replaced, or {@code null} if the pair is new.
     */
    Object putLong(final long key, final Object namespace, final int hash, final Object value)
    {
        final int slot = findLong(key, namespace, hash);
        return slot >= 0 ? replace(slot, value) : insert(~slot, LONG_KEY, key, namespace, hash, value);
    }

    /**
     * @return the value removed, or {@code null} if there was none.
     */
    Object removeLong(final long key, final Object namespace, final int hash)
    {
        final int slot = findLong(key, namespace, hash);
        return slot >= 0 ? deleteAt(slot) : null;
    }

    /**
     * @return the pair's slot, or the complement of the empty slot that ends its probe.
     */
    private int find(final Object key, final Object namespace, final int hash)
    {
        int slot = hash & mask;
        while (true)
        {
            final Object candidate = entries[3 * slot];
            if (candidate == null)
            {
                return ~slot;
            }
            // Identity first: the key is often the very object stored, the namespace a shared constant.
            if (hashes[slot] == hash && (candidate == key || candidate.equals(key)) && sameNamespace(slot, namespace))
            {
                return slot;
            }
            slot = (slot + 1) & mask;
        }
    }

    /**
     * @return the pair's slot, or the complement of the empty slot that ends its probe.
     */
    private int findLong(final long key, final Object namespace, final int hash)
    {
        int slot = hash & mask;
        while (true)
        {
            final Object candidate = entries[3 * slot];
            if (candidate == null)
            {
                return ~slot;
            }
            if (candidate == LONG_KEY && longKeys[slot] == key && sameNamespace(slot, namespace))
            {
                return slot;
            }
            slot = (slot + 1) & mask;
        }
    }

    private boolean sameNamespace(final int slot, final Object namespace)
    {
        final Object held = entries[3 * slot + 1];
        return held == namespace || held.equals(namespace);
    }

    private Object replace(final int slot, final Object value)
    {
        final Object previous = entries[3 * slot + 2];
        entries[3 * slot + 2] = value;
        return previous;
    }

    private Object insert(final int slot, final Object key, final long longKey, final Object namespace, final int hash, final Object value)
    {
        entries[3 * slot] = key;
        entries[3 * slot + 1] = namespace;
        entries[3 * slot + 2] = value;
        longKeys[slot] = longKey;
        hashes[slot] = hash;
        if (++size > resizeAt)
        {
            grow();
        }
        return null;
    }

    int size()
    {
        return size;
    }

    void forEach(final Visitor visitor) throws java.io.IOException
    {
        for (int slot = 0; slot < hashes.length; slot++)
        {
            final Object key = entries[3 * slot];
            if (key != null)
            {
                visitor.visit(key == LONG_KEY ? Long.valueOf(longKeys[slot]) : key, entries[3 * slot + 1], entries[3 * slot + 2]);
            }
        }
    }

    /**
     * @return the value of the entry deleted.
     */
    private Object deleteAt(final int removed)
    {
        final Object previous = entries[3 * removed + 2];
        int hole = removed;
        int slot = removed;
        while (true)
        {
            slot = (slot + 1) & mask;
            if (entries[3 * slot] == null)
            {
                break;
            }
            final int home = hashes[slot] & mask;
            // Move the entry back into the hole unless its home lies cyclically in (hole, slot].
            if (((slot - home) & mask) >= ((slot - hole) & mask))
            {
                System.arraycopy(entries, 3 * slot, entries, 3 * hole, 3);
                hashes[hole] = hashes[slot];
                longKeys[hole] = longKeys[slot];
                hole = slot;
            }
        }
        entries[3 * hole] = null;
        entries[3 * hole + 1] = null;
        entries[3 * hole + 2] = null;
        size--;
        return previous;
    }

    private void grow()
    {
        final Object[] oldEntries = entries;
        final int[] oldHashes = hashes;
        final long[] oldLongKeys = longKeys;
        allocate(oldHashes.length * 2);
        for (int i = 0; i < oldHashes.length; i++)
        {
            if (oldEntries[3 * i] != null)
            {
                int slot = oldHashes[i] & mask;
                while (entries[3 * slot] != null)
                {
                    slot = (slot + 1) & mask;
                }
                System.arraycopy(oldEntries, 3 * i, entries, 3 * slot, 3);
                hashes[slot] = oldHashes[i];
                longKeys[slot] = oldLongKeys[i];
            }
        }
    }

    private void allocate(final int capacity)
    {
        entries = new Object[3 * capacity];
        hashes = new int[capacity];
        longKeys = new long[capacity];
        mask = capacity - 1;
        resizeAt = capacity * 3 / 4;
    }
}
