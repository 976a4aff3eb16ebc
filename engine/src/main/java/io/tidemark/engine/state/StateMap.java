package io.tidemark.engine.state;

/**
 * The storage of one state in one key group: a hash map from (key, namespace) to value that
 * allocates nothing per lookup. A composite key object per access would cost an allocation
 * per record; instead keys, namespaces, values and hashes sit in four parallel arrays with
 * open addressing and linear probing, and removal shifts the following entries back so no
 * tombstones build up.
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

    private Object[] keys;
    private Object[] namespaces;
    private Object[] values;
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
        int slot = hash & mask;
        while (true)
        {
            final Object candidate = keys[slot];
            if (candidate == null)
            {
                return null;
            }
            if (hashes[slot] == hash && candidate.equals(key) && namespaces[slot].equals(namespace))
            {
                return values[slot];
            }
            slot = (slot + 1) & mask;
        }
    }

    /**
     * @return the value replaced, or {@code null} if the pair is new.
     */
    Object put(final Object key, final Object namespace, final int hash, final Object value)
    {
        int slot = hash & mask;
        while (true)
        {
            final Object candidate = keys[slot];
            if (candidate == null)
            {
                keys[slot] = key;
                namespaces[slot] = namespace;
                values[slot] = value;
                hashes[slot] = hash;
                if (++size > resizeAt)
                {
                    grow();
                }
                return null;
            }
            if (hashes[slot] == hash && candidate.equals(key) && namespaces[slot].equals(namespace))
            {
                final Object previous = values[slot];
                values[slot] = value;
                return previous;
            }
            slot = (slot + 1) & mask;
        }
    }

    /**
     * @return the value removed, or {@code null} if there was none.
     */
    Object remove(final Object key, final Object namespace, final int hash)
    {
        int slot = hash & mask;
        while (true)
        {
            final Object candidate = keys[slot];
            if (candidate == null)
            {
                return null;
            }
            if (hashes[slot] == hash && candidate.equals(key) && namespaces[slot].equals(namespace))
            {
                final Object previous = values[slot];
                deleteAt(slot);
                return previous;
            }
            slot = (slot + 1) & mask;
        }
    }

    int size()
    {
        return size;
    }

    void forEach(final Visitor visitor) throws java.io.IOException
    {
        for (int slot = 0; slot < keys.length; slot++)
        {
            if (keys[slot] != null)
            {
                visitor.visit(keys[slot], namespaces[slot], values[slot]);
            }
        }
    }

    private void deleteAt(final int removed)
    {
        int hole = removed;
        int slot = removed;
        while (true)
        {
            slot = (slot + 1) & mask;
            if (keys[slot] == null)
            {
                break;
            }
            final int home = hashes[slot] & mask;
            // Move the entry back into the hole unless its home lies cyclically in (hole, slot].
            if (((slot - home) & mask) >= ((slot - hole) & mask))
            {
                keys[hole] = keys[slot];
                namespaces[hole] = namespaces[slot];
                values[hole] = values[slot];
                hashes[hole] = hashes[slot];
                hole = slot;
            }
        }
        keys[hole] = null;
        namespaces[hole] = null;
        values[hole] = null;
        size--;
    }

    private void grow()
    {
        final Object[] oldKeys = keys;
        final Object[] oldNamespaces = namespaces;
        final Object[] oldValues = values;
        final int[] oldHashes = hashes;
        allocate(oldKeys.length * 2);
        for (int i = 0; i < oldKeys.length; i++)
        {
            if (oldKeys[i] != null)
            {
                int slot = oldHashes[i] & mask;
                while (keys[slot] != null)
                {
                    slot = (slot + 1) & mask;
                }
                keys[slot] = oldKeys[i];
                namespaces[slot] = oldNamespaces[i];
                values[slot] = oldValues[i];
                hashes[slot] = oldHashes[i];
            }
        }
    }

    private void allocate(final int capacity)
    {
        keys = new Object[capacity];
        namespaces = new Object[capacity];
        values = new Object[capacity];
        hashes = new int[capacity];
        mask = capacity - 1;
        resizeAt = capacity * 3 / 4;
    }
}
