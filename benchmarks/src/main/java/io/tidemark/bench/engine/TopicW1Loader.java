package io.tidemark.bench.engine;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;

import io.tidemark.log.LogConfig;
import io.tidemark.log.producer.Acks;
import io.tidemark.log.producer.Producer;
import io.tidemark.log.producer.ProducerConfig;
import io.tidemark.log.topic.LogManager;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes the W1 events G(N, 10,000) ({@link TopicEvents}) into a new topic of 2 partitions,
 * once, before the runs that read it: over the Kafka protocol with the kafka-clients
 * producer (to {@code tidemark server} or an Apache Kafka broker), or into an embedded log
 * data directory with the embedded producer. Both write batches of up to 512 KiB (under
 * both brokers' default limit of 1 MiB a batch); the writing is not timed.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.tidemark.bench.engine.TopicW1Loader kafka BOOTSTRAP TOPIC EVENTS
 * java -cp benchmarks/target/benchmarks.jar io.tidemark.bench.engine.TopicW1Loader log DATA_DIR TOPIC EVENTS
 * </pre>
 */
public final class TopicW1Loader
{
    /** The partitions of the topic: one per source subtask of W1. */
    static final int PARTITIONS = ThroughputWorkload.PARALLELISM;

    private static final int BATCH_BYTES = 512 << 10;
    private static final long BUFFER_BYTES = 64L << 20;
    private static final int LINGER_MS = 20;
    /**
     * The events' timestamps lie in 2023, so a topic with the default retention (7 days by
     * timestamp) would lose its segments to the next retention check, on Kafka and Tidemark alike.
     */
    private static final Map<String, String> KEEP_FOREVER = Map.of("retention.ms", "-1");

    private TopicW1Loader()
    {
    }

    /**
     * @param args {@code kafka BOOTSTRAP TOPIC EVENTS} or {@code log DATA_DIR TOPIC EVENTS}.
     * @throws Exception if the topic exists already or a write fails.
     */
    public static void main(final String[] args) throws Exception
    {
        if (args.length != 4 || !List.of("kafka", "log").contains(args[0]))
        {
            System.err.println("usage: TopicW1Loader kafka BOOTSTRAP TOPIC EVENTS | log DATA_DIR TOPIC EVENTS");
            System.exit(2);
        }
        final String topic = args[2];
        final long events = Long.parseLong(args[3]);
        final long start = System.nanoTime();
        if (args[0].equals("kafka"))
        {
            loadKafka(args[1], topic, events);
        }
        else
        {
            loadLog(Path.of(args[1]), topic, events);
        }
        System.out.printf(Locale.ROOT, "loaded %,d W1 events into %s on %s in %d ms%n", events, topic, args[1], (System.nanoTime() - start) / 1_000_000);
    }

    private static void loadKafka(final String bootstrap, final String topic, final long events) throws InterruptedException, ExecutionException
    {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap)))
        {
            admin.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short)1).configs(KEEP_FOREVER))).all().get();
        }
        final Properties properties = new Properties();
        properties.put(org.apache.kafka.clients.producer.ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        properties.put(org.apache.kafka.clients.producer.ProducerConfig.BATCH_SIZE_CONFIG, BATCH_BYTES);
        properties.put(org.apache.kafka.clients.producer.ProducerConfig.LINGER_MS_CONFIG, LINGER_MS);
        properties.put(org.apache.kafka.clients.producer.ProducerConfig.BUFFER_MEMORY_CONFIG, BUFFER_BYTES);
        properties.put(org.apache.kafka.clients.producer.ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer()))
        {
            for (long i = 0; i < events; i++)
            {
                final Event event = Event.generate(i, ThroughputWorkload.W1.users());
                producer.send(new ProducerRecord<>(topic, (int)(i % PARTITIONS), event.eventTimeMs(), TopicEvents.key(event), TopicEvents.value(event)));
            }
            producer.flush();
        }
    }

    /**
     * @param dataDir an embedded log data directory, created if missing.
     * @param topic   the topic to create in it.
     * @param events  the number of events to write.
     */
    static void loadLog(final Path dataDir, final String topic, final long events)
    {
        try (LogManager logs = LogManager.open(dataDir, LogConfig.DEFAULTS))
        {
            logs.createTopic(topic, PARTITIONS, KEEP_FOREVER);
            final ProducerConfig config = ProducerConfig.defaults().withBatchSize(BATCH_BYTES).withLingerMs(LINGER_MS).withAcks(Acks.LEADER)
                .withBufferMemory(BUFFER_BYTES, ProducerConfig.defaults().maxBlockMs());
            try (Producer producer = new Producer(logs, config))
            {
                for (long i = 0; i < events; i++)
                {
                    final Event event = Event.generate(i, ThroughputWorkload.W1.users());
                    producer.send(new io.tidemark.log.producer.ProducerRecord(topic, (int)(i % PARTITIONS), event.eventTimeMs(), TopicEvents.key(event),
                        TopicEvents.value(event), null));
                }
                producer.flush();
            }
        }
    }
}
