package io.tidemark.bench.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

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

import io.tidemark.bench.Scratch;

/**
 * The ceiling for {@link LogAppendBenchmark}: the same batch bytes written with a plain
 * {@code FileChannel.write} (and {@code force(false)} per write for {@code always}), with no
 * checking, numbering or indexing.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class FileChannelAppendBenchmark
{
    /** Records per batch. */
    @Param({"1", "10", "100", "1000"})
    public int batchSize;

    /** {@code os}: no fsync; {@code always}: fsync per write. */
    @Param({"os", "always"})
    public String flush;

    private Path dir;
    private FileChannel channel;
    private ByteBuffer batch;
    private boolean force;

    /** Builds the batch once. */
    @Setup(Level.Trial)
    public void buildBatch()
    {
        batch = Workload.batch(batchSize, System.currentTimeMillis());
        force = flush.equals("always");
    }

    /** A fresh file per iteration. */
    @Setup(Level.Iteration)
    public void openFile() throws IOException
    {
        dir = Scratch.directory("filechannel");
        channel = FileChannel.open(dir.resolve("plain.log"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    }

    /** Deletes the iteration's file. */
    @TearDown(Level.Iteration)
    public void deleteFile() throws IOException
    {
        channel.close();
        Scratch.delete(dir);
    }

    /**
     * @param counter counts records.
     * @return the bytes written.
     * @throws IOException if the write fails.
     */
    @Benchmark
    public int write(final RecordCounter counter) throws IOException
    {
        batch.position(0);
        int written = 0;
        while (batch.hasRemaining())
        {
            written += channel.write(batch);
        }
        if (force)
        {
            channel.force(false);
        }
        counter.records += batchSize;
        return written;
    }
}
