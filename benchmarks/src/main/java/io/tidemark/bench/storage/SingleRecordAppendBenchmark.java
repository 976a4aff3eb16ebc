package io.tidemark.bench.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import io.tidemark.bench.Scratch;
import io.tidemark.log.LogConfig;
import io.tidemark.log.TopicPartition;
import io.tidemark.log.record.RecordBatchBuilder;
import io.tidemark.log.storage.SegmentedLog;
import org.agrona.concurrent.SystemEpochClock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One record per call, as an embedded writer appends events as they arrive: the twin of
 * {@link ChronicleQueueBenchmark#append} (one 100-byte excerpt per call), run beside it.
 * The record has a 100-byte value and no key, the log the default configuration (flushing
 * left to the OS, as Chronicle's). {@code appendRecord} is the log's single-record call;
 * {@code appendBatchOfOne} is what a writer had to do before it: build a batch of one record
 * and {@code append} it. {@code appendRecordNow} leaves the timestamp to the log, which stamps
 * the record with the clock read it makes for its roll and flush policy anyway: one clock read
 * per record instead of two.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SingleRecordAppendBenchmark
{
    private final byte[] value = new byte[Workload.VALUE_SIZE];
    private final RecordBatchBuilder builder = new RecordBatchBuilder();
    private final ByteBuffer batch = ByteBuffer.allocateDirect(256);
    private Path dir;
    private SegmentedLog log;

    /** A fresh log per iteration, as Chronicle's queue. */
    @Setup(Level.Iteration)
    public void openLog() throws IOException
    {
        dir = Scratch.directory("append-record");
        log = SegmentedLog.open(new TopicPartition("bench", 0), dir, LogConfig.DEFAULTS, SystemEpochClock.INSTANCE);
    }

    /** Deletes the iteration's log. */
    @TearDown(Level.Iteration)
    public void deleteLog() throws IOException
    {
        log.close();
        Scratch.delete(dir);
    }

    /**
     * @return the record's offset.
     */
    @Benchmark
    public long appendRecord()
    {
        return log.appendRecord(System.currentTimeMillis(), null, value);
    }

    /**
     * @return the record's offset.
     */
    @Benchmark
    public long appendRecordNow()
    {
        return log.appendRecord(null, value);
    }

    /**
     * @return the record's offset.
     */
    @Benchmark
    public long appendBatchOfOne()
    {
        builder.begin(batch.clear(), 0, batch.capacity()).append(System.currentTimeMillis(), null, value);
        batch.limit(builder.finish());
        return log.append(batch).firstOffset();
    }
}
