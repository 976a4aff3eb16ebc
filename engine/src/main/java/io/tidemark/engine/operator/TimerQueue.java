package io.tidemark.engine.operator;

import io.tidemark.engine.state.KeyGroups;
import java.io.IOException;
import java.util.Arrays;

/**
 * The timers of one time domain of one operator subtask: a 4-ary min-heap ordered by time
 * (then registration order), plus an open-addressing hash index on (key, namespace, time)
 * so that registering an existing timer is a lookup (a window's trigger registers the same
 * timer for every record) and deleting one is too.
 *
 * <p>Built for firing many timers at once (a watermark passing thousands of expiries): no
 * object per timer, and no random write while sifting. The heap is primitive arrays (time,
 * registration sequence, entry id) that sifting compares and moves without following a
 * reference; four children share a cache line and make the heap half as deep as a binary
 * one. The entries (key, namespace, time, hash) sit in arrays by id, ids of fired timers
 * are reused, and each slot of the index is one {@code long} holding a timer's hash and id,
 * so that a probe costs one cache line and reads no entry. A {@code Long} key is kept by
 * value ({@link #addLong}), neither boxed nor followed.
 *
 * <p>A deleted timer leaves the index at once but stays in the heap, marked, until it comes
 * to the head (dropped there) or the marked ones outnumber the live ones (the heap is then
 * rebuilt without them): entries need not track their heap position, which every move of
 * a sift would otherwise have to write.
 */
final class TimerQueue
{
    /** Receives the timers of a snapshot, in firing order. */
    interface Visitor
    {
        void visit(Object key, Object namespace, long timestamp) throws IOException;
    }

    private static final int INITIAL_CAPACITY = 16;
    private static final int ARITY = 4;

    private long[] heapTimes = new long[INITIAL_CAPACITY];
    private long[] heapSequences = new long[INITIAL_CAPACITY];
    private int[] heapIds = new int[INITIAL_CAPACITY];
    // Heap entries, deleted ones included.
    private int heapSize;
    private int deletedInHeap;

    // An entry's key: the object, or null when the key is the long in longKeys.
    private Object[] keys = new Object[INITIAL_CAPACITY];
    private long[] longKeys = new long[INITIAL_CAPACITY];
    // Null marks a deleted timer still in the heap (a live timer's namespace never is).
    private Object[] namespaces = new Object[INITIAL_CAPACITY];
    private long[] times = new long[INITIAL_CAPACITY];
    private int[] hashes = new int[INITIAL_CAPACITY];
    private int[] freeIds = new int[INITIAL_CAPACITY];
    private int freeCount;
    private int nextId;

    // Per slot: its timer's hash in the high half, id + 1 in the low half; 0 for an empty slot.
    private long[] index = new long[2 * INITIAL_CAPACITY];
    private int indexMask = index.length - 1;
    private long nextSequence;

    /**
     * @param keyHash the key's {@code hashCode}: a key kept by value hashes as its {@code Long}
     *                would, so that both forms of a key find the same timer.
     */
    private static int hash(final int keyHash, final Object namespace, final long timestamp)
    {
        return KeyGroups.mix((keyHash * 31 + namespace.hashCode()) * 31 + Long.hashCode(timestamp));
    }

    /**
     * @return {@code true} if the timer is new, {@code false} if it existed already.
     */
    boolean add(final Object key, final Object namespace, final long timestamp)
    {
        if (key instanceof Long number)
        {
            return addLong(number, namespace, timestamp);
        }
        return insert(hash(key.hashCode(), namespace, timestamp), key, 0, namespace, timestamp);
    }

    /**
     * Adds the timer of a {@code Long} key, the same timer as {@link #add} with the boxed key.
     *
     * @return {@code true} if the timer is new, {@code false} if it existed already.
     */
    boolean addLong(final long key, final Object namespace, final long timestamp)
    {
        return insert(hash(Long.hashCode(key), namespace, timestamp), null, key, namespace, timestamp);
    }

    /**
     * @return whether such a timer existed.
     */
    boolean remove(final Object key, final Object namespace, final long timestamp)
    {
        if (key instanceof Long number)
        {
            return removeLong(number, namespace, timestamp);
        }
        return delete(hash(key.hashCode(), namespace, timestamp), key, 0, namespace, timestamp);
    }

    /**
     * Removes the timer of a {@code Long} key, the same timer as {@link #remove} with the boxed key.
     *
     * @return whether such a timer existed.
     */
    boolean removeLong(final long key, final Object namespace, final long timestamp)
    {
        return delete(hash(Long.hashCode(key), namespace, timestamp), null, key, namespace, timestamp);
    }

    // key is null for the long key longKey; returns whether the timer is new.
    private boolean insert(final int hash, final Object key, final long longKey, final Object namespace, final long timestamp)
    {
        final int slot = find(hash, key, longKey, namespace, timestamp);
        if (slot >= 0)
        {
            return false;
        }
        final int id = allocateId();
        keys[id] = key;
        longKeys[id] = longKey;
        namespaces[id] = namespace;
        times[id] = timestamp;
        hashes[id] = hash;
        index[-slot - 1] = slotValue(hash, id);
        if (heapSize == heapTimes.length)
        {
            growHeap();
        }
        siftUp(heapSize++, timestamp, nextSequence++, id);
        if (size() > index.length / 2)
        {
            growIndex();
        }
        return true;
    }

    /** @return whether such a timer existed. */
    private boolean delete(final int hash, final Object key, final long longKey, final Object namespace, final long timestamp)
    {
        final int slot = find(hash, key, longKey, namespace, timestamp);
        if (slot < 0)
        {
            return false;
        }
        final int id = idAt(slot);
        removeFromIndexAt(slot);
        namespaces[id] = null;
        deletedInHeap++;
        dropDeletedHead();
        if (deletedInHeap > size() && deletedInHeap > INITIAL_CAPACITY)
        {
            rebuildHeapWithoutDeleted();
        }
        return true;
    }

    /**
     * @return the slot of the timer, or {@code -1 - s} where {@code s} is the empty slot
     * that ended the probe.
     */
    private int find(final int hash, final Object key, final long longKey, final Object namespace, final long timestamp)
    {
        int slot = hash & indexMask;
        long entry;
        while ((entry = index[slot]) != 0)
        {
            if ((int)(entry >>> 32) == hash && matches((int)entry - 1, key, longKey, namespace, timestamp))
            {
                return slot;
            }
            slot = (slot + 1) & indexMask;
        }
        return -1 - slot;
    }

    private static long slotValue(final int hash, final int id)
    {
        return ((long)hash << 32) | (id + 1);
    }

    private int idAt(final int slot)
    {
        return (int)index[slot] - 1;
    }

    boolean isEmpty()
    {
        return heapSize == 0;
    }

    /** @return the time of the first timer to fire; the queue must not be empty. */
    long headTimestamp()
    {
        return heapTimes[0];
    }

    /**
     * @return the key of the first timer to fire, boxed if it is a {@code long} one; the
     * queue must not be empty.
     */
    Object headKey()
    {
        final int id = heapIds[0];
        return keys[id] == null ? (Object)longKeys[id] : keys[id];
    }

    /** @return whether the first timer's key is a {@code Long}, for {@link #headLongKey}. */
    boolean headKeyIsLong()
    {
        return keys[heapIds[0]] == null;
    }

    /** @return the key of the first timer to fire, when {@link #headKeyIsLong}. */
    long headLongKey()
    {
        return longKeys[heapIds[0]];
    }

    /** @return the namespace of the first timer to fire; the queue must not be empty. */
    Object headNamespace()
    {
        return namespaces[heapIds[0]];
    }

    /** Removes the first timer to fire; the queue must not be empty. */
    void removeHead()
    {
        final int id = heapIds[0];
        int slot = hashes[id] & indexMask;
        while ((int)index[slot] != id + 1)
        {
            slot = (slot + 1) & indexMask;
        }
        removeFromIndexAt(slot);
        removeHeapHead();
        release(id);
        dropDeletedHead();
    }

    /** @return how many timers the entry arrays have room for, to show that ids are reused. */
    int entryCapacity()
    {
        return keys.length;
    }

    /** @return the number of timers, deleted ones not counted. */
    int size()
    {
        return heapSize - deletedInHeap;
    }

    /**
     * Visits every timer in firing order; sorts a copy of the heap's order, for snapshots.
     */
    void forEachInFiringOrder(final Visitor visitor) throws IOException
    {
        final Integer[] order = new Integer[size()];
        int live = 0;
        for (int position = 0; position < heapSize; position++)
        {
            if (namespaces[heapIds[position]] != null)
            {
                order[live++] = position;
            }
        }
        Arrays.sort(order, (a, b) -> firesBefore(a, b) ? -1 : (firesBefore(b, a) ? 1 : 0));
        for (final int position : order)
        {
            final int id = heapIds[position];
            visitor.visit(keys[id] == null ? (Object)longKeys[id] : keys[id], namespaces[id], heapTimes[position]);
        }
    }

    private boolean matches(final int id, final Object key, final long longKey, final Object namespace, final long timestamp)
    {
        final Object heldKey = keys[id];
        final Object heldNamespace = namespaces[id];
        final boolean sameKey = key == null ? heldKey == null && longKeys[id] == longKey : heldKey != null && (heldKey == key || heldKey.equals(key));
        return sameKey && times[id] == timestamp && (heldNamespace == namespace || heldNamespace.equals(namespace));
    }

    private boolean firesBefore(final int a, final int b)
    {
        return heapTimes[a] < heapTimes[b] || (heapTimes[a] == heapTimes[b] && heapSequences[a] < heapSequences[b]);
    }

    private int allocateId()
    {
        if (freeCount > 0)
        {
            return freeIds[--freeCount];
        }
        if (nextId == keys.length)
        {
            final int capacity = keys.length * 2;
            keys = Arrays.copyOf(keys, capacity);
            longKeys = Arrays.copyOf(longKeys, capacity);
            namespaces = Arrays.copyOf(namespaces, capacity);
            times = Arrays.copyOf(times, capacity);
            hashes = Arrays.copyOf(hashes, capacity);
            freeIds = Arrays.copyOf(freeIds, capacity);
        }
        return nextId++;
    }

    private void release(final int id)
    {
        // Dropped so that a fired timer's key and namespace can be collected.
        keys[id] = null;
        namespaces[id] = null;
        freeIds[freeCount++] = id;
    }

    private void growHeap()
    {
        final int capacity = heapTimes.length * 2;
        heapTimes = Arrays.copyOf(heapTimes, capacity);
        heapSequences = Arrays.copyOf(heapSequences, capacity);
        heapIds = Arrays.copyOf(heapIds, capacity);
    }

    /** Keeps the head a live timer, so that the head's accessors need not look further. */
    private void dropDeletedHead()
    {
        while (heapSize > 0 && namespaces[heapIds[0]] == null)
        {
            final int id = heapIds[0];
            removeHeapHead();
            deletedInHeap--;
            release(id);
        }
    }

    private void removeHeapHead()
    {
        final int last = --heapSize;
        if (last > 0)
        {
            siftDown(0, heapTimes[last], heapSequences[last], heapIds[last]);
        }
    }

    private void rebuildHeapWithoutDeleted()
    {
        int live = 0;
        for (int position = 0; position < heapSize; position++)
        {
            final int id = heapIds[position];
            if (namespaces[id] == null)
            {
                release(id);
            }
            else
            {
                heapTimes[live] = heapTimes[position];
                heapSequences[live] = heapSequences[position];
                heapIds[live] = id;
                live++;
            }
        }
        heapSize = live;
        deletedInHeap = 0;
        for (int position = (heapSize - 2) / ARITY; position >= 0; position--)
        {
            siftDown(position, heapTimes[position], heapSequences[position], heapIds[position]);
        }
    }

    // Places (time, sequence, id) at start or above it, moving down the entries it fires before.
    private void siftUp(final int start, final long time, final long sequence, final int id)
    {
        int position = start;
        while (position > 0)
        {
            final int parent = (position - 1) / ARITY;
            if (time > heapTimes[parent] || (time == heapTimes[parent] && sequence > heapSequences[parent]))
            {
                break;
            }
            move(parent, position);
            position = parent;
        }
        place(position, time, sequence, id);
    }

    // Places (time, sequence, id) at start or below it, moving up the children that fire before it.
    private void siftDown(final int start, final long time, final long sequence, final int id)
    {
        int position = start;
        while (true)
        {
            final int first = ARITY * position + 1;
            if (first >= heapSize)
            {
                break;
            }
            final int end = Math.min(first + ARITY, heapSize);
            int child = first;
            for (int other = first + 1; other < end; other++)
            {
                if (firesBefore(other, child))
                {
                    child = other;
                }
            }
            if (time < heapTimes[child] || (time == heapTimes[child] && sequence < heapSequences[child]))
            {
                break;
            }
            move(child, position);
            position = child;
        }
        place(position, time, sequence, id);
    }

    private void move(final int from, final int to)
    {
        heapTimes[to] = heapTimes[from];
        heapSequences[to] = heapSequences[from];
        heapIds[to] = heapIds[from];
    }

    private void place(final int position, final long time, final long sequence, final int id)
    {
        heapTimes[position] = time;
        heapSequences[position] = sequence;
        heapIds[position] = id;
    }

    private void removeFromIndexAt(final int removed)
    {
        int hole = removed;
        int slot = removed;
        while (true)
        {
            slot = (slot + 1) & indexMask;
            final long entry = index[slot];
            if (entry == 0)
            {
                break;
            }
            final int home = (int)(entry >>> 32) & indexMask;
            // Move the entry back into the hole unless its home lies cyclically in (hole, slot].
            if (((slot - home) & indexMask) >= ((slot - hole) & indexMask))
            {
                index[hole] = entry;
                hole = slot;
            }
        }
        index[hole] = 0;
    }

    private void growIndex()
    {
        final long[] oldIndex = index;
        index = new long[oldIndex.length * 2];
        indexMask = index.length - 1;
        for (final long entry : oldIndex)
        {
            if (entry != 0)
            {
                int slot = (int)(entry >>> 32) & indexMask;
                while (index[slot] != 0)
                {
                    slot = (slot + 1) & indexMask;
                }
                index[slot] = entry;
            }
        }
    }
}
