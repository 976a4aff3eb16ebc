package io.tidemark.connector.kafka;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.IntStream;

import io.tidemark.engine.sink.SinkWriter;
import io.tidemark.engine.time.Watermark;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The Kafka sink tests' view of a topic on a broker: created with a few partitions, read to
 * its end by read_committed or read_uncommitted consumers, its last stable offsets compared
 * with its log end; and the sink's checkpoint calls as a sink operator makes them.
 *
 * @param bootstrap the broker.
 * @param topic     the topic.
 */
record SinkTopics(String bootstrap, String topic)
{
    static final int PARTITIONS = 3;
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    /**
     * @param bootstrap the broker.
     * @param topic     a topic name unique to the test.
     * @return the topic, created.
     * @throws Exception if creating fails.
     */
    static SinkTopics create(final String bootstrap, final String topic) throws Exception
    {
        try (Admin admin = admin(bootstrap))
        {
            admin.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short)1))).all().get();
        }
        return new SinkTopics(bootstrap, topic);
    }

    static Admin admin(final String bootstrap)
    {
        final Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return Admin.create(properties);
    }

    /** @return a sink builder for this topic, values as UTF-8 strings. */
    KafkaSink.Builder<String> sink()
    {
        return KafkaSink.builder(bootstrap, topic, value -> value.getBytes(StandardCharsets.UTF_8));
    }

    /** @return every value read_committed readers see, read up to the last stable offsets. */
    List<String> readCommitted()
    {
        return read("read_committed");
    }

    /** @return every value, committed or not, read up to the log end. */
    List<String> readUncommitted()
    {
        return read("read_uncommitted");
    }

    private List<String> read(final String isolation)
    {
        try (KafkaConsumer<String, String> consumer = consumer(isolation))
        {
            final List<TopicPartition> partitions = partitions();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            final Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            final List<String> values = new ArrayList<>();
            final long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p)))
            {
                if (System.nanoTime() - deadline > 0)
                {
                    throw new AssertionError("not read to " + ends + " within " + READ_TIMEOUT);
                }
                for (final ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200)))
                {
                    values.add(record.value());
                }
            }
            return values;
        }
    }

    /**
     * @return whether a transaction holds a partition's last stable offset below its log end:
     *         read_committed readers are held back.
     */
    boolean somethingLingers()
    {
        try (KafkaConsumer<String, String> committed = consumer("read_committed");
             KafkaConsumer<String, String> uncommitted = consumer("read_uncommitted"))
        {
            return !committed.endOffsets(partitions()).equals(uncommitted.endOffsets(partitions()));
        }
    }

    private List<TopicPartition> partitions()
    {
        return IntStream.range(0, PARTITIONS).mapToObj(p -> new TopicPartition(topic, p)).toList();
    }

    private KafkaConsumer<String, String> consumer(final String isolation)
    {
        final Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        return new KafkaConsumer<>(properties);
    }

    /** @return {@code <prefix>-0 .. <prefix>-(count-1)}. */
    static List<String> records(final String prefix, final int count)
    {
        return IntStream.range(0, count).mapToObj(i -> prefix + "-" + i).toList();
    }

    static void write(final SinkWriter<String> writer, final String prefix, final int count) throws Exception
    {
        for (final String record : records(prefix, count))
        {
            writer.write(record, Watermark.NONE);
        }
    }

    static byte[] snapshot(final SinkWriter<String> writer, final long checkpointId) throws IOException
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        writer.snapshotState(checkpointId, new DataOutputStream(bytes));
        return bytes.toByteArray();
    }

    static DataInput input(final byte[] snapshot)
    {
        return new DataInputStream(new ByteArrayInputStream(snapshot));
    }

    static List<String> sorted(final List<String> values)
    {
        return values.stream().sorted().toList();
    }
}
