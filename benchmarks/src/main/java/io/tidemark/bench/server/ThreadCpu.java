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
 */
final class ThreadCpu
{
    private final Path tasks;

    /**
     * @param pid the process.
     */
    ThreadCpu(final long pid)
    {
        this.tasks = Path.of("/proc", Long.toString(pid), "task");
    }

    /**
     * One reading of every thread of the process.
     *
     * @param threads each thread's id, name and CPU time so far.
     */
    record Snapshot(Map<Long, Thread> threads)
    {
        /**
         * What each group of threads spent since an earlier reading. A thread that started
         * since counts whole; one that ended since is lost with its time after the earlier
         * reading, and is counted in {@link Usage#threadsGone()}.
         *
         * @param before the earlier reading.
         * @return the time spent, by group.
         */
        Usage since(final Snapshot before)
        {
            final Map<String, Long> byGroup = new TreeMap<>();
            final Map<String, Long> waitByGroup = new TreeMap<>();
            long total = 0;
            for (final Map.Entry<Long, Thread> entry : threads.entrySet())
            {
                final Thread now = entry.getValue();
                final Thread earlier = before.threads.getOrDefault(entry.getKey(), new Thread(now.name(), 0, 0));
                final String group = group(now.name());
                byGroup.merge(group, now.nanos() - earlier.nanos(), Long::sum);
                waitByGroup.merge(group, now.waitNanos() - earlier.waitNanos(), Long::sum);
                total += now.nanos() - earlier.nanos();
            }
            final int gone = (int)before.threads.keySet().stream().filter(tid -> !threads.containsKey(tid)).count();
            return new Usage(total, byGroup, waitByGroup, gone);
        }
    }

    /**
     * @param name the thread's name as the kernel keeps it (at most 15 characters).
     * @param nanos its time on a CPU so far.
     * @param waitNanos its time so far ready to run but waiting for a CPU.
     */
    record Thread(String name, long nanos, long waitNanos)
    {
    }

    /**
     * CPU time between two readings.
     *
     * @param nanos all threads together.
     * @param byGroup by group of threads ({@link #group}).
     * @param waitByGroup the time each group was ready to run but waited for a CPU.
     * @param threadsGone threads that ended between the readings, whose last moments are not counted.
     */
    record Usage(long nanos, Map<String, Long> byGroup, Map<String, Long> waitByGroup, int threadsGone)
    {
    }

    /**
     * Reads every thread's CPU time now.
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
                    threads.put(Long.parseLong(task.getFileName().toString()), new Thread(Files.readString(task.resolve("comm")).strip(), times[0], times[1]));
                }
                catch (final NoSuchFileException e)
                {
                    // The thread ended while the list was read: it is counted as gone.
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
        return new Snapshot(threads);
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
