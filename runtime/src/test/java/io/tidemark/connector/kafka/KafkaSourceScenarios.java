package io.tidemark.connector.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tidemark.connector.log.LogDeserializer;
import io.tidemark.engine.api.StreamExecutionEnvironment;
import io.tidemark.engine.checkpoint.CheckpointConfig;
import io.tidemark.engine.checkpoint.CompletedCheckpoint;
import io.tidemark.engine.checkpoint.CheckpointStats;
import io.tidemark.engine.functions.AggregateFunctions;
import io.tidemark.engine.graph.JobVertex;
import io.tidemark.engine.sink.CollectSink;
import io.tidemark.engine.source.SourceSplit;
import io.tidemark.engine.task.JobExecutionException;
import io.tidemark.engine.task.JobHandle;
import io.tidemark.engine.time.WatermarkStrategy;
import io.tidemark.engine.window.TumblingEventTimeWindows;
import io.tidemark.engine.window.WindowResult;
import io.tidemark.log.IsolationLevel;
import io.tidemark.runtime.BrokerUnderTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kafka source against a broker process of each kind, the same scenarios: Apache Kafka
 * 4.3.1 and {@code tidemark server}. One broker per class; each scenario has its own topics.
 * Record {@code i} of partition {@code p} is the text {@code p:i}, written at offset {@code i}
 * with timestamp {@code i * 1000}, so a record says where it was read from.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class KafkaSourceScenarios
{
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final LogDeserializer<String> TEXT = LogDeserializer.utf8Values();

    @TempDir
    static Path dir;

    private BrokerUnderTest broker;
    private Admin admin;

    /**
     * @param brokerDir an empty directory for the broker.
     * @return the broker, not started.
     */
    abstract BrokerUnderTest newBroker(Path brokerDir);

    /**
     * @return whether the broker adds partitions to a topic (CreatePartitions).
     */
    abstract boolean addsPartitions();

    @BeforeAll
    void startBroker() throws Exception
    {
        broker = newBroker(dir.resolve("broker"));
        broker.start();
        final Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        admin = Admin.create(config);
    }

    @AfterAll
    void stopBroker() throws Exception
    {
        if (admin != null)
        {
            admin.close();
        }
        if (broker != null)
        {
            broker.close();
        }
    }

    private void createTopic(final String topic, final int partitions) throws Exception
    {
        admin.createTopics(List.of(new NewTopic(topic, partitions, (short)1))).all().get();
    }

    private KafkaProducer<String, String> producer(final Map<String, Object> extra)
    {
        final Map<String, Object> config = new HashMap<>(extra);
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    /** Writes records {@code from} to {@code to - 1} of each partition, as the class says. */
    private void write(final String topic, final int partitions, final int from, final int to) throws Exception
    {
        try (KafkaProducer<String, String> producer = producer(Map.of()))
        {
            for (int i = from; i < to; i++)
            {
                for (int p = 0; p < partitions; p++)
                {
                    producer.send(new ProducerRecord<>(topic, p, i * 1000L, null, p + ":" + i));
                }
            }
            producer.flush();
        }
    }

    private static List<String> expected(final int partitions, final int from, final int to)
    {
        final List<String> all = new ArrayList<>();
        for (int p = 0; p < partitions; p++)
        {
            for (int i = from; i < to; i++)
            {
                all.add(p + ":" + i);
            }
        }
        return all;
    }

    private static void assertExactly(final List<String> expected, final List<String> read)
    {
        assertEquals(expected.size(), read.size(), "as many records as written, none twice: " + read);
        assertEquals(new HashSet<>(expected), new HashSet<>(read));
    }

    private KafkaSource.Builder<String> source(final String topic)
    {
        return KafkaSource.builder(broker.bootstrap(), TEXT).topics(topic);
    }

    private static List<String> runBounded(final KafkaSource<String> source, final int parallelism)
    {
        final CollectSink<String> sink = new CollectSink<>();
        final StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(parallelism);
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "kafka").sinkTo(sink);
        env.executeAsync("kafka source").awaitTermination();
        return sink.results();
    }

    private static void until(final String what, final BooleanSupplier condition)
    {
        final long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    @Test
    void readsEveryRecordOfAMultiPartitionTopicExactlyOnce() throws Exception
    {
        createTopic("every", 3);
        write("every", 3, 0, 300);
        assertExactly(expected(3, 0, 300), runBounded(source("every").bounded().build(), 2));
        assertExactly(expected(3, 0, 300), runBounded(source("every").bounded().build(), 5));
    }

    @Test
    void eachStartPositionStartsWhereItSays() throws Exception
    {
        createTopic("starts", 2);
        write("starts", 2, 0, 100);
        assertExactly(List.of(), runBounded(source("starts").bounded().startingAt(KafkaStartPosition.latest()).build(), 2));
        assertExactly(expected(2, 40, 100), runBounded(source("starts").bounded().startingAt(KafkaStartPosition.timestamp(40_000)).build(), 2));
        assertExactly(List.of(), runBounded(source("starts").bounded().startingAt(KafkaStartPosition.timestamp(1_000_000)).build(), 2));
        final List<String> explicit = new ArrayList<>(expected(1, 90, 100));
        explicit.addAll(expected(2, 0, 100).subList(100, 200));
        assertExactly(explicit, runBounded(source("starts").bounded().startingAt(KafkaStartPosition.offsets(Map.of(new TopicPartition("starts", 0), 90L))).build(), 2));

        admin.alterConsumerGroupOffsets("starts-group", Map.of(new TopicPartition("starts", 1), new OffsetAndMetadata(75))).all().get();
        final List<String> committed = new ArrayList<>(expected(1, 0, 100));
        expected(2, 75, 100).stream().filter(value -> value.startsWith("1:")).forEach(committed::add);
        assertExactly(committed, runBounded(source("starts").bounded().groupId("starts-group")
            .startingAt(KafkaStartPosition.committed(KafkaStartPosition.earliest())).build(), 2));
        final List<String> committedElseLatest = expected(2, 75, 100).stream().filter(value -> value.startsWith("1:")).toList();
        assertExactly(committedElseLatest, runBounded(source("starts").bounded().groupId("starts-group")
            .startingAt(KafkaStartPosition.committed(KafkaStartPosition.latest())).build(), 2));
    }

    @Test
    void aCancelledJobResumedFromItsCheckpointReadsOnLosingNothingAndReadingNothingTwice() throws Exception
    {
        createTopic("resumed", 3);
        write("resumed", 3, 0, 200);
        final Path checkpoints = dir.resolve("resumed-checkpoints");
        final CollectSink<String> firstSink = new CollectSink<>();
        final StreamExecutionEnvironment first = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(2)
            .enableCheckpointing(CheckpointConfig.every(Duration.ofMillis(50)).withDirectory(checkpoints));
        first.fromSource(source("resumed").build(), WatermarkStrategy.noWatermarks(), "kafka").sinkTo(firstSink);
        final JobHandle firstRun = first.executeAsync("kafka resumed");
        until("a completed checkpoint after some records", () -> firstSink.size() > 100
            && firstRun.checkpointStats().stream().anyMatch(stats -> stats.status() == CheckpointStats.Status.COMPLETED));
        firstRun.cancel();
        firstRun.awaitTermination();
        final CompletedCheckpoint latest = firstRun.latestCheckpoint().orElseThrow();
        final JobVertex sourceVertex = firstRun.graph().vertices().get(0);
        final Map<Integer, Long> stored = new HashMap<>();
        for (int subtask = 0; subtask < 2; subtask++)
        {
            for (final SourceSplit split : latest.restoreFor(firstRun.graph(), sourceVertex, subtask, first.getConfig().maxParallelism()).splits())
            {
                stored.put(((KafkaSplit)split).partition(), ((KafkaSplit)split).nextOffset());
            }
        }
        assertEquals(Set.of(0, 1, 2), stored.keySet(), "the checkpoint holds every partition");

        write("resumed", 3, 200, 250);
        final CollectSink<String> secondSink = new CollectSink<>();
        final StreamExecutionEnvironment second = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(3)
            .enableCheckpointing(CheckpointConfig.every(Duration.ofMillis(50)).withDirectory(checkpoints));
        // The start position of a resumed job does not matter: it reads on from its checkpoint.
        second.fromSource(source("resumed").startingAt(KafkaStartPosition.latest()).build(), WatermarkStrategy.noWatermarks(), "kafka").sinkTo(secondSink);
        final JobHandle secondRun = second.executeAsync("kafka resumed");
        final List<String> rest = new ArrayList<>();
        stored.forEach((partition, offset) -> expected(partition + 1, offset.intValue(), 250).stream().filter(value -> value.startsWith(partition + ":")).forEach(rest::add));
        try
        {
            until("the records after the checkpoint", () -> secondSink.size() >= rest.size());
        }
        finally
        {
            secondRun.cancel();
            secondRun.awaitTermination();
        }
        assertExactly(rest, secondSink.results());
    }

    @Test
    void readCommittedHidesAnAbortedTransaction() throws Exception
    {
        createTopic("transactions", 2);
        try (KafkaProducer<String, String> producer = producer(Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "source-test")))
        {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("transactions", 0, null, "committed-1"));
            producer.send(new ProducerRecord<>("transactions", 1, null, "committed-2"));
            producer.commitTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("transactions", 0, null, "aborted-1"));
            producer.send(new ProducerRecord<>("transactions", 1, null, "aborted-2"));
            producer.flush();
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("transactions", 0, null, "committed-3"));
            producer.commitTransaction();
        }
        assertExactly(List.of("committed-1", "committed-2", "committed-3"), runBounded(source("transactions").bounded().build(), 2));
        assertExactly(List.of("committed-1", "committed-2", "aborted-1", "aborted-2", "committed-3"),
            runBounded(source("transactions").bounded().isolationLevel(IsolationLevel.READ_UNCOMMITTED).build(), 2));
    }

    @Test
    void anIdlePartitionDoesNotHoldATumblingWindowBack() throws Exception
    {
        createTopic("idle", 2);
        final CollectSink<WindowResult<String, Long>> counts = new CollectSink<>();
        final StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(1);
        // The strategy sets no idleness: the source's own idle timeout applies.
        env.fromSource(source("idle").idleTimeout(Duration.ofMillis(200)).build(), WatermarkStrategy.<String>forMonotonousTimestamps(), "kafka")
            .keyBy(value -> value.substring(0, value.indexOf(':')))
            .window(TumblingEventTimeWindows.of(Duration.ofSeconds(10)))
            .aggregate(AggregateFunctions.<String>count())
            .sinkTo(counts);
        final JobHandle job = env.executeAsync("kafka idleness");
        try (KafkaProducer<String, String> producer = producer(Map.of()))
        {
            // Partition 1 gets nothing; partition 0 fills the window [0, 10 s) and moves on past it.
            for (int i = 0; i < 12; i++)
            {
                producer.send(new ProducerRecord<>("idle", 0, i * 1000L, null, "0:" + i));
            }
            producer.flush();
            until("the first window to fire", () -> !counts.results().isEmpty());
        }
        finally
        {
            job.cancel();
            job.awaitTermination();
        }
        assertEquals(new WindowResult<>("0", 0, 10_000, 10L, false), counts.results().get(0));
    }

    @Test
    void aTopicMatchingThePatternIsPickedUpWhileTheJobRuns() throws Exception
    {
        createTopic("grow-a", 2);
        write("grow-a", 2, 0, 20);
        final CollectSink<String> sink = new CollectSink<>();
        final StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(2);
        final KafkaSource<String> source = KafkaSource.builder(broker.bootstrap(), TEXT).topicPattern(Pattern.compile("grow-.*"))
            .partitionDiscovery(Duration.ofMillis(100)).build();
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "kafka").sinkTo(sink);
        final JobHandle job = env.executeAsync("kafka discovery");
        try
        {
            until("the first topic", () -> sink.size() == 40);
            createTopic("grow-b", 3);
            write("grow-b", 3, 0, 10);
            until("the topic created while the job runs", () -> sink.size() == 70);
            write("grow-a", 2, 20, 30);
            until("more records of the first topic", () -> sink.size() == 90);
        }
        finally
        {
            job.cancel();
            job.awaitTermination();
        }
        final List<String> all = new ArrayList<>(expected(2, 0, 30));
        all.addAll(expected(3, 0, 10));
        assertExactly(all, sink.results());
    }

    @Test
    void aPartitionAddedToATopicIsPickedUpWhileTheJobRuns() throws Exception
    {
        assumeTrue(addsPartitions(), "this broker does not add partitions to a topic yet (CreatePartitions)");
        createTopic("added", 1);
        write("added", 1, 0, 10);
        final CollectSink<String> sink = new CollectSink<>();
        final StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(2);
        env.fromSource(source("added").partitionDiscovery(Duration.ofMillis(100)).build(), WatermarkStrategy.noWatermarks(), "kafka").sinkTo(sink);
        final JobHandle job = env.executeAsync("kafka partitions added");
        try
        {
            until("the first partition", () -> sink.size() == 10);
            admin.createPartitions(Map.of("added", NewPartitions.increaseTo(3))).all().get();
            write("added", 3, 10, 20);
            until("the partitions added while the job runs", () -> sink.size() == 40);
        }
        finally
        {
            job.cancel();
            job.awaitTermination();
        }
        final List<String> all = new ArrayList<>(expected(1, 0, 20));
        all.addAll(expected(3, 10, 20).subList(10, 30));
        // Added partitions start at their earliest offset: records 10..19 of partitions 1 and 2.
        assertExactly(all, sink.results());
    }

    @Test
    void aMalformedRecordFailsTheJobNamingItsPartitionAndOffset() throws Exception
    {
        createTopic("malformed", 1);
        try (KafkaProducer<String, String> producer = producer(Map.of()))
        {
            for (int i = 0; i < 5; i++)
            {
                producer.send(new ProducerRecord<>("malformed", 0, null, i == 3 ? "bad" : "0:" + i));
            }
            producer.flush();
        }
        final LogDeserializer<String> strict = (key, value) ->
        {
            final String text = new String(value, StandardCharsets.UTF_8);
            if (!text.contains(":"))
            {
                throw new IllegalArgumentException("not a record: " + text);
            }
            return text;
        };
        final CollectSink<String> sink = new CollectSink<>();
        final StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(1);
        env.fromSource(KafkaSource.builder(broker.bootstrap(), strict).topics("malformed").bounded().build(), WatermarkStrategy.noWatermarks(), "kafka").sinkTo(sink);
        final JobExecutionException failure = assertThrows(JobExecutionException.class, () -> env.executeAsync("kafka malformed").awaitTermination());
        final String message = String.valueOf(failure.getCause());
        assertTrue(message.contains("malformed-0 offset 3") && message.contains("not a record: bad"), message);
        assertFalse(sink.results().contains("bad"));
    }

    @Test
    void theOffsetsOfACompletedCheckpointAreCommittedToTheGroup() throws Exception
    {
        createTopic("commits", 2);
        write("commits", 2, 0, 50);
        final CollectSink<String> sink = new CollectSink<>();
        final StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(2)
            .enableCheckpointing(CheckpointConfig.every(Duration.ofMillis(50)));
        env.fromSource(source("commits").groupId("commits-group").commitOffsetsOnCheckpoint(true).build(), WatermarkStrategy.noWatermarks(), "kafka").sinkTo(sink);
        final JobHandle job = env.executeAsync("kafka commits");
        final Map<TopicPartition, OffsetAndMetadata> all = Map.of(new TopicPartition("commits", 0), new OffsetAndMetadata(50),
            new TopicPartition("commits", 1), new OffsetAndMetadata(50));
        try
        {
            until("the offsets of every record to be committed", () ->
            {
                try
                {
                    final Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("commits-group").partitionsToOffsetAndMetadata().get();
                    return committed.keySet().equals(all.keySet()) && committed.values().stream().allMatch(offset -> offset.offset() == 50);
                }
                catch (final Exception e)
                {
                    throw new AssertionError(e);
                }
            });
        }
        finally
        {
            job.cancel();
            job.awaitTermination();
        }
        assertExactly(expected(2, 0, 50), sink.results());
    }
}
