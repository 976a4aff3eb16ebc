package io.tidemark.bench.server;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Records moved in a measured time.
 *
 * @param records the records.
 * @param bytes their value bytes (the 100-byte payloads, not the framing around them).
 * @param nanos the wall time, in nanoseconds.
 * @param clientCpuNanos the CPU time of a client process of its own (kcat), in nanoseconds;
 *        -1 when the client is this JVM, whose CPU time the caller measures.
 */
record Throughput(long records, long bytes, long nanos, long clientCpuNanos)
{
    /**
     * A run of a client inside this JVM.
     *
     * @param records the records.
     * @param bytes their value bytes.
     * @param nanos the wall time, in nanoseconds.
     */
    Throughput(final long records, final long bytes, final long nanos)
    {
        this(records, bytes, nanos, -1);
    }

    /**
     * Records per second.
     *
     * @return the rate.
     */
    double recordsPerSecond()
    {
        return records * 1e9 / nanos;
    }

    /**
     * Megabytes (10^6 bytes) of values per second.
     *
     * @return the rate.
     */
    double megabytesPerSecond()
    {
        return bytes * 1e3 / nanos;
    }

    /**
     * Adds this run's two rates to a measurements file.
     *
     * @param out the file's samples are appended to.
     * @param workload the workload's id (L1, kcat-L3, ...).
     * @throws IOException if the file cannot be written.
     */
    void record(final Path out, final String workload) throws IOException
    {
        Measurements.append(out, workload + ".records_per_s", recordsPerSecond());
        Measurements.append(out, workload + ".mb_per_s", megabytesPerSecond());
    }
}
