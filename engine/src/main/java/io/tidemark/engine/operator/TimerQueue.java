package io.tidemark.engine.operator;

import io.tidemark.engine.state.KeyGroups;
import java.util.Arrays;

/**
 * The timers of one time domain of one operator subtask: a binary min-heap ordered by time
 * (then registration order), plus an open-addressing hash index on (key, namespace, time)
 * so that registering an existing timer is a lookup that allocates nothing (a window's
 * trigger registers the same timer for every record) and deleting one is
 * {@code O(log n)}.
 */
final class TimerQueue
{
    private InternalTimer[] heap = new InternalTimer[16];
    private int size;
    private InternalTimer[] index = new InternalTimer[32];
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
        InternalTimer candidate;
        while ((candidate = index[slot]) != null)
        {
            if (candidate.hash == hash && candidate.matches(key, namespace, timestamp))
            {
                return false;
            }
            slot = (slot + 1) & indexMask;
        }
        final InternalTimer timer = new InternalTimer(key, namespace, timestamp, nextSequence++, hash);
        index[slot] = timer;
        if (size == heap.length)
        {
            heap = Arrays.copyOf(heap, size * 2);
        }
        timer.heapIndex = size;
        heap[size++] = timer;
        siftUp(timer.heapIndex);
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
        InternalTimer candidate;
        while ((candidate = index[slot]) != null)
        {
            if (candidate.hash == hash && candidate.matches(key, namespace, timestamp))
            {
                removeFromIndexAt(slot);
                removeFromHeap(candidate.heapIndex);
                return true;
            }
            slot = (slot + 1) & indexMask;
        }
        return false;
    }

    InternalTimer peek()
    {
        return size == 0 ? null : heap[0];
    }

    InternalTimer poll()
    {
        final InternalTimer head = heap[0];
        int slot = head.hash & indexMask;
        while (index[slot] != head)
        {
            slot = (slot + 1) & indexMask;
        }
        removeFromIndexAt(slot);
        removeFromHeap(0);
        return head;
    }

    int size()
    {
        return size;
    }

    /**
     * @return the timers in firing order; a copy.
     */
    InternalTimer[] sorted()
    {
        final InternalTimer[] copy = Arrays.copyOf(heap, size);
        Arrays.sort(copy, (a, b) -> a.firesBefore(b) ? -1 : (b.firesBefore(a) ? 1 : 0));
        return copy;
    }

    private void removeFromHeap(final int position)
    {
        final InternalTimer last = heap[--size];
        heap[size] = null;
        if (position == size)
        {
            return;
        }
        heap[position] = last;
        last.heapIndex = position;
        siftDown(position);
        siftUp(last.heapIndex);
    }

    private void siftUp(final int start)
    {
        int position = start;
        final InternalTimer timer = heap[position];
        while (position > 0)
        {
            final int parent = (position - 1) >>> 1;
            if (!timer.firesBefore(heap[parent]))
            {
                break;
            }
            heap[position] = heap[parent];
            heap[position].heapIndex = position;
            position = parent;
        }
        heap[position] = timer;
        timer.heapIndex = position;
    }

    private void siftDown(final int start)
    {
        int position = start;
        final InternalTimer timer = heap[position];
        while (true)
        {
            int child = 2 * position + 1;
            if (child >= size)
            {
                break;
            }
            if (child + 1 < size && heap[child + 1].firesBefore(heap[child]))
            {
                child++;
            }
            if (!heap[child].firesBefore(timer))
            {
                break;
            }
            heap[position] = heap[child];
            heap[position].heapIndex = position;
            position = child;
        }
        heap[position] = timer;
        timer.heapIndex = position;
    }

    private void removeFromIndexAt(final int removed)
    {
        int hole = removed;
        int slot = removed;
        while (true)
        {
            slot = (slot + 1) & indexMask;
            final InternalTimer timer = index[slot];
            if (timer == null)
            {
                break;
            }
            final int home = timer.hash & indexMask;
            if (((slot - home) & indexMask) >= ((slot - hole) & indexMask))
            {
                index[hole] = timer;
                hole = slot;
            }
        }
        index[hole] = null;
    }

    private void growIndex()
    {
        final InternalTimer[] old = index;
        index = new InternalTimer[old.length * 2];
        indexMask = index.length - 1;
        for (final InternalTimer timer : old)
        {
            if (timer != null)
            {
                int slot = timer.hash & indexMask;
                while (index[slot] != null)
                {
                    slot = (slot + 1) & indexMask;
                }
                index[slot] = timer;
            }
        }
    }
}
