package io.tidemark.bench.engine;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import io.tidemark.connector.kafka.KafkaSource;
import io.tidemark.connector.kafka.KafkaStartPosition;
import io.tidemark.connector.log.LogSource;
import io.tidemark.engine.api.StreamExecutionEnvironment;
import io.tidemark.engine.source.Source;
import io.tidemark.engine.time.WatermarkStrategy;
import io.tidemark.log.LogConfig;
import io.tidemark.log.topic.LogManager;

/**
 * W1 of {@code docs/WORKLOADS.md} reading its events from a topic that {@link TopicW1Loader}
 * wrote, instead of generating them: from a broker ({@code tidemark server} or Apache Kafka)
 * through {@link KafkaSource} bounded at the end offsets at job start, or from an embedded log
 * data directory through {@link LogSource#bounded}. Parallelism 2, bounded out-of-orderness of 2 s, key by user,
 * tumbling event-time windows of 60 s, count, as {@link ThroughputWorkload#W1}. One run per
 * JVM, so that every run starts cold as Flink's does beside it
 * ({@code benchmarks/topic-w1-vs-flink.sh}); the run is timed from the first record read to
 * the end of the job, so opening the log and starting the job are not in the figure. It
 * fails unless the counts add up to the number of events.
 *
 * <pre>
 * java -Xmx768m --add-exports=java.base/jdk.internal.misc=ALL-UNNAMED -cp benchmarks/target/benchmarks.jar \
 *     io.tidemark.bench.engine.TopicW1Run kafka BOOTSTRAP TOPIC EVENTS LABEL
 * java -Xmx768m --add-exports=java.base/jdk.internal.misc=ALL-UNNAMED -cp benchmarks/target/benchmarks.jar \
 *     io.tidemark.bench.engine.TopicW1Run log DATA_DIR TOPIC EVENTS LABEL
 * </pre>
 *
 * It prints one line, {@code RESULT tidemark LABEL events=.. nanos=.. eventsPerSecond=.. peakRssBytes=.. checksum=..}.
 */
public final class TopicW1Run
{
    private TopicW1Run()
    {
    }

    /**
     * @param args {@code kafka BOOTSTRAP TOPIC EVENTS LABEL} or {@code log DATA_DIR TOPIC EVENTS LABEL}:
     *             the broker or the data directory, the topic, the number of events in it,
     *             and a label for the result line.
     */
    public static void main(final String[] args)
    {
        if (args.length != 5 || !List.of("kafka", "log").contains(args[0]))
        {
            System.err.println("usage: TopicW1Run kafka BOOTSTRAP TOPIC EVENTS LABEL | log DATA_DIR TOPIC EVENTS LABEL");
            System.exit(2);
        }
        final String topic = args[2];
        final long events = Long.parseLong(args[3]);
        if (args[0].equals("kafka"))
        {
            final KafkaSource<Event> source = KafkaSource.<Event>builder(args[1], TopicEvents.deserializer()).topics(topic)
                .startingAt(KafkaStartPosition.earliest()).groupId("w1-tidemark").bounded().build();
            report(args[4], events, run(source, topic, events));
            return;
        }
        try (LogManager logs = LogManager.open(Path.of(args[1]), LogConfig.DEFAULTS))
        {
            report(args[4], events, run(LogSource.bounded(logs, topic, TopicEvents.deserializer()), topic, events));
        }
    }

    private static void report(final String label, final long events, final long nanos)
    {
        System.out.printf(Locale.ROOT, "RESULT tidemark %s events=%d nanos=%d eventsPerSecond=%.0f peakRssBytes=%d checksum=%d%n", label, events, nanos,
            events * 1e9 / nanos, PeakRss.bytes(), events);
    }

    /**
     * Runs W1 over a source of the topic's events and checks its checksum.
     *
     * @param source the topic's events.
     * @param topic  the topic, for the job's name and errors.
     * @param events the number of events in the topic.
     * @return the nanoseconds from the first record read to the end of the job.
     * @throws IllegalStateException if the counts do not add up to {@code events}.
     */
    static long run(final Source<Event, ?> source, final String topic, final long events)
    {
        final StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(ThroughputWorkload.PARALLELISM);
        final ChecksumSink sink = new ChecksumSink();
        ThroughputWorkload.W1.windows(env.fromSource(source, WatermarkStrategy.<Event>forBoundedOutOfOrderness(ThroughputWorkload.OUT_OF_ORDERNESS)
            .withTimestampAssigner((event, timestamp) -> event.eventTimeMs()), topic).keyBy(Event::userId)).sinkTo(sink);
        env.execute("W1 from " + topic);
        final long end = System.nanoTime();
        if (sink.checksum() != events || TopicEvents.firstRecordNanos() == 0)
        {
            throw new IllegalStateException("W1 from " + topic + ": the counts add up to " + sink.checksum() + ", expected " + events);
        }
        return end - TopicEvents.firstRecordNanos();
    }
}
