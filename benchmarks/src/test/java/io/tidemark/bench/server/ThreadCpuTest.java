package io.tidemark.bench.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;

class ThreadCpuTest
{
    @Test
    void theFirstFieldIsTheTimeOnACpu()
    {
        assertArrayEquals(new long[] {123_456_789_012L, 4_567L}, ThreadCpu.parseSchedstat("123456789012 4567 89\n"));
        assertThrows(IllegalArgumentException.class, () -> ThreadCpu.parseSchedstat("1 2"));
        assertThrows(IllegalArgumentException.class, () -> ThreadCpu.parseSchedstat("x 2 3"));
    }

    @Test
    void threadsAreGroupedByRole()
    {
        final Map<String, String> groups = Map.of("tidemark-networ", "event_loop", "tidemark-io-2", "io_threads", "tidemark-log-ba",
            "log_background", "C2 CompilerThre", "jit", "GC Thread#1", "gc", "G1 Refine#0", "gc", "kafka-scheduler-3", "other");
        groups.forEach((name, group) -> assertEquals(group, ThreadCpu.group(name), name));
    }

    @Test
    void theUserAndSystemTicksOfAStatLine()
    {
        assertEquals(5 + 7, ThreadCpu.parseStatTicks("42 (C2 Compiler) x) S 1 42 42 0 -1 4194560 100 0 0 0 5 7 0 0 20 0 30 0 12 0 0\n"));
        assertThrows(IllegalArgumentException.class, () -> ThreadCpu.parseStatTicks("42 (java) S 1 2"));
        assertThrows(IllegalArgumentException.class, () -> ThreadCpu.parseStatTicks("no name"));
    }

    @Test
    void newThreadsCountWholeAndEndedOnesByTheProcessTicks()
    {
        // Thread 3 ended; the process's ticks grew by 9 where the live threads' grew by 4 + 2: 3 ticks are its.
        final ThreadCpu.Snapshot before = new ThreadCpu.Snapshot(Map.of(
            1L, new ThreadCpu.Thread("tidemark-networ", 1_000, 100, 10), 2L, new ThreadCpu.Thread("C1 CompilerThre", 50, 0, 1), 3L,
            new ThreadCpu.Thread("tidemark-io-1", 7, 0, 1)), 100);
        final ThreadCpu.Snapshot after = new ThreadCpu.Snapshot(Map.of(
            1L, new ThreadCpu.Thread("tidemark-networ", 1_600, 130, 13), 2L, new ThreadCpu.Thread("C1 CompilerThre", 80, 5, 2), 4L,
            new ThreadCpu.Thread("C2 CompilerThre", 10, 1, 2)), 109);
        final ThreadCpu.Usage usage = after.since(before);
        assertEquals(30_000_000, usage.endedNanos());
        assertEquals(640 + 30_000_000, usage.nanos());
        assertEquals(Map.of("event_loop", 600L, "jit", 40L), usage.byGroup());
        assertEquals(Map.of("event_loop", 30L, "jit", 6L), usage.waitByGroup());
        assertEquals(1, usage.threadsGone());
    }

    @Test
    void aThreadIdTakenByANewThreadCountsTheNewThreadWhole()
    {
        final ThreadCpu.Snapshot before = new ThreadCpu.Snapshot(Map.of(5L, new ThreadCpu.Thread("C2 CompilerThre", 900, 0, 0)), 50);
        final ThreadCpu.Snapshot after = new ThreadCpu.Snapshot(Map.of(5L, new ThreadCpu.Thread("C2 CompilerThre", 200, 0, 0)), 50);
        final ThreadCpu.Usage usage = after.since(before);
        assertEquals(200, usage.nanos());
        assertEquals(Map.of("jit", 200L), usage.byGroup());
        assertEquals(1, usage.threadsGone());
    }

    /**
     * A thread alive at the first reading that works and ends before the second (as an idle
     * compiler thread the JVM retires): its time is in the total, from the process's ticks.
     */
    @Test
    void theTimeOfAThreadThatEndsBetweenTheReadingsIsCounted() throws Exception
    {
        final ThreadCpu self = new ThreadCpu(ProcessHandle.current().pid());
        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        final CountDownLatch go = new CountDownLatch(1);
        final long[] spun = new long[1];
        final Thread worker = new Thread(() ->
        {
            try
            {
                go.await();
            }
            catch (final InterruptedException e)
            {
                return;
            }
            // CPU time, not wall time: on a loaded machine the thread may wait for a core.
            final long start = threads.getCurrentThreadCpuTime();
            while (threads.getCurrentThreadCpuTime() - start < 300_000_000L)
            {
                spun[0]++;
            }
        });
        worker.start();
        final ThreadCpu.Snapshot before = self.read();
        go.countDown();
        worker.join();
        final ThreadCpu.Usage usage = self.read().since(before);
        assertTrue(spun[0] > 0);
        assertTrue(usage.threadsGone() >= 1, "the worker ended: " + usage);
        // 300 ms less the ticks' rounding (a few 10 ms ticks).
        assertTrue(usage.endedNanos() >= 250_000_000L, "the ended worker's time: " + usage);
        assertTrue(usage.nanos() >= usage.endedNanos(), "the total holds it: " + usage);
    }

    @Test
    void thisProcessIsReadThreadByThread() throws IOException
    {
        final ThreadCpu self = new ThreadCpu(ProcessHandle.current().pid());
        final ThreadCpu.Snapshot before = self.read();
        long spin = 0;
        final long until = System.nanoTime() + 20_000_000L;
        while (System.nanoTime() < until)
        {
            spin++;
        }
        final ThreadCpu.Usage usage = self.read().since(before);
        assertTrue(spin > 0);
        assertTrue(usage.nanos() > 0, "some CPU time between the readings: " + usage);
        assertTrue(ProcessCpu.clientNanos() > 0);
    }
}
