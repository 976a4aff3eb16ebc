package io.tidemark.engine.state;

/**
 * The storage of one state in one key group: a hash map from (key, namespace) to value that
 * allocates nothing per lookup. A composite key object per access would cost an allocation
 * per record; instead (key, namespace, value) triples sit side by side in one array (one
 * cache line per look-up, not three) and hashes in another, with open addressing and linear
 * probing, and removal shifts the following entries back so no tombstones build up.
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

    // Per slot: key, namespace, value.
    private Object[] entries;
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
            final Object candidate = entries[3 * slot];
            if (candidate == null)
            {
                return null;
            }
            if (hashes[slot] == hash && holds(slot, candidate, key, namespace))
            {
                return entries[3 * slot + 2];
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
            final Object candidate = entries[3 * slot];
            if (candidate == null)
            {
                entries[3 * slot] = key;
                entries[3 * slot + 1] = namespace;
                entries[3 * slot + 2] = value;
                hashes[slot] = hash;
                if (++size > resizeAt)
                {
                    grow();
                }
                return null;
            }
            if (hashes[slot] == hash && holds(slot, candidate, key, namespace))
            {
                final Object previous = entries[3 * slot + 2];
                entries[3 * slot + 2] = value;
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
            final Object candidate = entries[3 * slot];
            if (candidate == null)
            {
                return null;
            }
            if (hashes[slot] == hash && holds(slot, candidate, key, namespace))
            {
                final Object previous = entries[3 * slot + 2];
                deleteAt(slot);
                return previous;
            }
            slot = (slot + 1) & mask;
        }
    }

    /** Identity first: the key is often the very object stored, the namespace a shared constant. */
    private boolean holds(final int slot, final Object candidate, final Object key, final Object namespace)
    {
        final Object held = entries[3 * slot + 1];
        return (candidate == key || candidate.equals(key)) && (held == namespace || held.equals(namespace));
    }

    int size()
    {
        return size;
    }

    void forEach(final Visitor visitor) throws java.io.IOException
    {
        for (int at = 0; at < entries.length; at += 3)
        {
            if (entries[at] != null)
            {
                visitor.visit(entries[at], entries[at + 1], entries[at + 2]);
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
                hole = slot;
            }
        }
        entries[3 * hole] = null;
        entries[3 * hole + 1] = null;
        entries[3 * hole + 2] = null;
        size--;
    }

    private void grow()
    {
        final Object[] oldEntries = entries;
        final int[] oldHashes = hashes;
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
            }
        }
    }

    private void allocate(final int capacity)
    {
        entries = new Object[3 * capacity];
        hashes = new int[capacity];
        mask = capacity - 1;
        resizeAt = capacity * 3 / 4;
    }
}
