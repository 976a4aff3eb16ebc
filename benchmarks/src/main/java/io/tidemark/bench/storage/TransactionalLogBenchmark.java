package io.tidemark.bench.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

import io.tidemark.bench.Scratch;
import io.tidemark.log.LogConfig;
import io.tidemark.log.TopicPartition;
import io.tidemark.log.TransactionMarker;
import io.tidemark.log.TransactionResult;
import io.tidemark.log.record.RecordBatchLayout;
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
 * What transactions cost a partition's log. {@link #append}: batches of 10 100-byte records
 * from one producer, idempotent ({@code markerEvery=0}) or transactional with a commit marker
 * after every {@code markerEvery} batches (flushing left to the OS). Each call appends one
 * batch, stamping its sequence number and CRC first in every mode, and the marker when due.
 * {@link ReadState}: {@code read(offset, 1 MiB)} against {@code read(offset, 1 MiB, maxOffset)}
 * with the bound at the log end (a read-committed fetch with no transaction open) and inside
 * the slice (one held back by an open transaction), over a log in the page cache.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TransactionalLogBenchmark
{
    private static final int RECORDS_PER_BATCH = 10;
    private static final long PRODUCER = 1;

    /** The appending side. */
    @State(Scope.Thread)
    public static class AppendState
    {
        /** 0: idempotent appends, no transaction; N: a transaction of N batches, then its commit marker. */
        @Param({"0", "1", "10", "100"})
        public int markerEvery;

        private final CRC32C crc = new CRC32C();
        private Path dir;
        private SegmentedLog log;
        private ByteBuffer batch;
        private int sequence;
        private int batchesInTransaction;

        /** Builds the batch once. */
        @Setup(Level.Trial)
        public void buildBatch()
        {
            batch = Workload.batch(RECORDS_PER_BATCH, System.currentTimeMillis());
            final int attributes = batch.getShort(RecordBatchLayout.ATTRIBUTES_OFFSET) |
                (markerEvery > 0 ? RecordBatchLayout.TRANSACTIONAL_FLAG_MASK : 0);
            batch.putShort(RecordBatchLayout.ATTRIBUTES_OFFSET, (short)attributes);
            batch.putLong(RecordBatchLayout.PRODUCER_ID_OFFSET, PRODUCER);
            batch.putShort(RecordBatchLayout.PRODUCER_EPOCH_OFFSET, (short)0);
        }

        /** A fresh log per iteration. */
        @Setup(Level.Iteration)
        public void openLog() throws IOException
        {
            dir = Scratch.directory("txn-append");
            log = SegmentedLog.open(new TopicPartition("bench", 0), dir,
                LogConfig.DEFAULTS.withOverrides(Map.of(LogConfig.FLUSH_MESSAGES, Long.toString(Long.MAX_VALUE))), SystemEpochClock.INSTANCE);
            sequence = 0;
            batchesInTransaction = 0;
        }

        /** Deletes the iteration's log. */
        @TearDown(Level.Iteration)
        public void deleteLog() throws IOException
        {
            log.close();
            Scratch.delete(dir);
        }

        private ByteBuffer next()
        {
            batch.putInt(RecordBatchLayout.BASE_SEQUENCE_OFFSET, sequence);
            crc.reset();
            crc.update(batch.duplicate().position(RecordBatchLayout.ATTRIBUTES_OFFSET));
            batch.putInt(RecordBatchLayout.CRC_OFFSET, (int)crc.getValue());
            sequence += RECORDS_PER_BATCH;
            return batch.position(0);
        }
    }

    /** The reading side: a log of a million records in batches of 100. */
    @State(Scope.Thread)
    public static class ReadState
    {
        private static final int RECORDS = 1_000_000;
        private static final int FETCH_BYTES = 1 << 20;
        private static final int STEP = 10_000;

        /** {@code none}: {@code read(offset, max)}; {@code end}: bounded at the log end; {@code inside}: bounded within the slice. */
        @Param({"none", "end", "inside"})
        public String bound;

        private Path dir;
        private SegmentedLog log;
        private long next;

        /** Fills the log once. */
        @Setup(Level.Trial)
        public void fill() throws IOException
        {
            dir = Scratch.directory("txn-read");
            log = Workload.filledLog(dir, RECORDS);
        }

        /** Deletes the log. */
        @TearDown(Level.Trial)
        public void delete() throws IOException
        {
            log.close();
            Scratch.delete(dir);
        }
    }

    /**
     * @param state the log and the batch.
     * @param counter counts records.
     * @return the last offset, so the call is not eliminated.
     */
    @Benchmark
    public long append(final AppendState state, final RecordCounter counter)
    {
        final long last = state.log.append(state.next()).lastOffset();
        counter.records += RECORDS_PER_BATCH;
        if (state.markerEvery > 0 && ++state.batchesInTransaction == state.markerEvery)
        {
            state.log.appendMarker(new TransactionMarker(PRODUCER, (short)0, 0, TransactionResult.COMMIT));
            state.batchesInTransaction = 0;
            state.sequence = 0;
        }
        return last;
    }

    /**
     * One fetch, bounded or not; the slice is not walked (that cost is the same either way).
     *
     * @param state the log.
     * @return the slice's size, so the call is not eliminated.
     */
    @Benchmark
    public int read(final ReadState state)
    {
        final long offset = state.next;
        state.next = offset + ReadState.STEP >= ReadState.RECORDS ? 0 : offset + ReadState.STEP;
        return switch (state.bound)
        {
            case "none" -> state.log.read(offset, ReadState.FETCH_BYTES).sizeInBytes();
            case "end" -> state.log.read(offset, ReadState.FETCH_BYTES, state.log.lastStableOffset()).sizeInBytes();
            default -> state.log.read(offset, ReadState.FETCH_BYTES, offset + ReadState.STEP / 2).sizeInBytes();
        };
    }
}
