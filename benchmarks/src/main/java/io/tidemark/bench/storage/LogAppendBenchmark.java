package io.tidemark.bench.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.tidemark.bench.Scratch;
import io.tidemark.log.LogConfig;
import io.tidemark.log.TopicPartition;
import io.tidemark.log.storage.SegmentedLog;
import org.agrona.concurrent.SystemEpochClock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Appending 100-byte records to a partition's log in batches of 1 to 1000, with flushing left
 * to the OS and with an fsync per append ({@code flush.messages=1}). Each call appends one
 * pre-built batch, as the broker does with a produce request: checking it (CRC), numbering it,
 * writing it, indexing it. Compare with {@link FileChannelAppendBenchmark}, the same bytes
 * written with nothing else, and with {@link ChronicleQueueBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class LogAppendBenchmark
{
    /** Records per batch. */
    @Param({"1", "10", "100", "1000"})
    public int batchSize;

    /** {@code os}: flushing left to the OS; {@code always}: fsync per append. */
    @Param({"os", "always"})
    public String flush;

    private Path dir;
    private SegmentedLog log;
    private ByteBuffer batch;

    /** Builds the batch once. */
    @Setup(Level.Trial)
    public void buildBatch()
    {
        batch = Workload.batch(batchSize, System.currentTimeMillis());
    }

    /** A fresh log per iteration, so that no iteration inherits a filled disk. */
    @Setup(Level.Iteration)
    public void openLog() throws IOException
    {
        dir = Scratch.directory("append");
        log = SegmentedLog.open(new TopicPartition("bench", 0), dir,
            LogConfig.DEFAULTS.withOverrides(Map.of(LogConfig.FLUSH_MESSAGES, flush.equals("always") ? "1" : Long.toString(Long.MAX_VALUE))),
            SystemEpochClock.INSTANCE);
    }

    /** Deletes the iteration's log. */
    @TearDown(Level.Iteration)
    public void deleteLog() throws IOException
    {
        log.close();
        Scratch.delete(dir);
    }

    /**
     * @param counter counts records.
     * @return the last offset, so the call is not eliminated.
     */
    @Benchmark
    public long append(final RecordCounter counter)
    {
        batch.position(0);
        counter.records += batchSize;
        return log.append(batch).lastOffset();
    }
}
