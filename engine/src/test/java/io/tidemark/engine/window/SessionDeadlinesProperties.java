package io.tidemark.engine.window;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** The deadline heap hands out its entries in time order, each exactly once, as a priority queue does. */
class SessionDeadlinesProperties
{
    @Property(tries = 200)
    void entriesComeOutInTimeOrderEachOnce(@ForAll final long seed, @ForAll @IntRange(min = 0, max = 2_000) final int operations,
        @ForAll @IntRange(min = 1, max = 1_000) final int timeRange)
    {
        final Random random = new Random(seed);
        final SessionDeadlines deadlines = new SessionDeadlines();
        final PriorityQueue<long[]> expected = new PriorityQueue<>((a, b) -> Long.compare(a[0], b[0]));
        final List<Long> added = new ArrayList<>();
        final List<Long> removed = new ArrayList<>();
        for (int i = 0; i < operations; i++)
        {
            if (expected.isEmpty() || random.nextInt(3) > 0)
            {
                final long time = random.nextInt(timeRange) - timeRange / 2;
                deadlines.add(time, i);
                expected.add(new long[] {time, i});
                added.add(time * 1_000_000 + i);
            }
            else
            {
                assertEquals(expected.poll()[0], deadlines.peekTime());
                removed.add(deadlines.peekTime() * 1_000_000 + deadlines.peekSession());
                deadlines.removeFirst();
            }
            assertEquals(expected.size(), deadlines.size());
        }
        while (!deadlines.isEmpty())
        {
            assertEquals(expected.poll()[0], deadlines.peekTime());
            removed.add(deadlines.peekTime() * 1_000_000 + deadlines.peekSession());
            deadlines.removeFirst();
        }
        assertTrue(expected.isEmpty());
        added.sort(null);
        removed.sort(null);
        assertEquals(added, removed, "every (time, session) comes out once");
    }
}
