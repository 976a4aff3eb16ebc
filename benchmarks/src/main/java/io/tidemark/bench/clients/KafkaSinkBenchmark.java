package io.tidemark.bench.clients;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import io.tidemark.connector.kafka.KafkaSink;
import io.tidemark.engine.sink.SinkWriter;
import io.tidemark.engine.time.Watermark;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
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
 * The Kafka sink's writer as a checkpointed job drives it, against a running broker that the
 * parameter {@code bootstrap} names ({@code -p bootstrap=127.0.0.1:PORT}; no default, so that a
 * run never writes to whatever listens on Kafka's usual port): 100-byte
 * values into a fresh topic of one partition, the producer's defaults but {@code linger.ms=5};
 * one call writes {@value #BATCH} records, and a checkpoint (preCommit, snapshotState, commit)
 * runs once a second has passed since the last one, so its cost is in the figure. At least once
 * the checkpoint flushes; exactly once it also commits the checkpoint's transaction.
 */
@State(Scope.Benchmark)
public class KafkaSinkBenchmark
{
    private static final int BATCH = 1_000;
    private static final long CHECKPOINT_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    private SinkWriter<byte[]> writer;
    private long checkpoint;
    private long lastCheckpoint;
    private final byte[] value = new byte[100];
    private final ByteArrayOutputStream snapshot = new ByteArrayOutputStream();

    /** The broker's host:port; required. */
    @Param("")
    public String bootstrap;

    /** {@code at-least-once} or {@code exactly-once}. */
    @Param({"at-least-once", "exactly-once"})
    public String guarantee;

    /**
     * A fresh topic and writer per trial.
     *
     * @throws Exception if the topic or the writer cannot be made.
     */
    @Setup(Level.Trial)
    public void open() throws Exception
    {
        if (bootstrap.isEmpty())
        {
            throw new IllegalArgumentException("name the broker: -p bootstrap=127.0.0.1:PORT");
        }
        final String topic = "bench-kafka-sink-" + guarantee + "-" + System.currentTimeMillis();
        final Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(properties))
        {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short)1))).all().get();
        }
        final KafkaSink.Builder<byte[]> builder = KafkaSink.builder(bootstrap, topic, (byte[] v) -> v).property("linger.ms", "5");
        writer = ("exactly-once".equals(guarantee) ? builder.exactlyOnce(topic) : builder).build().createWriter(0, 1);
        lastCheckpoint = System.nanoTime();
    }

    /**
     * Commits what is left and closes the writer.
     *
     * @throws Exception if closing fails.
     */
    @TearDown(Level.Trial)
    public void close() throws Exception
    {
        writer.flush();
        writer.close();
    }

    /**
     * @return the checkpoints taken so far.
     * @throws Exception if a write or a checkpoint fails.
     */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(BATCH)
    public long write() throws Exception
    {
        for (int i = 0; i < BATCH; i++)
        {
            writer.write(value, Watermark.NONE);
        }
        final long now = System.nanoTime();
        if (now - lastCheckpoint >= CHECKPOINT_INTERVAL_NANOS)
        {
            lastCheckpoint = now;
            checkpoint++;
            writer.preCommit(checkpoint);
            snapshot.reset();
            writer.snapshotState(checkpoint, new DataOutputStream(snapshot));
            writer.commit(checkpoint);
        }
        return checkpoint;
    }
}
