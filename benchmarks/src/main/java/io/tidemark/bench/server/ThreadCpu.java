package io.tidemark.bench.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The CPU time of another process (the broker), thread by thread, in nanoseconds: the first
 * field of Linux's {@code /proc/PID/task/TID/schedstat}, the time the thread has run on a CPU
 * as the scheduler counts it, and its second, the time it was ready to run but waited for a CPU.
 * {@code /proc/PID/stat} counts in ticks of 10 ms, a tenth of a record's whole cost at 10^6
 * records; this clock has no such step. The threads are grouped by name ({@link #group}) so
 * that a run tells where the broker's time went.
 *
 * <p>A thread that ends between two readings (the JVM retires idle compiler threads) takes its
 * schedstat with it. Its time is still in the process's user + system time, which counts ended
 * threads: the time of ended threads is the process's ticks since the first reading less the
 * live threads' ticks since it ({@code /proc/PID/task/TID/stat}), a coarse figure (each
 * thread's ticks are rounded down, so it is off by up to about a tick per busy thread) that
 * is added to the total and reported apart.
 */
final class ThreadCpu
{
    /** The kernel's clock ticks per second in {@code /proc} (USER_HZ), 100 on every Linux the benchmark runs on. */
    private static final long NANOS_PER_TICK = 10_000_000L;

    private final Path process;
    private final Path tasks;

    /**
     * @param pid the process.
     */
    ThreadCpu(final long pid)
    {
        this.process = Path.of("/proc", Long.toString(pid));
        this.tasks = process.resolve("task");
    }

    /**
     * One reading of every thread of the process.
     *
     * @param threads each thread's id, name and CPU time so far.
     * @param processTicks the process's user + system time so far in clock ticks, ended threads' included.
     */
    record Snapshot(Map<Long, Thread> threads, long processTicks)
    {
        /**
         * What each group of threads spent since an earlier reading. A thread that started
         * since counts whole; one that ended since is counted in {@link Usage#threadsGone()}
         * and its time since the earlier reading, without a group, in
         * {@link Usage#endedNanos()}. A thread id the kernel gave to a new thread (the time
         * went down, or the name changed) counts as an ended thread and a new one.
         *
         * @param before the earlier reading.
         * @return the time spent, by group.
         */
        Usage since(final Snapshot before)
        {
            final Map<String, Long> byGroup = new TreeMap<>();
            final Map<String, Long> waitByGroup = new TreeMap<>();
            long total = 0;
            long liveTicks = 0;
            int gone = 0;
            for (final Map.Entry<Long, Thread> entry : threads.entrySet())
            {
                final Thread now = entry.getValue();
                Thread earlier = before.threads.get(entry.getKey());
                if (earlier != null && !earlier.isEarlierReadingOf(now))
                {
                    gone++;
                    earlier = null;
                }
                if (earlier == null)
                {
                    earlier = new Thread(now.name(), 0, 0, 0);
                }
                final String group = group(now.name());
                byGroup.merge(group, now.nanos() - earlier.nanos(), Long::sum);
                waitByGroup.merge(group, now.waitNanos() - earlier.waitNanos(), Long::sum);
                total += now.nanos() - earlier.nanos();
                liveTicks += now.ticks() - earlier.ticks();
            }
            gone += (int)before.threads.keySet().stream().filter(tid -> !threads.containsKey(tid)).count();
            // Below zero only by the ticks' rounding: no thread ends with negative time.
            final long endedNanos = Math.max(0, processTicks - before.processTicks - liveTicks) * NANOS_PER_TICK;
            return new Usage(total + endedNanos, byGroup, waitByGroup, gone, endedNanos);
        }
    }

    /**
     * @param name the thread's name as the kernel keeps it (at most 15 characters).
     * @param nanos its time on a CPU so far.
     * @param waitNanos its time so far ready to run but waiting for a CPU.
     * @param ticks its user + system time so far in clock ticks.
     */
    record Thread(String name, long nanos, long waitNanos, long ticks)
    {
        private boolean isEarlierReadingOf(final Thread later)
        {
            return name.equals(later.name) && nanos <= later.nanos && ticks <= later.ticks;
        }
    }

    /**
     * CPU time between two readings.
     *
     * @param nanos all threads together, ended ones included.
     * @param byGroup the threads alive at the second reading, by group ({@link #group}).
     * @param waitByGroup the time each group was ready to run but waited for a CPU.
     * @param threadsGone threads that ended between the readings.
     * @param endedNanos the time of those threads since the first reading, in whole ticks of 10 ms (coarse).
     */
    record Usage(long nanos, Map<String, Long> byGroup, Map<String, Long> waitByGroup, int threadsGone, long endedNanos)
    {
    }

    /**
     * Reads every thread's CPU time now, and the process's.
     *
     * @return the reading.
     * @throws IOException if the process is gone.
     */
    Snapshot read() throws IOException
    {
        final Map<Long, Thread> threads = new HashMap<>();
        try (Stream<Path> each = Files.list(tasks))
        {
            each.forEach(task ->
            {
                try
                {
                    final long[] times = parseSchedstat(Files.readString(task.resolve("schedstat")));
                    final long ticks = parseStatTicks(Files.readString(task.resolve("stat")));
                    threads.put(Long.parseLong(task.getFileName().toString()),
                        new Thread(Files.readString(task.resolve("comm")).strip(), times[0], times[1], ticks));
                }
                catch (final NoSuchFileException e)
                {
                    // The thread ended while the list was read: the process's ticks count it.
                }
                catch (final IOException e)
                {
                    throw new UncheckedIOException(e);
                }
            });
        }
        catch (final UncheckedIOException e)
        {
            throw e.getCause();
        }
        return new Snapshot(threads, parseStatTicks(Files.readString(process.resolve("stat"))));
    }

    /**
     * The user + system time of a {@code stat} line (its 14th and 15th fields), of a process
     * or of one of its threads.
     *
     * @param line the line.
     * @return clock ticks.
     * @throws IllegalArgumentException if the line is not a stat line.
     */
    static long parseStatTicks(final String line)
    {
        // The name, second, is in parentheses and may hold spaces and parentheses itself.
        final int nameEnd = line.lastIndexOf(')');
        final String[] fields = line.substring(nameEnd + 1).strip().split(" ");
        if (nameEnd < 0 || fields.length < 13)
        {
            throw new IllegalArgumentException("not a stat line: '" + line + "'");
        }
        try
        {
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        }
        catch (final NumberFormatException e)
        {
            throw new IllegalArgumentException("not a stat line: '" + line + "'", e);
        }
    }

    /**
     * The first two of a {@code schedstat} line's three fields: the time on a CPU and the time
     * spent ready to run but waiting for one (the third is the number of time slices).
     *
     * @param line the line.
     * @return both, in nanoseconds.
     * @throws IllegalArgumentException if the line is not a schedstat line.
     */
    static long[] parseSchedstat(final String line)
    {
        final String[] fields = line.strip().split(" ");
        if (fields.length != 3)
        {
            throw new IllegalArgumentException("not a schedstat line: '" + line + "'");
        }
        try
        {
            return new long[] {Long.parseLong(fields[0]), Long.parseLong(fields[1])};
        }
        catch (final NumberFormatException e)
        {
            throw new IllegalArgumentException("not a schedstat line: '" + line + "'", e);
        }
    }

    /**
     * The group a thread's time is reported under: the broker's own threads by role, the JVM's
     * compilers as {@code jit}, its collector and safepoint threads as {@code gc}, and every
     * other thread as {@code other}.
     *
     * @param name the thread's name (the kernel keeps the first 15 characters).
     * @return a name without spaces.
     */
    static String group(final String name)
    {
        if (name.startsWith("tidemark-networ"))
        {
            return "event_loop";
        }
        if (name.startsWith("tidemark-io-"))
        {
            return "io_threads";
        }
        if (name.startsWith("tidemark-log-ba") || name.startsWith("tidemark-pretou"))
        {
            return "log_background";
        }
        if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre"))
        {
            return "jit";
        }
        if (name.startsWith("GC Thread") || name.startsWith("G1 ") || name.equals("VM Thread"))
        {
            return "gc";
        }
        return "other";
    }
}
