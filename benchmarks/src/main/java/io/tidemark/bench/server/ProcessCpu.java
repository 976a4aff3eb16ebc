package io.tidemark.bench.server;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time used so far by the broker process (user plus system, from Linux's
 * {@code /proc/PID/stat}) and by this benchmark's own JVM, so that each workload can report
 * what it cost each side per record: on a shared machine wall-clock rates swing with
 * everybody else's load, CPU per record much less.
 */
public final class ProcessCpu
{
    /** Linux reports process times in clock ticks of USER_HZ, 100 per second on every mainstream architecture. */
    private static final long NANOS_PER_TICK = 10_000_000L;
    /** utime and stime are fields 14 and 15 of the stat line; counted here from the field after the name. */
    private static final int UTIME_AFTER_NAME = 11;

    private final Path stat;

    /**
     * @param brokerPid the broker's process id, or 0 to measure no broker.
     */
    ProcessCpu(final long brokerPid)
    {
        this.stat = brokerPid > 0 ? Path.of("/proc", Long.toString(brokerPid), "stat") : null;
    }

    /**
     * The broker's CPU time so far.
     *
     * @return nanoseconds, or -1 if no broker is measured.
     * @throws IOException if its stat file cannot be read (the process is gone).
     */
    long brokerNanos() throws IOException
    {
        return stat == null ? -1 : parseStat(Files.readString(stat));
    }

    /**
     * This JVM's CPU time so far, every thread.
     *
     * @return nanoseconds, or -1 if the JVM cannot tell.
     */
    public static long clientNanos()
    {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os ?
            os.getProcessCpuTime() : -1;
    }

    /**
     * User plus system time from a {@code /proc/PID/stat} line. The process name (field 2) is
     * in parentheses and may itself hold spaces and parentheses, so fields are counted from
     * the last closing parenthesis.
     *
     * @param line the stat line.
     * @return nanoseconds.
     * @throws IllegalArgumentException if the line is not a stat line.
     */
    static long parseStat(final String line)
    {
        final int nameEnd = line.lastIndexOf(')');
        final String[] fields = line.substring(nameEnd + 1).strip().split("\\s+");
        if (nameEnd < 0 || fields.length < UTIME_AFTER_NAME + 2)
        {
            throw new IllegalArgumentException("not a /proc/PID/stat line: '" + line + "'");
        }
        try
        {
            return (Long.parseLong(fields[UTIME_AFTER_NAME]) + Long.parseLong(fields[UTIME_AFTER_NAME + 1])) * NANOS_PER_TICK;
        }
        catch (final NumberFormatException e)
        {
            throw new IllegalArgumentException("not a /proc/PID/stat line: '" + line + "'", e);
        }
    }
}
