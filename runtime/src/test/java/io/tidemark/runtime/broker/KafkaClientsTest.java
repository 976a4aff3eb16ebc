package io.tidemark.runtime.broker;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Java client (kafka-clients 4.x) against the server over real sockets: admin,
 * idempotent producer, consumer with assign(), replay by time and from the beginning,
 * restart, acks, and the error codes clients act on.
 */
class KafkaClientsTest
{
    private static final int PARTITIONS = 6;

    @TempDir
    Path dataDir;

    static Properties common(final TestServer server)
    {
        final Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, server.bootstrap());
        return properties;
    }

    static KafkaProducer<byte[], byte[]> producer(final TestServer server, final Map<String, Object> overrides)
    {
        final Properties properties = common(server);
        properties.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        properties.putAll(overrides);
        return new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer());
    }

    static KafkaConsumer<byte[], byte[]> consumer(final TestServer server)
    {
        final Properties properties = common(server);
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    static Admin admin(final TestServer server)
    {
        return Admin.create(common(server));
    }

    /** Polls the assigned partitions until {@code count} records came or the deadline passed. */
    static List<ConsumerRecord<byte[], byte[]>> pollAll(final KafkaConsumer<byte[], byte[]> consumer, final int count)
    {
        final List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>(count);
        final long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (records.size() < count && System.nanoTime() < deadline)
        {
            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        }
        return records;
    }

    static List<TopicPartition> partitions(final String topic, final int count)
    {
        final List<TopicPartition> partitions = new ArrayList<>();
        for (int p = 0; p < count; p++)
        {
            partitions.add(new TopicPartition(topic, p));
        }
        return partitions;
    }

    @Test
    void adminProducerAndConsumerAgreeWithKafkaOnPartitionsOrderAndReplay() throws Exception
    {
        final int records = 1_000_000;
        final int keys = 1_000;
        try (TestServer server = TestServer.start(dataDir, Map.of("auto.create.topics.enable", "false")))
        {
            try (Admin admin = admin(server))
            {
                admin.createTopics(List.of(new NewTopic("orders", PARTITIONS, (short)1))).all().get();
                assertEquals(PARTITIONS, admin.describeTopics(List.of("orders")).allTopicNames().get().get("orders").partitions().size());
            }

            final long before = System.currentTimeMillis();
            final AtomicLongArray perPartition = new AtomicLongArray(PARTITIONS);
            final AtomicInteger misplaced = new AtomicInteger();
            final AtomicReference<Exception> failed = new AtomicReference<>();
            try (KafkaProducer<byte[], byte[]> producer = producer(server, Map.of()))
            {
                for (int i = 0; i < records; i++)
                {
                    final byte[] key = ("key-" + (i % keys)).getBytes(UTF_8);
                    final int expected = Utils.toPositive(Utils.murmur2(key)) % PARTITIONS;
                    producer.send(new ProducerRecord<>("orders", key, Integer.toString(i).getBytes(UTF_8)), (metadata, error) ->
                    {
                        if (error != null)
                        {
                            failed.set(error);
                            return;
                        }
                        perPartition.incrementAndGet(metadata.partition());
                        if (metadata.partition() != expected)
                        {
                            misplaced.incrementAndGet();
                        }
                    });
                }
                producer.flush();
            }
            assertNull(failed.get(), "every send succeeded");
            assertEquals(0, misplaced.get(), "every record is on the partition Kafka's default partitioner picks");

            try (KafkaConsumer<byte[], byte[]> consumer = consumer(server))
            {
                final List<TopicPartition> partitions = partitions("orders", PARTITIONS);
                consumer.assign(partitions);
                final Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
                for (int p = 0; p < PARTITIONS; p++)
                {
                    assertEquals(perPartition.get(p), ends.get(partitions.get(p)), "end offset of partition " + p);
                }
                // Read everything once, checking as it comes, keeping only the record in the middle of partition 0.
                final Map<String, Integer> lastPerKey = new HashMap<>();
                final long[] nextOffset = new long[PARTITIONS];
                ConsumerRecord<byte[], byte[]> middle = null;
                int read = 0;
                final long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
                while (read < records && System.nanoTime() < deadline)
                {
                    for (final ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200)))
                    {
                        read++;
                        assertEquals(nextOffset[record.partition()]++, record.offset(), "offsets are dense");
                        final String key = new String(record.key(), UTF_8);
                        final int value = Integer.parseInt(new String(record.value(), UTF_8));
                        final Integer last = lastPerKey.put(key, value);
                        assertTrue(last == null || last < value, "per-key order: " + key + " had " + last + " before " + value);
                        assertEquals("key-" + (value % keys), key);
                        if (record.partition() == 0 && record.offset() == perPartition.get(0) / 2)
                        {
                            middle = record;
                        }
                    }
                }
                assertEquals(records, read);

                // offsetsForTimes: everything was written after "before"; nothing after "now + 1h".
                final Map<TopicPartition, Long> query = new HashMap<>();
                partitions.forEach(tp -> query.put(tp, before));
                final Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query);
                partitions.forEach(tp -> assertEquals(0L, found.get(tp).offset()));
                final Map<TopicPartition, Long> future = new HashMap<>();
                partitions.forEach(tp -> future.put(tp, System.currentTimeMillis() + 3_600_000L));
                consumer.offsetsForTimes(future).values().forEach(offset -> assertNull(offset));

                // A timestamp in the middle of partition 0 finds the first record at or after it.
                final TopicPartition p0 = partitions.get(0);
                assertNotNull(middle);
                final OffsetAndTimestamp atMiddle = consumer.offsetsForTimes(Map.of(p0, middle.timestamp())).get(p0);
                assertTrue(atMiddle.offset() <= middle.offset());
                assertEquals(middle.timestamp(), atMiddle.timestamp());

                consumer.seekToBeginning(partitions);
                int replayed = 0;
                final long replayDeadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
                while (replayed < records && System.nanoTime() < replayDeadline)
                {
                    replayed += consumer.poll(Duration.ofMillis(200)).count();
                }
                assertEquals(records, replayed, "seekToBeginning replays history");
            }
        }
    }

    @Test
    void restartKeepsTheData() throws Exception
    {
        try (TestServer server = TestServer.start(dataDir, Map.of("num.partitions", "3")))
        {
            try (KafkaProducer<byte[], byte[]> producer = producer(server, Map.of()))
            {
                for (int i = 0; i < 1_000; i++)
                {
                    producer.send(new ProducerRecord<>("kept", Integer.toString(i).getBytes(UTF_8), new byte[100]));
                }
                producer.flush();
            }
            server.restart();
            try (KafkaConsumer<byte[], byte[]> consumer = consumer(server))
            {
                consumer.assign(partitions("kept", 3));
                assertEquals(1_000, pollAll(consumer, 1_000).size());
            }
            // Producing after the restart continues the offsets, from a new producer id.
            try (KafkaProducer<byte[], byte[]> producer = producer(server, Map.of()))
            {
                final RecordMetadata metadata = producer.send(new ProducerRecord<>("kept", 0, null, new byte[1])).get();
                try (KafkaConsumer<byte[], byte[]> consumer = consumer(server))
                {
                    final TopicPartition p0 = new TopicPartition("kept", 0);
                    assertEquals(metadata.offset() + 1, consumer.endOffsets(List.of(p0)).get(p0));
                }
            }
        }
    }

    @Test
    void everyAcksSettingDeliversInOrder() throws Exception
    {
        try (TestServer server = TestServer.start(dataDir, Map.of()))
        {
            for (final String acks : new String[] {"0", "1", "all"})
            {
                final String topic = "acks-" + acks;
                final Map<String, Object> config = new HashMap<>();
                config.put(ProducerConfig.ACKS_CONFIG, acks);
                // Idempotence needs acks=all; the others run without it.
                config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "all".equals(acks));
                try (KafkaProducer<byte[], byte[]> producer = producer(server, config))
                {
                    for (int i = 0; i < 5_000; i++)
                    {
                        producer.send(new ProducerRecord<>(topic, 0, null, Integer.toString(i).getBytes(UTF_8)));
                    }
                    producer.flush();
                }
                try (KafkaConsumer<byte[], byte[]> consumer = consumer(server))
                {
                    consumer.assign(partitions(topic, 1));
                    final List<ConsumerRecord<byte[], byte[]>> read = pollAll(consumer, 5_000);
                    assertEquals(5_000, read.size(), "acks=" + acks);
                    for (int i = 0; i < read.size(); i++)
                    {
                        assertEquals(Integer.toString(i), new String(read.get(i).value(), UTF_8), "acks=" + acks);
                    }
                }
            }
        }
    }

    @Test
    void adminErrorsAndConfigsUseKafkasCodes() throws Exception
    {
        try (TestServer server = TestServer.start(dataDir, Map.of("auto.create.topics.enable", "false", "log.retention.hours", "2"));
            Admin admin = admin(server))
        {
            admin.createTopics(List.of(new NewTopic("configured", 2, (short)1).configs(Map.of("retention.ms", "60000")))).all().get();
            final ExecutionException exists = assertThrows(ExecutionException.class,
                () -> admin.createTopics(List.of(new NewTopic("configured", 2, (short)1))).all().get());
            assertInstanceOf(TopicExistsException.class, exists.getCause());
            final ExecutionException replication = assertThrows(ExecutionException.class,
                () -> admin.createTopics(List.of(new NewTopic("replicated", 2, (short)3))).all().get());
            assertInstanceOf(InvalidReplicationFactorException.class, replication.getCause());
            final ExecutionException badConfig = assertThrows(ExecutionException.class,
                () -> admin.createTopics(List.of(new NewTopic("bad", 1, (short)1).configs(Map.of("retention.ms", "soon")))).all().get());
            assertTrue(badConfig.getCause().getMessage().contains("retention.ms"), badConfig.getCause().getMessage());

            final ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, "configured");
            final ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, "0");
            final Map<ConfigResource, Config> configs = admin.describeConfigs(List.of(topic, broker)).all().get();
            assertEquals("60000", configs.get(topic).get("retention.ms").value());
            assertEquals("7200000", configs.get(broker).get("log.retention.ms").value());
            assertEquals("false", configs.get(broker).get("auto.create.topics.enable").value());

            final ExecutionException unknown = assertThrows(ExecutionException.class,
                () -> admin.describeTopics(List.of("missing")).allTopicNames().get());
            assertInstanceOf(UnknownTopicOrPartitionException.class, unknown.getCause());

            admin.deleteTopics(List.of("configured")).all().get();
            assertTrue(admin.listTopics().names().get().isEmpty());
            final ExecutionException deleted = assertThrows(ExecutionException.class,
                () -> admin.deleteTopics(List.of("configured")).all().get());
            assertInstanceOf(UnknownTopicOrPartitionException.class, deleted.getCause());
        }
    }

    @Test
    void aBatchOverMaxMessageBytesIsRefusedWithMessageTooLarge() throws Exception
    {
        try (TestServer server = TestServer.start(dataDir, Map.of("message.max.bytes", "10000"));
            KafkaProducer<byte[], byte[]> producer = producer(server, Map.of(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 1_000_000)))
        {
            final ExecutionException tooLarge = assertThrows(ExecutionException.class,
                () -> producer.send(new ProducerRecord<>("big", new byte[20_000])).get());
            assertInstanceOf(RecordTooLargeException.class, tooLarge.getCause());
            assertNotNull(producer.send(new ProducerRecord<>("big", new byte[1_000])).get());
        }
    }
}
