package io.tidemark.bench.server;

import java.lang.management.ManagementFactory;

/**
 * The CPU time used so far by this benchmark's own JVM, so that a workload can report what the
 * client cost per record (the broker's is read thread by thread, {@link ThreadCpu}).
 */
public final class ProcessCpu
{
    private ProcessCpu()
    {
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
}
