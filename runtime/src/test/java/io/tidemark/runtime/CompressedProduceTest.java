package io.tidemark.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A Kafka producer's {@code compression.type} against {@code tidemark server} and Apache Kafka
 * (the oracle): the batches are stored and served as they came, a consumer reads every record
 * from a position inside a compressed batch, and {@code offsetsForTimes}, which the server
 * answers by reading the records of the batch that holds the time, finds the same offset.
 */
class CompressedProduceTest
{
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final int RECORDS = 200;
    private static final long T0 = 1_700_000_000_000L;

    @ParameterizedTest
    @ValueSource(strings = {"tidemark", "kafka"})
    void everyCodecIsStoredServedAndSearchedByTime(final String broker) throws Exception
    {
        final String bootstrap = SharedBrokers.get(broker).bootstrap();
        for (final String codec : List.of("gzip", "snappy", "lz4", "zstd"))
        {
            final String topic = "compressed-produce-" + codec + "-" + broker;
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap)))
            {
                // Kept forever: Kafka deletes segments of these 2023 timestamps at a retention check.
                admin.createTopics(List.of(new NewTopic(topic, 1, (short)1).configs(Map.of("retention.ms", "-1")))).all().get();
            }
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, codec, ProducerConfig.LINGER_MS_CONFIG, 50), new StringSerializer(), new StringSerializer()))
            {
                for (int i = 0; i < RECORDS; i++)
                {
                    producer.send(new ProducerRecord<>(topic, 0, T0 + 10L * i, "k" + i, "a value that compresses, number " + i));
                }
                producer.flush();
            }

            final TopicPartition partition = new TopicPartition(topic, 0);
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new StringDeserializer(), new StringDeserializer()))
            {
                final OffsetAndTimestamp found = consumer.offsetsForTimes(Map.of(partition, T0 + 1005), DEADLINE).get(partition);
                assertEquals(101, found.offset(), codec + ": the first record at or after the time");
                assertEquals(T0 + 1010, found.timestamp(), codec);

                consumer.assign(List.of(partition));
                consumer.seek(partition, 150);
                final List<ConsumerRecord<String, String>> read = new ArrayList<>();
                final long deadline = System.nanoTime() + DEADLINE.toNanos();
                while (read.size() < RECORDS - 150 && System.nanoTime() < deadline)
                {
                    consumer.poll(Duration.ofMillis(200)).forEach(read::add);
                }
                assertEquals(RECORDS - 150, read.size(), codec);
                for (int i = 0; i < read.size(); i++)
                {
                    assertEquals(150 + i, read.get(i).offset());
                    assertEquals("a value that compresses, number " + (150 + i), read.get(i).value());
                }
            }
        }
    }
}
