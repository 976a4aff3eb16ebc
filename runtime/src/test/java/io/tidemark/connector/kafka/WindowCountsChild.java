package io.tidemark.connector.kafka;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import io.tidemark.connector.log.LogSerializer;
import io.tidemark.engine.api.StreamExecutionEnvironment;
import io.tidemark.engine.checkpoint.CheckpointConfig;
import io.tidemark.engine.checkpoint.DeliveryGuarantee;
import io.tidemark.engine.functions.AggregateFunctions;
import io.tidemark.engine.task.JobHandle;
import io.tidemark.engine.time.WatermarkStrategy;
import io.tidemark.engine.window.TumblingEventTimeWindows;
import io.tidemark.engine.window.WindowResult;

/**
 * The child JVM of {@link KafkaWindowCountsEndToEndTest}: a job that counts the records of a
 * Kafka topic per key in tumbling event-time windows of {@link #WINDOW} and writes each count
 * exactly once to another topic, checkpointing every {@link #CHECKPOINT_INTERVAL} into a
 * directory it resumes from when started again on it. A record's key (UTF-8) is what it is
 * counted under and its Kafka timestamp its event time; a count is the value
 * {@code key,windowStart,windowEnd,count}. New partitions of the input are found every
 * {@link #DISCOVERY_INTERVAL}, a partition without records for the idle timeout given stops
 * holding event time back, and the offsets of every completed checkpoint are committed to the
 * group named as the transactional id prefix. A failure restarts the job in the process from its latest
 * checkpoint. Prints {@code RUNNING} once the job is started; a job that ends (its restarts
 * spent) halts the process with 1, and so does the end of its standard input (the parent is gone).
 */
public final class WindowCountsChild
{
    /** The windows' length in event time. */
    static final Duration WINDOW = Duration.ofSeconds(1);
    /**
     * How far behind the newest event time of a partition its records may come; also how long
     * (in event time) a partition added to the input may take to be found before its first
     * records are late.
     */
    static final Duration OUT_OF_ORDERNESS = Duration.ofSeconds(10);
    static final Duration CHECKPOINT_INTERVAL = Duration.ofMillis(300);
    static final Duration DISCOVERY_INTERVAL = Duration.ofMillis(200);
    private static final int RESTARTS = 20;

    private WindowCountsChild()
    {
    }

    /**
     * @param args the bootstrap servers, the input topic, the output topic, the checkpoint
     *             directory, where a fresh job starts ({@code earliest} or a timestamp in epoch
     *             milliseconds), the sink's transactional id prefix (and the source's group),
     *             and the idle timeout in milliseconds (0: none).
     */
    public static void main(final String[] args)
    {
        final String bootstrap = args[0];
        final KafkaSource<String> source = KafkaSource.<String>builder(bootstrap, (key, value) -> new String(key, StandardCharsets.UTF_8))
            .topics(args[1])
            .startingAt(args[4].equals("earliest") ? KafkaStartPosition.earliest() : KafkaStartPosition.timestamp(Long.parseLong(args[4])))
            .partitionDiscovery(DISCOVERY_INTERVAL)
            .idleTimeout(Duration.ofMillis(Long.parseLong(args[6])))
            .groupId(args[5])
            .commitOffsetsOnCheckpoint(true)
            .build();
        final KafkaSink<WindowResult<String, Long>> sink = KafkaSink.<WindowResult<String, Long>>builder(bootstrap, args[2],
                LogSerializer.keyed(result -> result.key().getBytes(StandardCharsets.UTF_8), WindowCountsChild::format))
            .exactlyOnce(args[5])
            .build();
        final StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(2);
        // A failure (a broker node away too long) restarts the job in this JVM from its latest checkpoint.
        env.getConfig().restartStrategy(RESTARTS, Duration.ofMillis(500));
        env.enableCheckpointing(CheckpointConfig.every(CHECKPOINT_INTERVAL).withGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
            .withDirectory(Path.of(args[3])));
        env.fromSource(source, WatermarkStrategy.<String>forBoundedOutOfOrderness(OUT_OF_ORDERNESS), "input")
            .keyBy(key -> key)
            .window(TumblingEventTimeWindows.of(WINDOW))
            .aggregate(AggregateFunctions.<String>count())
            .sinkTo(sink);
        final JobHandle job = env.executeAsync("window counts");
        job.termination().whenComplete((state, failure) ->
        {
            System.err.println("the job ended (" + state + "): " + (failure != null ? failure : job.lastFailure()));
            Runtime.getRuntime().halt(1);
        });
        System.out.println("RUNNING");
        System.out.flush();
        try
        {
            while (System.in.read() >= 0)
            {
                // the parent never writes; end of input means the parent is gone
            }
        }
        catch (final java.io.IOException e)
        {
            // the parent is gone all the same
        }
        Runtime.getRuntime().halt(1);
    }

    private static byte[] format(final WindowResult<String, Long> result)
    {
        return (result.key() + "," + result.windowStart() + "," + result.windowEnd() + "," + result.value()).getBytes(StandardCharsets.UTF_8);
    }
}
