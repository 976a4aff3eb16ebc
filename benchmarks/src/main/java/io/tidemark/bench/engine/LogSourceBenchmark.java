package io.tidemark.bench.engine;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.tidemark.bench.Scratch;
import io.tidemark.connector.log.LogSource;
import io.tidemark.engine.api.StreamExecutionEnvironment;
import io.tidemark.engine.time.WatermarkStrategy;
import io.tidemark.log.LogConfig;
import io.tidemark.log.producer.Acks;
import io.tidemark.log.producer.Producer;
import io.tidemark.log.producer.ProducerConfig;
import io.tidemark.log.producer.ProducerRecord;
import io.tidemark.log.topic.LogManager;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * W1 of {@code docs/WORKLOADS.md} with the embedded log as its input instead of the
 * generator: G(N, 10,000) is written once per fork to a topic of two partitions (event
 * {@code i} to partition {@code i % 2}, as the generator's subtasks split it; {@link EventBytes},
 * the event time as the log timestamp), then each invocation runs the job over the whole
 * topic: a bounded {@link LogSource} at parallelism 2, watermarks 2 s behind the log
 * timestamps, key by user, tumbling 60 s, count; it fails unless the counts sum to N. As in
 * {@link EngineThroughputBenchmark} an iteration is one run, and {@code run:events} is
 * events per second; with {@code -prof gc}, {@code gc.alloc.rate.norm} divided by N is the
 * bytes allocated per event.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar LogSourceBenchmark -prof gc
 * java -jar benchmarks/target/benchmarks.jar LogSourceBenchmark -p events=1000000 -f 1   # quick
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 3, jvmArgs = "-Xmx" + ThroughputWorkload.HEAP)
// One run per iteration, as in EngineThroughputBenchmark.
@Warmup(iterations = 2, time = 1, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.MILLISECONDS)
public class LogSourceBenchmark
{
    private static final String TOPIC = "events";

    /** N, the number of events in the topic. */
    @Param({"5000000"})
    public long events;

    private Path dir;
    private LogManager logs;

    /**
     * Writes the events, in batches of up to 64 KiB.
     *
     * @throws IOException if the data directory cannot be made.
     */
    @Setup(Level.Trial)
    public void write() throws IOException
    {
        dir = Scratch.directory("logsource");
        logs = LogManager.open(dir, LogConfig.DEFAULTS);
        // The events are from 2023: keep retention from deleting them.
        logs.createTopic(TOPIC, ThroughputWorkload.PARALLELISM, Map.of(LogConfig.RETENTION_MS, "-1"));
        final long users = ThroughputWorkload.W1.users();
        try (Producer producer = new Producer(logs, ProducerConfig.defaults().withAcks(Acks.LEADER).withBatchSize(64 << 10).withLingerMs(5)))
        {
            for (long i = 0; i < events; i++)
            {
                final Event event = Event.generate(i, users);
                producer.send(new ProducerRecord(TOPIC, (int)(i % ThroughputWorkload.PARALLELISM), event.eventTimeMs(),
                    EventBytes.SERIALIZER.key(event), EventBytes.SERIALIZER.value(event), null));
            }
            producer.flush();
        }
    }

    /**
     * Deletes the topic's data directory.
     *
     * @throws IOException if it cannot be deleted.
     */
    @TearDown(Level.Trial)
    public void delete() throws IOException
    {
        logs.close();
        Scratch.delete(dir);
    }

    /**
     * @param figure receives the run's events per second.
     * @return the checksum, already checked.
     */
    @Benchmark
    public long run(final EngineThroughputBenchmark.Figure figure)
    {
        final StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(ThroughputWorkload.PARALLELISM);
        final ChecksumSink sink = new ChecksumSink();
        ThroughputWorkload.W1.windows(env.fromSource(LogSource.bounded(logs, TOPIC, EventBytes.DESERIALIZER),
            WatermarkStrategy.<Event>forBoundedOutOfOrderness(ThroughputWorkload.OUT_OF_ORDERNESS), "events").keyBy(Event::userId)).sinkTo(sink);
        env.execute("W1 from the log");
        final long checksum = sink.checksum();
        if (checksum != ThroughputWorkload.W1.expectedChecksum(events))
        {
            throw new IllegalStateException("W1 from the log over " + events + " events: checksum " + checksum + ", expected " + events);
        }
        figure.events = events;
        return checksum;
    }
}
