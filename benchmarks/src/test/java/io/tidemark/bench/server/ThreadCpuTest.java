package io.tidemark.bench.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Map;

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
    void newThreadsCountWholeAndEndedOnesAreCounted()
    {
        final ThreadCpu.Snapshot before = new ThreadCpu.Snapshot(Map.of(
            1L, new ThreadCpu.Thread("tidemark-networ", 1_000, 100), 2L, new ThreadCpu.Thread("C1 CompilerThre", 50, 0), 3L,
            new ThreadCpu.Thread("tidemark-io-1", 7, 0)));
        final ThreadCpu.Snapshot after = new ThreadCpu.Snapshot(Map.of(
            1L, new ThreadCpu.Thread("tidemark-networ", 1_600, 130), 2L, new ThreadCpu.Thread("C1 CompilerThre", 80, 5), 4L,
            new ThreadCpu.Thread("C2 CompilerThre", 10, 1)));
        final ThreadCpu.Usage usage = after.since(before);
        assertEquals(640, usage.nanos());
        assertEquals(Map.of("event_loop", 600L, "jit", 40L), usage.byGroup());
        assertEquals(Map.of("event_loop", 30L, "jit", 6L), usage.waitByGroup());
        assertEquals(1, usage.threadsGone());
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
