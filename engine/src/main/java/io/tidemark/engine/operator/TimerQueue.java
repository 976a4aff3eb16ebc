package io.tidemark.engine.operator;

import io.tidemark.engine.state.KeyGroups;
import java.io.IOException;
import java.util.Arrays;

/**
 * The timers of one time domain of one operator subtask: a binary min-heap ordered by time
 * (then registration order), plus an open-addressing hash index on (key, namespace, time)
 * so that registering an existing timer is a lookup (a window's trigger registers the same
 * timer for every record) and deleting one is {@code O(log n)}.
 *
 * <p>No object per timer: the heap is primitive arrays (time, registration sequence, entry
 * id) that sifting compares without following a reference, the entries (key, namespace,
 * hash, heap position) sit in arrays by id, ids of removed timers are reused, and the index
 * holds ids and hashes, so that probing and shifting it read no entry.
 */
final class TimerQueue
{
    /** Receives the timers of a snapshot, in firing order. */
    interface Visitor
    {
        void visit(Object key, Object namespace, long timestamp) throws IOException;
    }

    private static final int INITIAL_CAPACITY = 16;

    private long[] heapTimes = new long[INITIAL_CAPACITY];
    private long[] heapSequences = new long[INITIAL_CAPACITY];
    private int[] heapIds = new int[INITIAL_CAPACITY];
    private int size;

    private Object[] keys = new Object[INITIAL_CAPACITY];
    private Object[] namespaces = new Object[INITIAL_CAPACITY];
    private int[] hashes = new int[INITIAL_CAPACITY];
    private int[] positions = new int[INITIAL_CAPACITY];
    private int[] freeIds = new int[INITIAL_CAPACITY];
    private int freeCount;
    private int nextId;

    // Per slot: the id + 1 of its timer (0 for an empty slot), and that timer's hash.
    private int[] index = new int[2 * INITIAL_CAPACITY];
    private int[] indexHashes = new int[2 * INITIAL_CAPACITY];
    private int indexMask = index.length - 1;
    private long nextSequence;

    static int hash(final Object key, final Object namespace, final long timestamp)
    {
        return KeyGroups.mix((key.hashCode() * 31 + namespace.hashCode()) * 31 + Long.hashCode(timestamp));
    }

    /**
     * @return {@code true} if the timer is new, {@code false} if it existed already.
     */
    boolean add(final Object key, final Object namespace, final long timestamp)
    {
        final int hash = hash(key, namespace, timestamp);
        int slot = hash & indexMask;
        int entry;
        while ((entry = index[slot]) != 0)
        {
            if (indexHashes[slot] == hash && matches(entry - 1, key, namespace, timestamp))
            {
                return false;
            }
            slot = (slot + 1) & indexMask;
        }
        final int id = allocateId();
        keys[id] = key;
        namespaces[id] = namespace;
        hashes[id] = hash;
        index[slot] = id + 1;
        indexHashes[slot] = hash;
        if (size == heapTimes.length)
        {
            growHeap();
        }
        final int position = size++;
        heapTimes[position] = timestamp;
        heapSequences[position] = nextSequence++;
        heapIds[position] = id;
        positions[id] = position;
        siftUp(position);
        if (size > index.length / 2)
        {
            growIndex();
        }
        return true;
    }

    /**
     * @return whether such a timer existed.
     */
    boolean remove(final Object key, final Object namespace, final long timestamp)
    {
        final int hash = hash(key, namespace, timestamp);
        int slot = hash & indexMask;
        int entry;
        while ((entry = index[slot]) != 0)
        {
            if (indexHashes[slot] == hash && matches(entry - 1, key, namespace, timestamp))
            {
                removeFromIndexAt(slot);
                removeFromHeap(positions[entry - 1]);
                release(entry - 1);
                return true;
            }
            slot = (slot + 1) & indexMask;
        }
        return false;
    }

    boolean isEmpty()
    {
        return size == 0;
    }

    /** @return the time of the first timer to fire; the queue must not be empty. */
    long headTimestamp()
    {
        return heapTimes[0];
    }

    /** @return the key of the first timer to fire; the queue must not be empty. */
    Object headKey()
    {
        return keys[heapIds[0]];
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
        while (index[slot] != id + 1)
        {
            slot = (slot + 1) & indexMask;
        }
        removeFromIndexAt(slot);
        removeFromHeap(0);
        release(id);
    }

    int size()
    {
        return size;
    }

    /**
     * Visits every timer in firing order; sorts a copy of the heap's order, for snapshots.
     */
    void forEachInFiringOrder(final Visitor visitor) throws IOException
    {
        final Integer[] order = new Integer[size];
        for (int position = 0; position < size; position++)
        {
            order[position] = position;
        }
        Arrays.sort(order, (a, b) -> firesBefore(a, b) ? -1 : (firesBefore(b, a) ? 1 : 0));
        for (final int position : order)
        {
            final int id = heapIds[position];
            visitor.visit(keys[id], namespaces[id], heapTimes[position]);
        }
    }

    private boolean matches(final int id, final Object key, final Object namespace, final long timestamp)
    {
        final Object heldKey = keys[id];
        final Object heldNamespace = namespaces[id];
        return heapTimes[positions[id]] == timestamp && (heldKey == key || heldKey.equals(key)) && (heldNamespace == namespace || heldNamespace.equals(namespace));
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
            namespaces = Arrays.copyOf(namespaces, capacity);
            hashes = Arrays.copyOf(hashes, capacity);
            positions = Arrays.copyOf(positions, capacity);
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

    private void removeFromHeap(final int position)
    {
        final int last = --size;
        if (position == last)
        {
            return;
        }
        moveHeapEntry(last, position);
        if (siftDown(position) == position)
        {
            siftUp(position);
        }
    }

    private void moveHeapEntry(final int from, final int to)
    {
        heapTimes[to] = heapTimes[from];
        heapSequences[to] = heapSequences[from];
        heapIds[to] = heapIds[from];
        positions[heapIds[to]] = to;
    }

    private void siftUp(final int start)
    {
        final long time = heapTimes[start];
        final long sequence = heapSequences[start];
        final int id = heapIds[start];
        int position = start;
        while (position > 0)
        {
            final int parent = (position - 1) >>> 1;
            if (time > heapTimes[parent] || (time == heapTimes[parent] && sequence > heapSequences[parent]))
            {
                break;
            }
            moveHeapEntry(parent, position);
            position = parent;
        }
        place(position, time, sequence, id);
    }

    /** @return where the entry ended. */
    private int siftDown(final int start)
    {
        final long time = heapTimes[start];
        final long sequence = heapSequences[start];
        final int id = heapIds[start];
        int position = start;
        while (true)
        {
            int child = 2 * position + 1;
            if (child >= size)
            {
                break;
            }
            if (child + 1 < size && firesBefore(child + 1, child))
            {
                child++;
            }
            if (time < heapTimes[child] || (time == heapTimes[child] && sequence < heapSequences[child]))
            {
                break;
            }
            moveHeapEntry(child, position);
            position = child;
        }
        place(position, time, sequence, id);
        return position;
    }

    private void place(final int position, final long time, final long sequence, final int id)
    {
        heapTimes[position] = time;
        heapSequences[position] = sequence;
        heapIds[position] = id;
        positions[id] = position;
    }

    private void removeFromIndexAt(final int removed)
    {
        int hole = removed;
        int slot = removed;
        while (true)
        {
            slot = (slot + 1) & indexMask;
            final int entry = index[slot];
            if (entry == 0)
            {
                break;
            }
            final int home = indexHashes[slot] & indexMask;
            // Move the entry back into the hole unless its home lies cyclically in (hole, slot].
            if (((slot - home) & indexMask) >= ((slot - hole) & indexMask))
            {
                index[hole] = entry;
                indexHashes[hole] = indexHashes[slot];
                hole = slot;
            }
        }
        index[hole] = 0;
    }

    private void growIndex()
    {
        final int[] oldIndex = index;
        final int[] oldHashes = indexHashes;
        index = new int[oldIndex.length * 2];
        indexHashes = new int[index.length];
        indexMask = index.length - 1;
        for (int old = 0; old < oldIndex.length; old++)
        {
            if (oldIndex[old] != 0)
            {
                int slot = oldHashes[old] & indexMask;
                while (index[slot] != 0)
                {
                    slot = (slot + 1) & indexMask;
                }
                index[slot] = oldIndex[old];
                indexHashes[slot] = oldHashes[old];
            }
        }
    }
}
