package io.tidemark.bench.storage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import net.openhft.chronicle.bytes.BytesStore;
import net.openhft.chronicle.bytes.ReadBytesMarshallable;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import io.tidemark.bench.Scratch;

/**
 * The anchor for the storage figures: Chronicle Queue (memory-mapped, one appender) appending
 * the same 100-byte records one excerpt each, and a tailer reading them back. One call of
 * {@link #append} is one record, of {@link #appendHundred} a hundred; both score records/s.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ChronicleQueueBenchmark
{
    /** Excerpts per call of {@link #appendHundred}. */
    static final int PER_CALL = 100;

    /** A queue written by the append benchmark. */
    @State(Scope.Thread)
    public static class Appending
    {
        private Path dir;
        private ChronicleQueue queue;
        private ExcerptAppender appender;
        private final BytesStore<?, ?> record = BytesStore.wrap(new byte[Workload.VALUE_SIZE]);

        /** A fresh queue per iteration. */
        @Setup(Level.Iteration)
        public void open() throws IOException
        {
            dir = Scratch.directory("chronicle-append");
            queue = ChronicleQueue.singleBuilder(dir).build();
            appender = queue.createAppender();
        }

        /** Deletes the iteration's queue. */
        @TearDown(Level.Iteration)
        public void close() throws IOException
        {
            appender.close();
            queue.close();
            Scratch.delete(dir);
        }
    }

    /** A queue filled once, read over and over by the tailer benchmark. */
    @State(Scope.Thread)
    public static class Reading
    {
        static final int RECORDS = 5_000_000;
        private Path dir;
        private ChronicleQueue queue;
        private ExcerptTailer tailer;
        private long checksum;
        private final ReadBytesMarshallable reader = in -> checksum += in.readByte(in.readPosition());

        /** Fills the queue. */
        @Setup(Level.Trial)
        public void fill() throws IOException
        {
            dir = Scratch.directory("chronicle-read");
            queue = ChronicleQueue.singleBuilder(dir).build();
            final BytesStore<?, ?> record = BytesStore.wrap(new byte[Workload.VALUE_SIZE]);
            try (ExcerptAppender appender = queue.createAppender())
            {
                for (int i = 0; i < RECORDS; i++)
                {
                    appender.writeBytes(record);
                }
            }
            tailer = queue.createTailer();
        }

        /** Deletes the queue. */
        @TearDown(Level.Trial)
        public void close() throws IOException
        {
            tailer.close();
            queue.close();
            Scratch.delete(dir);
        }
    }

    /**
     * @param state the queue.
     */
    @Benchmark
    public void append(final Appending state)
    {
        state.appender.writeBytes(state.record);
    }

    /**
     * Appends {@value #PER_CALL} excerpts per call: the twin of {@link LogAppendBenchmark} with
     * batches of {@value #PER_CALL} records, scored in records/s.
     *
     * @param state the queue.
     */
    @Benchmark
    @OperationsPerInvocation(PER_CALL)
    public void appendHundred(final Appending state)
    {
        for (int i = 0; i < PER_CALL; i++)
        {
            state.appender.writeBytes(state.record);
        }
    }

    /**
     * Reads the next record in place, wrapping to the start at the end.
     *
     * @param state the queue.
     * @return a checksum of the first byte of each record.
     */
    @Benchmark
    public long tailerRead(final Reading state)
    {
        if (!state.tailer.readBytes(state.reader))
        {
            state.tailer.toStart();
            state.tailer.readBytes(state.reader);
        }
        return state.checksum;
    }
}
