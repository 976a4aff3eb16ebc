package io.tidemark.bench.clients;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.tidemark.bench.Scratch;
import io.tidemark.log.LogConfig;
import io.tidemark.log.TopicPartition;
import io.tidemark.log.consumer.Consumer;
import io.tidemark.log.consumer.ConsumerConfig;
import io.tidemark.log.consumer.ConsumerRecord;
import io.tidemark.log.consumer.OffsetReset;
import io.tidemark.log.producer.Acks;
import io.tidemark.log.producer.Producer;
import io.tidemark.log.producer.ProducerConfig;
import io.tidemark.log.producer.ProducerRecord;
import io.tidemark.log.topic.LogManager;
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
 * The embedded clients end to end, flush left to the OS, acks=leader, 100-byte values,
 * {@code linger.ms} 0 or 5:
 * {@code throughput} produces a million records from one thread while a consumer thread
 * reads them concurrently (records/s over the whole run); {@code roundTrip} sends one record
 * and polls until the consumer has it (the sample distribution gives p50/p99/p99.9).
 */
@State(Scope.Benchmark)
public class ProduceConsumeBenchmark
{
    private static final int RECORDS = 1_000_000;
    private static final TopicPartition PARTITION = new TopicPartition("bench", 0);

    private Path dir;
    private LogManager logs;
    private Producer producer;
    private Consumer consumer;
    private final byte[] value = new byte[100];

    /** {@code linger.ms}: 0 sends as soon as the sender is free; 5 is Kafka's default since 4.0. */
    @Param({"0", "5"})
    public long lingerMs;

    /** A fresh data directory per iteration. */
    @Setup(Level.Iteration)
    public void open() throws IOException
    {
        dir = Scratch.directory("clients");
        logs = LogManager.open(dir, LogConfig.DEFAULTS);
        logs.createTopic("bench", 1, Map.of());
        producer = new Producer(logs, ProducerConfig.defaults().withAcks(Acks.LEADER).withLingerMs(lingerMs));
        consumer = new Consumer(logs, ConsumerConfig.defaults().withAutoOffsetReset(OffsetReset.EARLIEST).withMaxPollRecords(10_000));
        consumer.assign(List.of(PARTITION));
    }

    /** Closes and deletes everything. */
    @TearDown(Level.Iteration)
    public void close() throws IOException
    {
        consumer.close();
        producer.close();
        logs.close();
        Scratch.delete(dir);
    }

    /**
     * @return the records consumed.
     * @throws InterruptedException if interrupted.
     */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @OperationsPerInvocation(RECORDS)
    public long throughput() throws InterruptedException
    {
        final long start = consumer.position(PARTITION);
        final long[] consumed = new long[1];
        final Thread reader = new Thread(() ->
        {
            while (consumed[0] < RECORDS)
            {
                consumed[0] += consumer.poll(Duration.ofMillis(100)).size();
            }
        });
        reader.start();
        for (int i = 0; i < RECORDS; i++)
        {
            producer.send(new ProducerRecord("bench", 0, null, null, value, null));
        }
        producer.flush();
        reader.join();
        return consumed[0] + start;
    }

    /**
     * @return the offset of the record that came back.
     */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public long roundTrip()
    {
        producer.send(new ProducerRecord("bench", 0, null, null, value, null));
        while (true)
        {
            final List<ConsumerRecord> records = consumer.poll(Duration.ofSeconds(1));
            if (!records.isEmpty())
            {
                return records.get(records.size() - 1).offset();
            }
        }
    }
}
