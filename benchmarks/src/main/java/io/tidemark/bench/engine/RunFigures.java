package io.tidemark.bench.engine;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * What one engine run reports beside an anchor: the JVM's garbage collections so far and the
 * result lines that {@code benchmarks/engine-vs-flink.sh} reads. Plain JDK, so that the Flink
 * anchor ({@code benchmarks/flink-anchor}) compiles it in and both sides print the very same
 * lines.
 */
public final class RunFigures
{
    /** The label of a measured run's line. */
    public static final String MEASURED = "RESULT";
    /** The label of a warm-up run's line: printed, never counted. */
    public static final String WARMUP = "WARMUP";

    private RunFigures()
    {
    }

    /**
     * @return the collections of every garbage collector of this JVM so far.
     */
    public static long gcCount()
    {
        long count = 0;
        for (final GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans())
        {
            count += Math.max(0, gc.getCollectionCount());
        }
        return count;
    }

    /**
     * @return the milliseconds every garbage collector of this JVM has spent so far.
     */
    public static long gcMillis()
    {
        long millis = 0;
        for (final GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans())
        {
            millis += Math.max(0, gc.getCollectionTime());
        }
        return millis;
    }

    /**
     * @param label     {@link #MEASURED} or {@link #WARMUP}.
     * @param system    {@code tidemark} or the anchor's name.
     * @param workload  the workload's id, as the script names it.
     * @param events    the events of the run.
     * @param nanos     wall time from the first event to the end of the job.
     * @param checksum  the run's checksum, already checked.
     * @param gcCount   the collections during the run.
     * @param gcMillis  their milliseconds.
     * @return the line of a throughput run, with the peak RSS of this JVM so far.
     */
    public static String throughput(final String label, final String system, final String workload, final long events, final long nanos,
                                    final long checksum, final long gcCount, final long gcMillis)
    {
        return String.format(Locale.ROOT, "%s %s %s events=%d nanos=%d eventsPerSecond=%.0f gcCount=%d gcMillis=%d peakRssBytes=%d checksum=%d",
            label, system, workload, events, nanos, events * 1e9 / nanos, gcCount, gcMillis, PeakRss.bytes(), checksum);
    }

    /**
     * @param system       {@code tidemark} or the anchor's name.
     * @param timeout      the channel flush timeout asked for, in nanoseconds, or {@code default}.
     * @param events       the events measured (after the warm-up).
     * @param ratePerSecond the rate those events were made at: their number over the span
     *                     from the first one's creation to the last one's.
     * @param p50Nanos     the median latency.
     * @param p99Nanos     the 99th percentile.
     * @param p999Nanos    the 99.9th percentile.
     * @param maxNanos     the greatest latency.
     * @param gcCount      the collections during the job, warm-up included.
     * @param gcMillis     their milliseconds.
     * @return the line of a latency run, with the peak RSS of this JVM so far.
     */
    public static String latency(final String system, final String timeout, final long events, final double ratePerSecond, final long p50Nanos,
                                 final long p99Nanos, final long p999Nanos, final long maxNanos, final long gcCount, final long gcMillis)
    {
        return String.format(Locale.ROOT, "%s %s W5 timeout=%s events=%d eventsPerSecond=%.0f p50Nanos=%d p99Nanos=%d p999Nanos=%d maxNanos=%d "
            + "gcCount=%d gcMillis=%d peakRssBytes=%d", MEASURED, system, timeout, events, ratePerSecond, p50Nanos, p99Nanos, p999Nanos, maxNanos, gcCount,
            gcMillis, PeakRss.bytes());
    }
}
