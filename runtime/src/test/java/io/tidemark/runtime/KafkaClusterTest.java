package io.tidemark.runtime;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The three-node harness: topics get three replicas, and acknowledged records outlive the kill
 * -9 of the node that led their partition, which comes back on its data.
 */
class KafkaClusterTest
{
    @TempDir
    Path dir;

    @Test
    void acknowledgedRecordsOutliveAKilledLeaderThatComesBack() throws Exception
    {
        try (KafkaCluster cluster = new KafkaCluster(dir, Map.of(), 2))
        {
            cluster.start();
            final Properties producerConfig = new Properties();
            producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap());
            producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
            final int leader;
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap()));
                KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig, new StringSerializer(), new StringSerializer()))
            {
                KafkaTopics.create(admin, new NewTopic("t", 1, (short)KafkaCluster.NODES));
                final TopicDescription topic = onceKnown(() -> admin.describeTopics(List.of("t")).allTopicNames().get(1, TimeUnit.MINUTES).get("t"));
                assertEquals(KafkaCluster.NODES, topic.partitions().get(0).replicas().size());
                final ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, "t");
                assertEquals("2", onceKnown(() -> admin.describeConfigs(List.of(resource)).all().get(1, TimeUnit.MINUTES).get(resource))
                    .get("min.insync.replicas").value());
                leader = topic.partitions().get(0).leader().id();
                for (int i = 0; i < 100; i++)
                {
                    producer.send(new ProducerRecord<>("t", "before-" + i)).get(1, TimeUnit.MINUTES);
                }
                cluster.killNode(leader - 1);
                for (int i = 0; i < 100; i++)
                {
                    producer.send(new ProducerRecord<>("t", "during-" + i)).get(1, TimeUnit.MINUTES);
                }
            }
            cluster.restartNode(leader - 1);
            final Properties consumerConfig = new Properties();
            consumerConfig.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap());
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new StringDeserializer()))
            {
                final TopicPartition partition = new TopicPartition("t", 0);
                consumer.assign(List.of(partition));
                consumer.seekToBeginning(List.of(partition));
                final List<String> read = new ArrayList<>();
                final long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
                while (read.size() < 200)
                {
                    assertTrue(System.nanoTime() < deadline, "read only " + read.size());
                    for (final ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200)))
                    {
                        read.add(record.value());
                    }
                }
                assertEquals(200, read.size());
                assertEquals("before-0", read.get(0));
                assertEquals("during-99", read.get(199));
            }
        }
    }

    /**
     * What an admin request answers once the node it goes to knows the topic: each node learns
     * a new topic from the controller on its own, a moment apart, and Metadata and
     * DescribeConfigs answered by a node that has not yet are not retried by the client.
     */
    private static <T> T onceKnown(final Callable<T> request) throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (true)
        {
            try
            {
                return request.call();
            }
            catch (final ExecutionException e)
            {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() - deadline > 0)
                {
                    throw e;
                }
                Thread.sleep(20);
            }
        }
    }
}
