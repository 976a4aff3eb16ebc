package io.tidemark.bench.engine;

import org.HdrHistogram.Histogram;

/**
 * The latencies of W5's events in an HdrHistogram, with the creation times of the first and
 * last event recorded, which give the rate the source achieved. A sink writer records into one
 * of its own and adds it to the job's total at the end. Shared by Tidemark's {@code LatencyRun}
 * and the Flink anchor's {@code LatencyFlink} (which compiles it in), so that both sides
 * measure alike.
 */
public final class Latencies
{
    private final Histogram histogram = new Histogram(3_600_000_000_000L, 3);
    private long firstCreatedNanos = Long.MAX_VALUE;
    private long lastCreatedNanos = Long.MIN_VALUE;

    /**
     * @param createdNanos  {@code System.nanoTime()} when the event was made.
     * @param latencyNanos  how long after that it reached the sink.
     */
    public void record(final long createdNanos, final long latencyNanos)
    {
        histogram.recordValue(latencyNanos);
        firstCreatedNanos = Math.min(firstCreatedNanos, createdNanos);
        lastCreatedNanos = Math.max(lastCreatedNanos, createdNanos);
    }

    /**
     * Adds what this one recorded to {@code total}, under {@code total}'s lock, and starts
     * afresh.
     *
     * @param total the job's latencies, which every writer adds to.
     */
    public void addTo(final Latencies total)
    {
        synchronized (total)
        {
            total.histogram.add(histogram);
            total.firstCreatedNanos = Math.min(total.firstCreatedNanos, firstCreatedNanos);
            total.lastCreatedNanos = Math.max(total.lastCreatedNanos, lastCreatedNanos);
        }
        histogram.reset();
        firstCreatedNanos = Long.MAX_VALUE;
        lastCreatedNanos = Long.MIN_VALUE;
    }

    /**
     * @return the latencies recorded, in nanoseconds; read it once the writers have added theirs.
     */
    public synchronized Histogram histogram()
    {
        return histogram;
    }

    /**
     * @return the events recorded per second of their creation times.
     */
    public synchronized double ratePerSecond()
    {
        return histogram.getTotalCount() * 1e9 / Math.max(1, lastCreatedNanos - firstCreatedNanos);
    }

    /**
     * @param system   {@code tidemark} or the anchor's name.
     * @param timeout  the channel flush timeout asked for, as the command line gave it.
     * @param gcCount  the collections during the job.
     * @param gcMillis their milliseconds.
     * @return the {@code RESULT} line of a W5 run that {@code benchmarks/engine-vs-flink.sh}
     * reads, with the peak RSS of this JVM so far.
     */
    public synchronized String resultLine(final String system, final String timeout, final long gcCount, final long gcMillis)
    {
        return RunFigures.latency(system, timeout, histogram.getTotalCount(), ratePerSecond(), histogram.getValueAtPercentile(50),
            histogram.getValueAtPercentile(99), histogram.getValueAtPercentile(99.9), histogram.getMaxValue(), gcCount, gcMillis);
    }
}
