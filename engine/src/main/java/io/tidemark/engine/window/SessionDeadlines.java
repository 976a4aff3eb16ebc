package io.tidemark.engine.window;

import java.util.Arrays;

/**
 * The firing times of open sessions: a 4-ary min-heap of {@code (time, session)} pairs, both
 * held in one primitive array, so that scheduling allocates nothing and the heap costs 16
 * bytes a session instead of a timer object each. With a million open sessions the heap
 * does not fit in cache and every level is a miss: four children a node halve the levels
 * of a binary heap, and a node's children and their sessions lie side by side in one or
 * two cache lines.
 *
 * <p>Entries are never updated or deleted in place: when a session grows, its entry stays
 * where it is, and the owner re-schedules the session when the stale entry comes up (it
 * compares the entry's time with the time it last scheduled). A session thus has one live
 * entry however many records extend it, and a record costs no heap operation at all.
 */
final class SessionDeadlines
{
    private static final int ARITY = 4;

    // Entry i is heap[2 * i] (its time) and heap[2 * i + 1] (its session); the children of
    // entry i are entries ARITY * i + 1 to ARITY * i + ARITY.
    private long[] heap = new long[2 * 64];
    private int size;

    /**
     * @param time    when the session is due.
     * @param session the session's id.
     */
    void add(final long time, final int session)
    {
        if (2 * size == heap.length)
        {
            heap = Arrays.copyOf(heap, heap.length * 2);
        }
        final long[] h = heap;
        int position = size++;
        // Sift up; new sessions are mostly due later than all others, so this rarely moves.
        while (position > 0)
        {
            final int parent = (position - 1) / ARITY;
            final long parentTime = h[2 * parent];
            if (parentTime <= time)
            {
                break;
            }
            h[2 * position] = parentTime;
            h[2 * position + 1] = h[2 * parent + 1];
            position = parent;
        }
        h[2 * position] = time;
        h[2 * position + 1] = session;
    }

    boolean isEmpty()
    {
        return size == 0;
    }

    /**
     * @return the earliest time; the heap must not be empty.
     */
    long peekTime()
    {
        return heap[0];
    }

    /**
     * @return the session of the earliest entry; the heap must not be empty.
     */
    int peekSession()
    {
        return (int)heap[1];
    }

    /** Removes the earliest entry; the heap must not be empty. */
    void removeFirst()
    {
        final long[] h = heap;
        final int last = --size;
        final long time = h[2 * last];
        final long session = h[2 * last + 1];
        int position = 0;
        while (true)
        {
            final int first = ARITY * position + 1;
            if (first >= last)
            {
                break;
            }
            final int end = Math.min(first + ARITY, last);
            int earliest = first;
            long earliestTime = h[2 * first];
            for (int child = first + 1; child < end; child++)
            {
                final long childTime = h[2 * child];
                if (childTime < earliestTime)
                {
                    earliest = child;
                    earliestTime = childTime;
                }
            }
            if (earliestTime >= time)
            {
                break;
            }
            h[2 * position] = earliestTime;
            h[2 * position + 1] = h[2 * earliest + 1];
            position = earliest;
        }
        h[2 * position] = time;
        h[2 * position + 1] = session;
    }

    int size()
    {
        return size;
    }
}
