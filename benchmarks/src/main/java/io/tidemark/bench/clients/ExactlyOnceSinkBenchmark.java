package io.tidemark.bench.clients;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.tidemark.bench.Scratch;
import io.tidemark.connector.log.LogSink;
import io.tidemark.engine.sink.SinkWriter;
import io.tidemark.log.LogConfig;
import io.tidemark.log.group.GroupConfig;
import io.tidemark.log.group.GroupCoordinator;
import io.tidemark.log.producer.Acks;
import io.tidemark.log.producer.ProducerConfig;
import io.tidemark.log.topic.LogManager;
import io.tidemark.log.txn.TransactionConfig;
import io.tidemark.log.txn.TransactionCoordinator;
import org.agrona.concurrent.SystemEpochClock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The log sink's writer as a checkpointed job drives it, 100-byte values into one partition,
 * acks=leader (batches not forced to disk, so only the guarantee's own work differs), the
 * producer's default linger: {@code write} sends 200,000 records and runs a checkpoint
 * (preCommit, snapshotState, commit) every {@code checkpointEvery} records, through
 * {@code LogSink.to} (at-least-once: the checkpoint flushes) or {@code LogSink.exactlyOnce} (each
 * checkpoint's records one transaction, committed at the checkpoint's completion).
 */
@State(Scope.Benchmark)
public class ExactlyOnceSinkBenchmark
{
    private static final int RECORDS = 200_000;
    private static final String TOPIC = "bench";

    private Path dir;
    private LogManager logs;
    private GroupCoordinator groups;
    private TransactionCoordinator transactions;
    private SinkWriter<byte[]> writer;
    private long checkpoint;
    private final byte[] value = new byte[100];
    private final ByteArrayOutputStream snapshot = new ByteArrayOutputStream();

    /** {@code at-least-once} ({@code LogSink.to}) or {@code exactly-once} ({@code LogSink.exactlyOnce}). */
    @Param({"at-least-once", "exactly-once"})
    public String guarantee;

    /** The records between two checkpoints. */
    @Param({"1000", "100000"})
    public int checkpointEvery;

    /**
     * A fresh data directory and writer per iteration.
     *
     * @throws Exception if the writer cannot be made.
     */
    @Setup(Level.Iteration)
    public void open() throws Exception
    {
        dir = Scratch.directory("sink");
        logs = LogManager.open(dir, LogConfig.DEFAULTS);
        logs.createTopic(TOPIC, 1, Map.of());
        groups = new GroupCoordinator(logs, GroupConfig.defaults());
        transactions = new TransactionCoordinator(logs, groups, new TransactionConfig(900_000, 1, 10_000, 604_800_000),
            SystemEpochClock.INSTANCE);
        final LogSink<byte[]> sink = "exactly-once".equals(guarantee)
            ? LogSink.exactlyOnce(logs, transactions, TOPIC, (byte[] v) -> v, "bench")
            : LogSink.to(logs, TOPIC, (byte[] v) -> v);
        writer = sink.withProducerConfig(ProducerConfig.defaults().withAcks(Acks.LEADER)).createWriter(0, 1);
    }

    /**
     * Closes and deletes everything.
     *
     * @throws Exception if closing fails.
     */
    @TearDown(Level.Iteration)
    public void close() throws Exception
    {
        writer.close();
        transactions.close();
        groups.close();
        logs.close();
        Scratch.delete(dir);
    }

    /**
     * @return the offset after the last record written.
     * @throws Exception if a write or a checkpoint fails.
     */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    @OperationsPerInvocation(RECORDS)
    public long write() throws Exception
    {
        for (int i = 1; i <= RECORDS; i++)
        {
            writer.write(value, i);
            if (i % checkpointEvery == 0)
            {
                checkpoint++;
                writer.preCommit(checkpoint);
                snapshot.reset();
                writer.snapshotState(checkpoint, new DataOutputStream(snapshot));
                writer.commit(checkpoint);
            }
        }
        return logs.partitions(TOPIC).get(0).logEndOffset();
    }
}
