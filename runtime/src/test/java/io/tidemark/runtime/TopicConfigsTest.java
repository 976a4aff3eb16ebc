package io.tidemark.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.tidemark.runtime.broker.WireClient;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.AlterConfigsOptions;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.DescribeConfigsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.message.AlterConfigsRequestData;
import org.apache.kafka.common.message.AlterConfigsResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Topic configurations through kafka-clients' {@code Admin} against {@code tidemark server} and
 * Apache Kafka (the oracle) with the same expectations: a stock set of Kafka's keys accepted at
 * creation and described back, unknown keys and bad values refused naming the key, the same
 * keys, types and defaults described, IncrementalAlterConfigs' four operations with
 * {@code validateOnly} and refusals that change nothing, the older AlterConfigs, and altered
 * keys that the next produce obeys.
 */
class TopicConfigsTest
{
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    /** A stock set of the kind librdkafka's tests create topics with. */
    private static final Map<String, String> STOCK = Map.of(
        "compression.type", "lz4",
        "delete.retention.ms", "900",
        "cleanup.policy", " delete , delete ",
        "min.cleanable.dirty.ratio", ".25",
        "segment.jitter.ms", "10",
        "min.insync.replicas", "1",
        "preallocate", "TRUE",
        "message.timestamp.after.max.ms", "86400000",
        "leader.replication.throttled.replicas", "0:1, 1:1",
        "compression.zstd.level", "5");

    /** The stock set as both brokers describe it. */
    private static final Map<String, String> STOCK_DESCRIBED = Map.of(
        "compression.type", "lz4",
        "delete.retention.ms", "900",
        "cleanup.policy", "delete",
        "min.cleanable.dirty.ratio", "0.25",
        "segment.jitter.ms", "10",
        "min.insync.replicas", "1",
        "preallocate", "true",
        "message.timestamp.after.max.ms", "86400000",
        "leader.replication.throttled.replicas", "0:1,1:1",
        "compression.zstd.level", "5");

    private static Throwable failure(final Future<?> call)
    {
        return assertThrows(ExecutionException.class, () -> call.get(1, TimeUnit.MINUTES)).getCause();
    }

    private static ConfigResource topic(final String name)
    {
        return new ConfigResource(ConfigResource.Type.TOPIC, name);
    }

    /** Kafka publishes a new topic or configuration to its broker a moment after answering: retried until the topic is known. */
    private static Map<String, ConfigEntry> describe(final Admin admin, final String topic) throws Exception
    {
        final long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (true)
        {
            try
            {
                final Map<String, ConfigEntry> entries = new TreeMap<>();
                admin.describeConfigs(List.of(topic(topic)), new DescribeConfigsOptions().includeSynonyms(true).includeDocumentation(true))
                    .all().get(1, TimeUnit.MINUTES).get(topic(topic)).entries().forEach(entry -> entries.put(entry.name(), entry));
                return entries;
            }
            catch (final ExecutionException e)
            {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() - deadline > 0)
                {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }

    /** Creates a topic and waits until the broker describes it. */
    private static void create(final Admin admin, final String name, final int partitions, final Map<String, String> configs) throws Exception
    {
        admin.createTopics(List.of(new NewTopic(name, partitions, (short)1).configs(configs))).all().get(1, TimeUnit.MINUTES);
        describe(admin, name);
    }

    /** @return the topic's entries once {@code key} has {@code value}; fails at the deadline. */
    private static Map<String, ConfigEntry> awaitValue(final Admin admin, final String topic, final String key, final String value) throws Exception
    {
        final long deadline = System.nanoTime() + DEADLINE.toNanos();
        Map<String, ConfigEntry> entries = describe(admin, topic);
        while (!value.equals(entries.get(key).value()))
        {
            assertTrue(System.nanoTime() - deadline < 0, key + " of " + topic + " is still " + entries.get(key));
            Thread.sleep(50);
            entries = describe(admin, topic);
        }
        return entries;
    }

    /** @return the entry's synonyms as {@code name=value (SOURCE)}. */
    static List<String> synonyms(final ConfigEntry entry)
    {
        return entry.synonyms().stream().map(synonym -> synonym.name() + "=" + synonym.value() + " (" + synonym.source() + ")").toList();
    }

    private static Map<String, String> values(final Map<String, ConfigEntry> entries)
    {
        final Map<String, String> values = new TreeMap<>();
        entries.forEach((key, entry) -> values.put(key, entry.value()));
        return values;
    }

    private static void incremental(final Admin admin, final String topic, final AlterConfigOp... ops) throws Exception
    {
        admin.incrementalAlterConfigs(Map.of(topic(topic), List.of(ops))).all().get(1, TimeUnit.MINUTES);
    }

    private static Throwable refused(final Admin admin, final String topic, final AlterConfigOp... ops)
    {
        return failure(admin.incrementalAlterConfigs(Map.of(topic(topic), List.of(ops))).all());
    }

    private static AlterConfigOp op(final String key, final String value, final AlterConfigOp.OpType type)
    {
        return new AlterConfigOp(new ConfigEntry(key, value), type);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tidemark", "kafka"})
    void aStockConfigSetIsAcceptedAndDescribedBackAsTopicConfiguration(final String broker) throws Exception
    {
        final String name = "topic-configs-stock-" + broker;
        try (Admin admin = SharedBrokers.admin(broker))
        {
            admin.createTopics(List.of(new NewTopic(name, 2, (short)1).configs(STOCK)), new CreateTopicsOptions().validateOnly(true))
                .all().get(1, TimeUnit.MINUTES);
            assertFalse(admin.listTopics().names().get().contains(name), "validateOnly creates nothing");
            create(admin, name, 2, STOCK);

            final Map<String, ConfigEntry> entries = describe(admin, name);
            STOCK_DESCRIBED.forEach((key, value) ->
            {
                final ConfigEntry entry = entries.get(key);
                assertEquals(value, entry.value(), key);
                assertEquals(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG, entry.source(), key);
                assertFalse(entry.isDefault(), key);
                assertEquals(key + "=" + value + " (DYNAMIC_TOPIC_CONFIG)", synonyms(entry).get(0), "the override is the first synonym of " + key);
            });
            for (final ConfigEntry entry : entries.values())
            {
                assertFalse(entry.isReadOnly() || entry.isSensitive(), entry::toString);
                assertNotNull(entry.documentation(), entry::toString);
                assertTrue(entry.type() != ConfigEntry.ConfigType.UNKNOWN, entry::toString);
                if (!STOCK.containsKey(entry.name()))
                {
                    assertTrue(entry.source() != ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG, entry::toString);
                }
            }
            assertEquals(List.of("compression.type=lz4 (DYNAMIC_TOPIC_CONFIG)", "compression.type=producer (DEFAULT_CONFIG)"),
                synonyms(entries.get("compression.type")), "then the broker's key of the same name, at its default");
            assertEquals(List.of("log.segment.bytes=1073741824 (DEFAULT_CONFIG)"), synonyms(entries.get("segment.bytes")),
                "a default's synonym is the broker's key that sets it");
            assertEquals(ConfigEntry.ConfigType.DOUBLE, entries.get("min.cleanable.dirty.ratio").type());
            assertEquals(ConfigEntry.ConfigType.LIST, entries.get("cleanup.policy").type());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tidemark", "kafka"})
    void unknownKeysAndBadValuesAreRefusedNamingTheKeyAndCreateNothing(final String broker) throws Exception
    {
        final String name = "topic-configs-refused-" + broker;
        final Map<String, String> bad = new LinkedHashMap<>();
        bad.put("retention.mss", "1");
        bad.put("compression.type", "brotli");
        bad.put("delete.retention.ms", "soon");
        bad.put("min.cleanable.dirty.ratio", "1.5");
        bad.put("leader.replication.throttled.replicas", "x");
        bad.put("cleanup.policy", "delete,");
        bad.put("unclean.leader.election.enable", "yes");
        bad.put("segment.index.bytes", "3");
        try (Admin admin = SharedBrokers.admin(broker))
        {
            for (final Map.Entry<String, String> e : bad.entrySet())
            {
                final Map<String, String> configs = new LinkedHashMap<>(STOCK);
                configs.put(e.getKey(), e.getValue());
                final Throwable refusal = failure(admin.createTopics(List.of(new NewTopic(name, 1, (short)1).configs(configs))).all());
                assertInstanceOf(InvalidConfigurationException.class, refusal, e::toString);
                assertTrue(refusal.getMessage().contains(e.getKey()), refusal.getMessage());
            }
            assertInstanceOf(InvalidConfigurationException.class, failure(admin.createTopics(List.of(new NewTopic(name, 1, (short)1)
                .configs(Map.of("remote.storage.enable", "true")))).all()), "there is no tiered storage on either");
            assertFalse(admin.listTopics().names().get().contains(name), "nothing was created");
        }
    }

    /**
     * Both brokers describe a topic without overrides with the same keys, types and values:
     * every default of Kafka's topic keys is a constant. A key Kafka's broker sets for the
     * whole cluster ({@code min.insync.replicas}, when its storage is formatted) is a dynamic
     * broker default there and a plain default here.
     */
    @Test
    void bothBrokersDescribeTheSameKeysTypesAndDefaults() throws Exception
    {
        final Map<String, Map<String, ConfigEntry>> described = new LinkedHashMap<>();
        for (final String broker : List.of("tidemark", "kafka"))
        {
            final String name = "topic-configs-defaults-" + broker;
            try (Admin admin = SharedBrokers.admin(broker))
            {
                create(admin, name, 1, Map.of());
                described.put(broker, describe(admin, name));
            }
        }
        final Map<String, ConfigEntry> tidemark = described.get("tidemark");
        final Map<String, ConfigEntry> kafka = described.get("kafka");
        assertEquals(kafka.keySet(), tidemark.keySet());
        assertEquals(values(kafka), values(tidemark));
        for (final ConfigEntry entry : kafka.values())
        {
            final ConfigEntry ours = tidemark.get(entry.name());
            assertEquals(entry.type(), ours.type(), entry.name());
            assertEquals(ConfigEntry.ConfigSource.DEFAULT_CONFIG, ours.source(), entry.name());
            if (entry.source() == ConfigEntry.ConfigSource.DEFAULT_CONFIG)
            {
                assertTrue(ours.isDefault(), entry.name());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tidemark", "kafka"})
    void incrementalAlterationsSetDeleteAppendAndSubtractAndRefusalsChangeNothing(final String broker) throws Exception
    {
        final String name = "topic-configs-incremental-" + broker;
        try (Admin admin = SharedBrokers.admin(broker))
        {
            create(admin, name, 2, Map.of("retention.ms", "3600000", "compression.type", "lz4"));

            incremental(admin, name, op("retention.ms", "7200000", AlterConfigOp.OpType.SET),
                op("compression.type", null, AlterConfigOp.OpType.DELETE),
                op("leader.replication.throttled.replicas", "0:1", AlterConfigOp.OpType.APPEND));
            Map<String, ConfigEntry> entries = awaitValue(admin, name, "retention.ms", "7200000");
            assertEquals("producer", entries.get("compression.type").value());
            assertEquals(ConfigEntry.ConfigSource.DEFAULT_CONFIG, entries.get("compression.type").source(), "deleted: back to the default");
            assertEquals("0:1", entries.get("leader.replication.throttled.replicas").value());

            incremental(admin, name, op("leader.replication.throttled.replicas", "1:1,0:1", AlterConfigOp.OpType.APPEND));
            awaitValue(admin, name, "leader.replication.throttled.replicas", "0:1,1:1");
            incremental(admin, name, op("leader.replication.throttled.replicas", "0:1", AlterConfigOp.OpType.SUBTRACT),
                op("cleanup.policy", "delete", AlterConfigOp.OpType.APPEND));
            entries = awaitValue(admin, name, "leader.replication.throttled.replicas", "1:1");
            assertEquals("delete", entries.get("cleanup.policy").value(), "appended to the default, which has it already");
            assertEquals(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG, entries.get("cleanup.policy").source());

            admin.incrementalAlterConfigs(Map.of(topic(name), List.of(op("retention.ms", "1000", AlterConfigOp.OpType.SET))),
                new AlterConfigsOptions().validateOnly(true)).all().get(1, TimeUnit.MINUTES);

            final Map<String, String> before = values(describe(admin, name));
            assertEquals("7200000", before.get("retention.ms"), "validateOnly changed nothing");
            final Throwable badValue = refused(admin, name, op("max.message.bytes", "2000", AlterConfigOp.OpType.SET),
                op("retention.ms", "soon", AlterConfigOp.OpType.SET));
            assertInstanceOf(InvalidConfigurationException.class, badValue);
            assertTrue(badValue.getMessage().contains("retention.ms"), badValue.getMessage());
            final Throwable unknown = refused(admin, name, op("retention.mss", "1", AlterConfigOp.OpType.SET));
            assertInstanceOf(InvalidConfigurationException.class, unknown);
            assertTrue(unknown.getMessage().contains("retention.mss"), unknown.getMessage());
            final Throwable notAList = refused(admin, name, op("retention.ms", "5", AlterConfigOp.OpType.APPEND));
            assertInstanceOf(InvalidConfigurationException.class, notAList);
            assertTrue(notAList.getMessage().contains("retention.ms"), notAList.getMessage());
            assertInstanceOf(InvalidRequestException.class, refused(admin, name, op("retention.ms", "5000", AlterConfigOp.OpType.SET),
                op("retention.ms", "6000", AlterConfigOp.OpType.SET)), "a key named twice");
            assertInstanceOf(UnknownTopicOrPartitionException.class,
                refused(admin, "topic-configs-absent-" + broker, op("retention.ms", "5000", AlterConfigOp.OpType.SET)));
            assertEquals(before, values(describe(admin, name)), "no refusal changed anything, not even the valid key beside a bad one");

            incremental(admin, name, op("retention.ms", null, AlterConfigOp.OpType.DELETE));
            entries = awaitValue(admin, name, "retention.ms", "604800000");
            assertEquals(ConfigEntry.ConfigSource.DEFAULT_CONFIG, entries.get("retention.ms").source());
        }
    }

    /** The older AlterConfigs, which Admin no longer sends: the keys given replace every override. */
    @ParameterizedTest
    @ValueSource(strings = {"tidemark", "kafka"})
    void legacyAlterConfigsReplacesTheWholeSetOfOverrides(final String broker) throws Exception
    {
        final String name = "topic-configs-legacy-" + broker;
        try (Admin admin = SharedBrokers.admin(broker))
        {
            create(admin, name, 1, Map.of("retention.ms", "3600000", "compression.type", "lz4"));
            final String bootstrap = SharedBrokers.get(broker).bootstrap();
            try (WireClient wire = new WireClient(Integer.parseInt(bootstrap.substring(bootstrap.lastIndexOf(':') + 1))))
            {
                final AlterConfigsResponseData bad = alterConfigs(wire, name, Map.of("retention.bytes", "many"), false);
                assertEquals(Errors.INVALID_CONFIG.code(), bad.responses().get(0).errorCode());
                assertTrue(bad.responses().get(0).errorMessage().contains("retention.bytes"), bad.responses().get(0).errorMessage());
                assertEquals(Errors.NONE.code(), alterConfigs(wire, name, Map.of("retention.bytes", "1048576"), true).responses().get(0).errorCode());
                assertEquals("3600000", describe(admin, name).get("retention.ms").value(), "validateOnly changed nothing");
                assertEquals(Errors.NONE.code(), alterConfigs(wire, name, Map.of("retention.bytes", "1048576"), false).responses().get(0).errorCode());
            }
            final Map<String, ConfigEntry> entries = awaitValue(admin, name, "retention.bytes", "1048576");
            assertEquals("604800000", entries.get("retention.ms").value(), "a key not given is back at its default");
            assertEquals("producer", entries.get("compression.type").value());
        }
    }

    private static AlterConfigsResponseData alterConfigs(final WireClient wire, final String topic, final Map<String, String> configs,
        final boolean validateOnly) throws Exception
    {
        final AlterConfigsRequestData.AlterableConfigCollection entries = new AlterConfigsRequestData.AlterableConfigCollection();
        configs.forEach((key, value) -> entries.add(new AlterConfigsRequestData.AlterableConfig().setName(key).setValue(value)));
        final AlterConfigsRequestData request = new AlterConfigsRequestData().setValidateOnly(validateOnly);
        request.resources().add(new AlterConfigsRequestData.AlterConfigsResource().setResourceType(ConfigResource.Type.TOPIC.id())
            .setResourceName(topic).setConfigs(entries));
        return (AlterConfigsResponseData)wire.send(request, (short)2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tidemark", "kafka"})
    void theNextProduceObeysAnAlteredSizeLimitAndTimestampType(final String broker) throws Exception
    {
        final String name = "topic-configs-live-" + broker;
        final Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedBrokers.get(broker).bootstrap(),
            ProducerConfig.RETRIES_CONFIG, 0, ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000, ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 29_000);
        try (Admin admin = SharedBrokers.admin(broker);
            KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer()))
        {
            create(admin, name, 1, Map.of());
            final String large = "x".repeat(1000);
            assertEquals(0, producer.send(new ProducerRecord<>(name, 0, 1_000L, null, large)).get(1, TimeUnit.MINUTES).offset());

            incremental(admin, name, op("max.message.bytes", "500", AlterConfigOp.OpType.SET),
                op("message.timestamp.type", "LogAppendTime", AlterConfigOp.OpType.SET));
            awaitValue(admin, name, "message.timestamp.type", "LogAppendTime");
            // Kafka hands the new configuration to its log a moment after it describes it.
            final List<Throwable> accepted = new ArrayList<>();
            final long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (true)
            {
                final Future<RecordMetadata> sent = producer.send(new ProducerRecord<>(name, 0, 1_000L, null, large));
                try
                {
                    sent.get(1, TimeUnit.MINUTES);
                    accepted.add(null);
                    assertTrue(System.nanoTime() - deadline < 0, "still accepted: " + accepted.size());
                }
                catch (final ExecutionException e)
                {
                    assertInstanceOf(RecordTooLargeException.class, e.getCause());
                    break;
                }
            }
            RecordMetadata stamped = producer.send(new ProducerRecord<>(name, 0, 1_000L, null, "small")).get(1, TimeUnit.MINUTES);
            while (stamped.timestamp() == 1_000L)
            {
                assertTrue(System.nanoTime() - deadline < 0, "still CreateTime");
                stamped = producer.send(new ProducerRecord<>(name, 0, 1_000L, null, "small")).get(1, TimeUnit.MINUTES);
            }
            assertTrue(stamped.timestamp() > 1_000_000_000_000L, "the broker's clock: " + stamped.timestamp());
        }
    }

    /**
     * Kafka's own {@code kafka-configs} tool ({@code ConfigCommand} of Kafka 4.3.1, in child
     * JVMs) alters a topic on each broker with its list syntax, and describes the result in the
     * same words on both.
     */
    @Test
    void kafkasConfigToolAltersAndDescribesATopicAlikeOnBoth() throws Exception
    {
        final List<String> brokers = List.of("tidemark", "kafka");
        final Map<String, String> described = new LinkedHashMap<>();
        for (final String broker : brokers)
        {
            try (Admin admin = SharedBrokers.admin(broker))
            {
                create(admin, toolTopic(broker), 2, Map.of("retention.ms", "3600000"));
            }
        }
        for (final String broker : brokers)
        {
            final TransactionsTool.Run altered = TransactionsTool.run("kafka.admin.ConfigCommand", SharedBrokers.get(broker).bootstrap(), List.of(
                List.of("--entity-type", "topics", "--entity-name", toolTopic(broker), "--alter", "--add-config",
                    "compression.type=zstd,leader.replication.throttled.replicas=[0:0,1:0],segment.bytes=2097152", "--delete-config",
                    "retention.ms"))).get(0);
            assertEquals(0, altered.exitCode(), altered::toString);
            try (Admin admin = SharedBrokers.admin(broker))
            {
                awaitValue(admin, toolTopic(broker), "retention.ms", "604800000");
            }
            final TransactionsTool.Run run = TransactionsTool.run("kafka.admin.ConfigCommand", SharedBrokers.get(broker).bootstrap(), List.of(
                List.of("--entity-type", "topics", "--entity-name", toolTopic(broker), "--describe"))).get(0);
            assertEquals(0, run.exitCode(), run::toString);
            described.put(broker, run.out().replace(toolTopic(broker), "TOPIC"));
        }
        assertEquals(described.get("kafka"), described.get("tidemark"));
        assertTrue(described.get("tidemark").contains("compression.type=zstd sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:compression.type=zstd, " +
            "DEFAULT_CONFIG:compression.type=producer}"), described.get("tidemark"));
    }

    private static String toolTopic(final String broker)
    {
        return "topic-configs-tool-" + broker;
    }

    /** A broker key that is not dynamic is refused, naming it, and the internal topics keep their coordinators' settings. */
    @Test
    void staticBrokerKeysAreRefusedNamingThem() throws Exception
    {
        try (Admin admin = SharedBrokers.admin("tidemark"))
        {
            final ConfigResource node = new ConfigResource(ConfigResource.Type.BROKER, "0");
            final Collection<AlterConfigOp> ops = List.of(op("log.dirs", "/elsewhere", AlterConfigOp.OpType.SET));
            final Throwable refusal = failure(admin.incrementalAlterConfigs(Map.of(node, ops)).all());
            assertInstanceOf(InvalidRequestException.class, refusal);
            assertTrue(refusal.getMessage().contains("Cannot update these configs dynamically: [log.dirs]"), refusal.getMessage());
            final Throwable internal = refused(admin, "__consumer_offsets", op("retention.ms", "1000", AlterConfigOp.OpType.SET));
            assertInstanceOf(InvalidRequestException.class, internal);
        }
    }
}
