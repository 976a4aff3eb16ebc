package io.tidemark.bench.flink;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;

/**
 * W1 of {@code docs/WORKLOADS.md} on Apache Flink, read from a Kafka topic with Flink's
 * KafkaSource instead of generated: the topic's records (loaded by Tidemark's
 * {@code TopicW1Loader}), bounded out-of-orderness of 2 s, key by user, tumbling event-time
 * windows of 60 s, count, parallelism 2, in a local MiniCluster in this JVM. The source is
 * bounded: it reads every partition from its start to the end offsets it finds at job start.
 * The run is timed from the first record the source hands over to the end of the job, so the
 * cluster's start-up is not in the figure; it fails unless the counts add up to the number of
 * events expected.
 *
 * <pre>
 * java -Xmx768m -cp target/classes:$(cat target/classpath.txt) io.tidemark.bench.flink.TopicW1 BOOTSTRAP TOPIC EVENTS LABEL
 * </pre>
 *
 * It prints one line, {@code RESULT flink LABEL events=.. nanos=.. eventsPerSecond=.. peakRssBytes=.. checksum=..},
 * which {@code benchmarks/topic-w1-vs-flink.sh} reads.
 */
public final class TopicW1
{
    private static final int PARALLELISM = 2;
    private static final Duration OUT_OF_ORDERNESS = Duration.ofSeconds(2);
    private static final Duration WINDOW = Duration.ofSeconds(60);

    private TopicW1()
    {
    }

    /**
     * @param args the bootstrap servers, the topic, the number of events in it, and a label
     *             for the result line (the broker's name).
     * @throws Exception if the job fails or its checksum is wrong.
     */
    public static void main(final String[] args) throws Exception
    {
        if (args.length != 4)
        {
            System.err.println("usage: TopicW1 BOOTSTRAP TOPIC EVENTS LABEL");
            System.exit(2);
        }
        final String bootstrap = args[0];
        final String topic = args[1];
        final long events = Long.parseLong(args[2]);
        final String label = args[3];

        final StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(PARALLELISM, new Configuration());
        final KafkaSource<UserEvent> source = KafkaSource.<UserEvent>builder()
            .setBootstrapServers(bootstrap)
            .setTopics(topic)
            .setGroupId("w1-flink")
            .setStartingOffsets(OffsetsInitializer.earliest())
            .setBounded(OffsetsInitializer.latest())
            .setDeserializer(new UserEventDeserializer())
            // Tidemark's KafkaSource reads committed records by default; the same here (the topic has no transactions).
            .setProperty("isolation.level", "read_committed")
            .build();
        env.fromSource(source, WatermarkStrategy.<UserEvent>forBoundedOutOfOrderness(OUT_OF_ORDERNESS)
                .withTimestampAssigner((event, timestamp) -> event.eventTimeMs), topic)
            .keyBy(event -> event.userId)
            .window(TumblingEventTimeWindows.of(WINDOW))
            .aggregate(new NexmarkFlink.Count<>())
            .map(new EngineFlink.SumResults())
            .sinkTo(new DiscardingSink<>());

        final JobExecutionResult result = env.execute("W1 from " + topic);
        final long end = System.nanoTime();
        final long first = UserEventDeserializer.FIRST_RECORD_NANOS.get();
        final Long checksum = result.getAccumulatorResult(EngineFlink.CHECKSUM);
        if (first == 0 || checksum == null || checksum != events)
        {
            throw new IllegalStateException("W1 from " + topic + ": the counts add up to " + checksum + ", expected " + events);
        }
        final long nanos = end - first;
        System.out.printf(Locale.ROOT, "RESULT flink %s events=%d nanos=%d eventsPerSecond=%.0f peakRssBytes=%d checksum=%d%n", label, events, nanos,
            events * 1e9 / nanos, peakRssBytes(), checksum);
    }

    /** The peak resident set size of this JVM ({@code VmHWM}), -1 where there is no {@code /proc}. */
    private static long peakRssBytes() throws IOException
    {
        for (final String line : Files.readAllLines(Path.of("/proc/self/status")))
        {
            if (line.startsWith("VmHWM:"))
            {
                return Long.parseLong(line.substring("VmHWM:".length()).replace("kB", "").trim()) * 1024;
            }
        }
        return -1;
    }
}
