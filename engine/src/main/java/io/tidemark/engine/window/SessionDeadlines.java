package io.tidemark.engine.window;

import java.util.Arrays;

/**
 * The firing times of open sessions: a binary min-heap of {@code (time, session)} pairs in
 * two primitive arrays, so that scheduling allocates nothing and the heap costs 12 bytes a
 * session instead of a timer object each.
 *
 * <p>Entries are never updated or deleted in place: when a session grows, its entry stays
 * where it is, and the owner re-schedules the session when the stale entry comes up (it
 * compares the entry's time with the time it last scheduled). A session thus has one live
 * entry however many records extend it, and a record costs no heap operation at all.
 */
final class SessionDeadlines
{
    private long[] times = new long[64];
    private int[] sessions = new int[64];
    private int size;

    /**
     * @param time    when the session is due.
     * @param session the session's id.
     */
    void add(final long time, final int session)
    {
        if (size == times.length)
        {
            times = Arrays.copyOf(times, size * 2);
            sessions = Arrays.copyOf(sessions, size * 2);
        }
        int position = size++;
        // Sift up; new sessions are mostly due later than all others, so this rarely moves.
        while (position > 0)
        {
            final int parent = (position - 1) >>> 1;
            if (times[parent] <= time)
            {
                break;
            }
            times[position] = times[parent];
            sessions[position] = sessions[parent];
            position = parent;
        }
        times[position] = time;
        sessions[position] = session;
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
        return times[0];
    }

    /**
     * @return the session of the earliest entry; the heap must not be empty.
     */
    int peekSession()
    {
        return sessions[0];
    }

    /** Removes the earliest entry; the heap must not be empty. */
    void removeFirst()
    {
        final int last = --size;
        final long time = times[last];
        final int session = sessions[last];
        int position = 0;
        while (true)
        {
            int child = 2 * position + 1;
            if (child >= last)
            {
                break;
            }
            if (child + 1 < last && times[child + 1] < times[child])
            {
                child++;
            }
            if (times[child] >= time)
            {
                break;
            }
            times[position] = times[child];
            sessions[position] = sessions[child];
            position = child;
        }
        times[position] = time;
        sessions[position] = session;
    }

    int size()
    {
        return size;
    }
}
