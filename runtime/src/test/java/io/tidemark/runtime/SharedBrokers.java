package io.tidemark.runtime;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * One {@code tidemark server} and one Apache Kafka broker (the oracle), started once for every test class of the module that asks for them
 * and killed when the test JVM exits. A Kafka JVM takes seconds to start, so test classes
 * that only create topics and groups of their own share this pair instead of starting one
 * each; a test that restarts, kills or reconfigures a broker starts its own.
 *
 * <p>Both run with their default configuration except for two settings that only make groups
 * quicker: a new classic group's first rebalance does not wait ({@value #INITIAL_REBALANCE_DELAY}
 * ms of {@code group.initial.rebalance.delay.ms}) and members of the consumer group protocol
 * heartbeat every {@value #HEARTBEAT_INTERVAL_MS} ms.
 *
 * <p>Tests that share the pair name their topics, groups and transactional ids after the
 * test class, so that they cannot see each other's.
 */
public final class SharedBrokers
{
    /** {@code group.initial.rebalance.delay.ms} on both brokers. */
    public static final int INITIAL_REBALANCE_DELAY = 0;
    /** {@code group.consumer.heartbeat.interval.ms} on both brokers. */
    public static final int HEARTBEAT_INTERVAL_MS = 1000;

    private static Map<String, BrokerUnderTest> brokers;

    private SharedBrokers()
    {
    }

    /**
     * @param name "tidemark" or "kafka".
     * @return that broker, started on first use.
     * @throws Exception if the brokers do not start (a later call tries again).
     */
    public static synchronized BrokerUnderTest get(final String name) throws Exception
    {
        if (brokers == null)
        {
            final Path dir = Files.createTempDirectory("shared-brokers");
            final Map<String, BrokerUnderTest> started = new LinkedHashMap<>();
            final Map<String, String> groups = Map.of("group.initial.rebalance.delay.ms", Integer.toString(INITIAL_REBALANCE_DELAY),
                "group.consumer.heartbeat.interval.ms", Integer.toString(HEARTBEAT_INTERVAL_MS));
            started.put("tidemark", new TidemarkBrokerProcess(dir.resolve("tidemark"), groups));
            final Map<String, String> kafka = new HashMap<>(groups);
            // Kafka refuses an interval below its minimum, 5 seconds unless lowered.
            kafka.put("group.consumer.min.heartbeat.interval.ms", Integer.toString(HEARTBEAT_INTERVAL_MS));
            started.put("kafka", new KafkaBrokerProcess(dir.resolve("kafka"), kafka));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> closeAll(started.values()), "shared-brokers-stop"));
            BrokerUnderTest.onEach(started.values(), BrokerUnderTest::start, Duration.ofMinutes(3));
            brokers = started;
        }
        final BrokerUnderTest broker = brokers.get(name);
        if (broker == null)
        {
            throw new IllegalArgumentException("no shared broker named " + name + "; there are " + brokers.keySet());
        }
        return broker;
    }

    /**
     * @param name "tidemark" or "kafka".
     * @return an Admin client of that broker; the caller closes it.
     * @throws Exception if the brokers do not start.
     */
    public static Admin admin(final String name) throws Exception
    {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, get(name).bootstrap()));
    }

    /**
     * @param name "tidemark" or "kafka".
     * @return a producer of string keys and values to that broker, with the client's defaults
     *         (idempotent, acks=all); the caller closes it.
     * @throws Exception if the brokers do not start.
     */
    public static KafkaProducer<String, String> producer(final String name) throws Exception
    {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, get(name).bootstrap()), new StringSerializer(),
            new StringSerializer());
    }

    private static void closeAll(final Iterable<BrokerUnderTest> all)
    {
        for (final BrokerUnderTest broker : all)
        {
            try
            {
                broker.close();
            }
            catch (final Exception e)
            {
                System.err.println("could not stop the shared " + broker.name() + " broker: " + e);
            }
        }
    }
}
