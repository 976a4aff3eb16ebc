package io.tidemark.bench.connectors;

import io.tidemark.bench.Scratch;
import io.tidemark.connector.kafka.KafkaSource;
import io.tidemark.engine.api.StreamExecutionEnvironment;
import io.tidemark.engine.sink.SinkWriter;
import io.tidemark.engine.time.WatermarkStrategy;
import io.tidemark.runtime.broker.BrokerConfig;
import io.tidemark.runtime.broker.BrokerServer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The Kafka source's read path: a job of a bounded {@code KafkaSource} into a sink that only
 * counts, reading a topic of 1,000,000 records of 100 bytes (4 partitions) that
 * {@code tidemark server}, in this process on 127.0.0.1, was filled with once. One operation
 * is one record, so the score is records per second, and {@code -prof gc}'s
 * {@code gc.alloc.rate.norm} the bytes allocated per record (by kafka-clients' fetch and
 * records, the source, the deserializer that hands the value bytes on, and the job's start
 * spread over the million). Parallelism 1 is one consumer and one task thread; 2 splits the
 * partitions over two.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class KafkaSourceBenchmark
{
    private static final int RECORDS = 1_000_000;
    private static final int PARTITIONS = 4;
    private static final String TOPIC = "bench";

    /** The source's parallelism. */
    @Param({"1", "2"})
    public int parallelism;

    private Path dir;
    private BrokerServer server;
    private String bootstrap;

    /**
     * Starts the server and fills the topic.
     *
     * @throws Exception if either fails.
     */
    @Setup
    public void fill() throws Exception
    {
        dir = Scratch.directory("kafka-source");
        final Properties properties = new Properties();
        properties.put(BrokerConfig.HTTP_PORT, "0");
        server = BrokerServer.start(BrokerConfig.parse(properties, dir, "127.0.0.1", 0));
        bootstrap = "127.0.0.1:" + server.address().getPort();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap)))
        {
            admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short)1))).all().get();
        }
        final Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.LINGER_MS_CONFIG, "5",
            ProducerConfig.BATCH_SIZE_CONFIG, "65536");
        final byte[] value = new byte[100];
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer()))
        {
            for (int i = 0; i < RECORDS; i++)
            {
                producer.send(new ProducerRecord<>(TOPIC, i % PARTITIONS, (long)i, null, value));
            }
            producer.flush();
        }
    }

    /**
     * Reads the whole topic through a job.
     *
     * @return the records counted, so that the work is not dead code.
     */
    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public long read()
    {
        final AtomicLong counted = new AtomicLong();
        final StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(parallelism);
        final KafkaSource<byte[]> source = KafkaSource.<byte[]>builder(bootstrap, (key, value) -> value).topics(TOPIC).bounded().build();
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "kafka").sinkTo((subtask, subtasks) -> new Counter(counted));
        env.executeAsync("kafka source benchmark").awaitTermination();
        if (counted.get() != RECORDS)
        {
            throw new IllegalStateException("read " + counted.get() + " records of " + RECORDS);
        }
        return counted.get();
    }

    /**
     * Stops the server and deletes its data.
     *
     * @throws IOException if the data cannot be deleted.
     */
    @TearDown
    public void stop() throws IOException
    {
        server.close();
        Scratch.delete(dir);
    }

    /** Counts a subtask's records, and adds them up at the end of input. */
    private static final class Counter implements SinkWriter<byte[]>
    {
        private final AtomicLong total;
        private long count;

        Counter(final AtomicLong total)
        {
            this.total = total;
        }

        @Override
        public void write(final byte[] value, final long timestamp)
        {
            count++;
        }

        @Override
        public void flush()
        {
            total.addAndGet(count);
            count = 0;
        }
    }
}
