package io.tidemark.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.AlterConfigsOptions;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeConfigsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The broker keys that set topic defaults change while the broker runs, for the cluster-wide
 * default (the empty broker name) and for the broker itself (node 0 on Tidemark), with the same expectations on {@code tidemark
 * server} and Apache Kafka 4.3.1. These change the brokers' defaults, so the class runs a pair of
 * its own instead of the shared one; each test puts back what it changed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DynamicBrokerConfigsTest
{
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final ConfigResource CLUSTER_DEFAULT = new ConfigResource(ConfigResource.Type.BROKER, "");
    private static final String WEEK = "604800000";

    @TempDir
    static Path dir;

    private final Map<String, BrokerUnderTest> brokers = new LinkedHashMap<>();

    @BeforeAll
    void startBrokers() throws Exception
    {
        brokers.put("tidemark", new TidemarkBrokerProcess(dir.resolve("tidemark"), Map.of()));
        brokers.put("kafka", new KafkaBrokerProcess(dir.resolve("kafka"), Map.of()));
        BrokerUnderTest.onEach(brokers.values(), BrokerUnderTest::start, Duration.ofMinutes(3));
    }

    @AfterAll
    void stopBrokers() throws Exception
    {
        for (final BrokerUnderTest broker : brokers.values())
        {
            broker.close();
        }
    }

    private Admin admin(final String broker)
    {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers.get(broker).bootstrap()));
    }

    /** @return the broker's own resource: node 0 on Tidemark, the node id the Kafka broker was given there. */
    private static ConfigResource node(final Admin admin) throws Exception
    {
        return new ConfigResource(ConfigResource.Type.BROKER, admin.describeCluster().nodes().get(1, TimeUnit.MINUTES).iterator().next().idString());
    }

    private static AlterConfigOp set(final String key, final String value)
    {
        return new AlterConfigOp(new ConfigEntry(key, value), AlterConfigOp.OpType.SET);
    }

    private static AlterConfigOp delete(final String key)
    {
        return new AlterConfigOp(new ConfigEntry(key, null), AlterConfigOp.OpType.DELETE);
    }

    private static void alter(final Admin admin, final ConfigResource resource, final AlterConfigOp op) throws Exception
    {
        admin.incrementalAlterConfigs(Map.of(resource, List.of(op))).all().get(1, TimeUnit.MINUTES);
    }

    private static ConfigEntry entry(final Admin admin, final ConfigResource resource, final String key) throws Exception
    {
        return admin.describeConfigs(List.of(resource), new DescribeConfigsOptions().includeSynonyms(true))
            .all().get(1, TimeUnit.MINUTES).get(resource).get(key);
    }

    /**
     * Kafka applies a change a moment after answering, and knows a topic it has just created only once its
     * metadata cache has caught up: the entry is read until it has the value and source, or the deadline passes.
     */
    private static ConfigEntry await(final Admin admin, final ConfigResource resource, final String key, final String value,
        final ConfigEntry.ConfigSource source) throws Exception
    {
        final long deadline = System.nanoTime() + DEADLINE.toNanos();
        ConfigEntry entry = entryOnceKnown(admin, resource, key);
        while (entry == null || !value.equals(entry.value()) || entry.source() != source)
        {
            assertTrue(System.nanoTime() < deadline, "still " + entry + " of " + resource + ", expected " + value + " from " + source);
            Thread.sleep(50);
            entry = entryOnceKnown(admin, resource, key);
        }
        return entry;
    }

    /** @return the entry, or null while the broker does not yet know the resource's topic. */
    private static ConfigEntry entryOnceKnown(final Admin admin, final ConfigResource resource, final String key) throws Exception
    {
        try
        {
            return entry(admin, resource, key);
        }
        catch (final ExecutionException e)
        {
            if (resource.type() == ConfigResource.Type.TOPIC && e.getCause() instanceof UnknownTopicOrPartitionException)
            {
                return null;
            }
            throw e;
        }
    }

    private static void assertSynonym(final ConfigEntry.ConfigSynonym synonym, final String name, final String value,
        final ConfigEntry.ConfigSource source)
    {
        assertEquals(name, synonym.name(), synonym::toString);
        assertEquals(value, synonym.value(), synonym::toString);
        assertEquals(source, synonym.source(), synonym::toString);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tidemark", "kafka"})
    void aDynamicDefaultReachesTopicsWithoutTheirOwnValueAndNodeZeroWinsOverIt(final String broker) throws Exception
    {
        try (Admin admin = admin(broker))
        {
            final ConfigResource node = node(admin);
            admin.createTopics(List.of(new NewTopic("dynamic-plain", 1, (short)1),
                new NewTopic("dynamic-own", 1, (short)1).configs(Map.of("retention.ms", "3600000")))).all().get(1, TimeUnit.MINUTES);
            final ConfigResource plain = new ConfigResource(ConfigResource.Type.TOPIC, "dynamic-plain");
            final ConfigResource own = new ConfigResource(ConfigResource.Type.TOPIC, "dynamic-own");
            await(admin, plain, "retention.ms", WEEK, ConfigEntry.ConfigSource.DEFAULT_CONFIG);

            admin.incrementalAlterConfigs(Map.of(CLUSTER_DEFAULT, List.of(set("log.retention.ms", "7200000"))),
                new AlterConfigsOptions().validateOnly(true)).all().get(1, TimeUnit.MINUTES);
            assertEquals(null, entry(admin, CLUSTER_DEFAULT, "log.retention.ms"), "validateOnly changes nothing");
            alter(admin, CLUSTER_DEFAULT, set("log.retention.ms", "7200000"));
            final ConfigEntry followed = await(admin, plain, "retention.ms", "7200000", ConfigEntry.ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG);
            assertSynonym(followed.synonyms().get(0), "log.retention.ms", "7200000", ConfigEntry.ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG);
            final ConfigEntry kept = entry(admin, own, "retention.ms");
            assertEquals("3600000", kept.value(), "the topic's own value wins");
            assertEquals(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG, kept.source());
            assertSynonym(kept.synonyms().get(1), "log.retention.ms", "7200000", ConfigEntry.ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG);
            final ConfigEntry clusterWide = entry(admin, CLUSTER_DEFAULT, "log.retention.ms");
            assertEquals("7200000", clusterWide.value());
            assertEquals(ConfigEntry.ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG, clusterWide.source());

            alter(admin, node, set("log.retention.ms", "10800000"));
            final ConfigEntry nodeValue = await(admin, node, "log.retention.ms", "10800000", ConfigEntry.ConfigSource.DYNAMIC_BROKER_CONFIG);
            assertSynonym(nodeValue.synonyms().get(0), "log.retention.ms", "10800000", ConfigEntry.ConfigSource.DYNAMIC_BROKER_CONFIG);
            assertSynonym(nodeValue.synonyms().get(1), "log.retention.ms", "7200000", ConfigEntry.ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG);
            final ConfigEntry nodeWins = await(admin, plain, "retention.ms", "10800000", ConfigEntry.ConfigSource.DYNAMIC_BROKER_CONFIG);
            assertSynonym(nodeWins.synonyms().get(1), "log.retention.ms", "7200000", ConfigEntry.ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG);

            alter(admin, node, delete("log.retention.ms"));
            await(admin, plain, "retention.ms", "7200000", ConfigEntry.ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG);
            alter(admin, CLUSTER_DEFAULT, delete("log.retention.ms"));
            await(admin, plain, "retention.ms", WEEK, ConfigEntry.ConfigSource.DEFAULT_CONFIG);
            assertEquals("3600000", entry(admin, own, "retention.ms").value());
            admin.deleteTopics(List.of("dynamic-plain", "dynamic-own")).all().get(1, TimeUnit.MINUTES);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tidemark", "kafka"})
    void aStaticKeyOrABadValueIsRefusedAndChangesNothing(final String broker) throws Exception
    {
        try (Admin admin = admin(broker))
        {
            final ConfigResource node = node(admin);
            final ExecutionException refused = assertThrows(ExecutionException.class,
                () -> alter(admin, node, set("log.dirs", "/elsewhere")));
            assertInstanceOf(InvalidRequestException.class, refused.getCause());
            assertTrue(refused.getCause().getMessage().contains("Cannot update these configs dynamically: [log.dirs]"),
                refused.getCause().getMessage());
            final ExecutionException bad = assertThrows(ExecutionException.class,
                () -> alter(admin, CLUSTER_DEFAULT, set("log.retention.ms", "soon")));
            assertInstanceOf(InvalidRequestException.class, bad.getCause());
            assertTrue(bad.getCause().getMessage().contains("log.retention.ms"), bad.getCause().getMessage());
            assertEquals(ConfigEntry.ConfigSource.DEFAULT_CONFIG, entry(admin, node, "log.retention.ms").source(), "nothing changed");
            assertEquals(null, entry(admin, CLUSTER_DEFAULT, "log.retention.ms"), "the cluster-wide default lists only its dynamic keys");
        }
    }

    /** Tidemark keeps the dynamic keys in the data directory: a restart starts from them. */
    @Test
    void dynamicKeysSurviveARestart() throws Exception
    {
        final BrokerUnderTest tidemark = brokers.get("tidemark");
        try (Admin admin = admin("tidemark"))
        {
            alter(admin, CLUSTER_DEFAULT, set("log.segment.bytes", "1048576"));
            alter(admin, node(admin), set("message.max.bytes", "2000"));
        }
        tidemark.restart();
        try (Admin admin = admin("tidemark"))
        {
            admin.createTopics(List.of(new NewTopic("dynamic-restarted", 1, (short)1))).all().get(1, TimeUnit.MINUTES);
            final ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, "dynamic-restarted");
            assertEquals(ConfigEntry.ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG, entry(admin, topic, "segment.bytes").source());
            assertEquals("1048576", entry(admin, topic, "segment.bytes").value());
            assertEquals("2000", entry(admin, topic, "max.message.bytes").value());
            assertEquals(ConfigEntry.ConfigSource.DYNAMIC_BROKER_CONFIG, entry(admin, node(admin), "message.max.bytes").source());
            alter(admin, CLUSTER_DEFAULT, delete("log.segment.bytes"));
            alter(admin, node(admin), delete("message.max.bytes"));
            assertEquals(ConfigEntry.ConfigSource.DEFAULT_CONFIG, entry(admin, topic, "max.message.bytes").source());
            admin.deleteTopics(List.of("dynamic-restarted")).all().get(1, TimeUnit.MINUTES);
        }
    }
}
