package io.tidemark.bench.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import io.tidemark.bench.Scratch;
import io.tidemark.log.LogSlice;
import io.tidemark.log.record.Record;
import io.tidemark.log.record.RecordBatchCursor;
import io.tidemark.log.storage.SegmentedLog;
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
 * Reading a log sequentially as an embedded consumer does: {@code read(offset, 1 MiB)}, then
 * every record of every whole batch in place, touching each value; either over the slice's
 * memory-mapped view ({@link LogSlice#buffer()}, no copy) or after copying the slice into a
 * reused direct buffer ({@link LogSlice#readInto}, one {@code pread}).
 * The log (5 million 100-byte records in batches of 100) is in the page cache, as a tailing
 * consumer's data is. Compare with the Chronicle tailer in {@link ChronicleQueueBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class LogReadBenchmark
{
    private static final int RECORDS = 5_000_000;
    private static final int FETCH_BYTES = 1 << 20;

    private Path dir;
    private SegmentedLog log;
    private final ByteBuffer fetched = ByteBuffer.allocateDirect(FETCH_BYTES + (64 << 10));
    private final RecordBatchCursor cursor = new RecordBatchCursor();
    private long next;

    /** Fills the log once. */
    @Setup(Level.Trial)
    public void fill() throws IOException
    {
        dir = Scratch.directory("read");
        log = Workload.filledLog(dir, RECORDS);
    }

    /** Deletes the log. */
    @TearDown(Level.Trial)
    public void delete() throws IOException
    {
        log.close();
        Scratch.delete(dir);
    }

    /**
     * One fetch over the mapped view, and the walk over its records.
     *
     * @param counter counts records.
     * @return a checksum of the first byte of every value.
     * @throws IOException if the read fails.
     */
    @Benchmark
    public long mappedFetch(final RecordCounter counter) throws IOException
    {
        return iterate(nextSlice().buffer(), counter);
    }

    /**
     * One fetch copied into a buffer, and the walk over its records.
     *
     * @param counter counts records.
     * @return a checksum of the first byte of every value.
     * @throws IOException if the read fails.
     */
    @Benchmark
    public long copiedFetch(final RecordCounter counter) throws IOException
    {
        final LogSlice slice = nextSlice();
        fetched.clear();
        slice.readInto(fetched);
        return iterate(fetched.flip(), counter);
    }

    private LogSlice nextSlice()
    {
        if (next >= log.logEndOffset())
        {
            next = 0;
        }
        return log.read(next, FETCH_BYTES);
    }

    private long iterate(final ByteBuffer bytes, final RecordCounter counter)
    {
        cursor.wrap(bytes, false);
        long checksum = 0;
        long records = 0;
        while (cursor.next())
        {
            final Record record = cursor.batch().records();
            while (record.next())
            {
                checksum += record.buffer().get(record.valueOffset());
                records++;
            }
            next = cursor.batch().lastOffset() + 1;
        }
        counter.records += records;
        return checksum;
    }
}
