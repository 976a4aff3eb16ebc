package io.tidemark.runtime.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import io.tidemark.log.errors.InvalidConfigurationException;
import io.tidemark.log.group.ConsumerProtocolConfig;
import io.tidemark.log.storage.OffsetMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * Kafka's broker keys mean what they mean in Kafka; anything else is refused by name.
 */
class BrokerConfigTest
{
    private static BrokerConfig parse(final Map<String, String> keys)
    {
        final Properties properties = new Properties();
        properties.putAll(keys);
        return BrokerConfig.parse(properties, null, "127.0.0.1", 9092);
    }

    @Test
    void defaultsAreKafkas()
    {
        final BrokerConfig config = parse(Map.of());
        assertEquals(Path.of("data"), config.dataDir());
        assertEquals(1, config.numPartitions());
        assertTrue(config.autoCreateTopics());
        assertEquals(100 * 1024 * 1024, config.socketRequestMaxBytes());
        assertEquals(1024 * 1024 + 12, config.logDefaults().maxMessageBytes());
        assertEquals(java.time.Duration.ofDays(1), config.producerIdExpiration());
    }

    @Test
    void producerIdsExpireAfterTheConfiguredSilence()
    {
        final BrokerConfig config = parse(Map.of("producer.id.expiration.ms", "60000"));
        assertEquals(java.time.Duration.ofMinutes(1), config.producerIdExpiration());
        assertEquals("60000", config.toMap().get("producer.id.expiration.ms"));
        assertTrue(assertThrows(InvalidConfigurationException.class, () -> parse(Map.of("producer.id.expiration.ms", "0"))).getMessage()
            .contains("producer.id.expiration.ms"));
    }

    @Test
    void theCleanersMapOfKeysIsSizedByKafkasKeysAndAnEmptyOrOversizedOneIsRefused()
    {
        assertEquals(OffsetMap.withDefaults().maxEntries(), parse(Map.of()).cleanerOffsetMap().maxEntries(), "128 MiB at 0.9, as Kafka's");
        final BrokerConfig config = parse(Map.of("log.cleaner.dedupe.buffer.size", "2400", "log.cleaner.io.buffer.load.factor", "0.5"));
        assertEquals(50, config.cleanerOffsetMap().maxEntries(), "half of 100 entries of 24 bytes");
        assertTrue(config.warnings().isEmpty(), "served keys, not ignored ones: " + config.warnings());
        assertTrue(assertThrows(InvalidConfigurationException.class, () -> parse(Map.of("log.cleaner.dedupe.buffer.size", "4294967296")))
            .getMessage().contains("log.cleaner.dedupe.buffer.size"));
        assertTrue(assertThrows(InvalidConfigurationException.class, () -> parse(Map.of("log.cleaner.io.buffer.load.factor", "0")))
            .getMessage().contains("log.cleaner.io.buffer.load.factor"));
        assertTrue(assertThrows(InvalidConfigurationException.class, () -> parse(Map.of("log.cleaner.io.buffer.load.factor", "1.5")))
            .getMessage().contains("log.cleaner.io.buffer.load.factor"));
    }

    @Test
    void aMapOfKeysTooSmallForItsLoadFactorToHoldOneKeyIsRefusedNamingBothKeys()
    {
        final String message = assertThrows(InvalidConfigurationException.class,
            () -> parse(Map.of("log.cleaner.dedupe.buffer.size", "384", "log.cleaner.io.buffer.load.factor", "0.05"))).getMessage();
        assertTrue(message.contains("log.cleaner.dedupe.buffer.size") && message.contains("log.cleaner.io.buffer.load.factor") &&
            message.contains("holds no key"), message);
        assertEquals(1, parse(Map.of("log.cleaner.dedupe.buffer.size", "480", "log.cleaner.io.buffer.load.factor", "0.05"))
            .cleanerOffsetMap().maxEntries(), "20 entries at 0.05 hold one key");
    }

    @Test
    void logKeysBecomeTopicDefaults()
    {
        final BrokerConfig config = parse(Map.of("log.segment.bytes", "1048576", "log.retention.ms", "60000",
            "log.flush.interval.messages", "1", "message.max.bytes", "2000", "num.partitions", "6",
            "auto.create.topics.enable", "false", "default.replication.factor", "3", "log.dirs", "/var/tm"));
        assertEquals(1048576, config.logDefaults().segmentBytes());
        assertEquals(60000, config.logDefaults().retentionMs());
        assertTrue(config.logDefaults().flushesEveryWrite());
        assertEquals(2000, config.logDefaults().maxMessageBytes());
        assertEquals(6, config.numPartitions());
        assertFalse(config.autoCreateTopics());
        assertEquals(Path.of("/var/tm"), config.dataDir());
        assertEquals("60000", config.toMap().get("log.retention.ms"));
    }

    @Property(tries = 50)
    void hoursAndMinutesYieldToMilliseconds(@ForAll @IntRange(min = 1, max = 10_000) final int hours,
        @ForAll @IntRange(min = 1, max = 10_000) final int minutes)
    {
        assertEquals(hours * 3_600_000L, parse(Map.of("log.retention.hours", Integer.toString(hours))).logDefaults().retentionMs());
        assertEquals(minutes * 60_000L, parse(Map.of("log.retention.hours", Integer.toString(hours),
            "log.retention.minutes", Integer.toString(minutes))).logDefaults().retentionMs());
        assertEquals(5L, parse(Map.of("log.retention.minutes", Integer.toString(minutes), "log.retention.ms", "5")).logDefaults().retentionMs());
    }

    @Test
    void aFlagBeatsTheFilesDataDirectory()
    {
        final Properties properties = new Properties();
        properties.put("log.dirs", "/from/file");
        assertEquals(Path.of("/from/flag"), BrokerConfig.parse(properties, Path.of("/from/flag"), "127.0.0.1", 0).dataDir());
    }

    @Test
    void badKeysAndValuesAreNamed()
    {
        assertEquals("invalid value 'lots' for log.segment.bytes: not a whole number",
            assertThrows(InvalidConfigurationException.class, () -> parse(Map.of("log.segment.bytes", "lots"))).getMessage());
        assertEquals("unknown server configuration key 'log.retention.hour'; did you mean 'log.retention.hours'?",
            assertThrows(InvalidConfigurationException.class, () -> parse(Map.of("log.retention.hour", "5"))).getMessage());
        assertTrue(assertThrows(InvalidConfigurationException.class, () -> parse(Map.of("num.partitions", "0"))).getMessage()
            .contains("num.partitions"));
        assertTrue(assertThrows(InvalidConfigurationException.class, () -> parse(Map.of("auto.create.topics.enable", "yes"))).getMessage()
            .contains("true or false"));
        assertTrue(assertThrows(InvalidConfigurationException.class, () -> parse(Map.of("log.dirs", "/a,/b"))).getMessage()
            .contains("one directory"));
    }

    @Test
    void groupKeysConfigureTheCoordinator()
    {
        final BrokerConfig config = parse(Map.of("group.min.session.timeout.ms", "100", "group.max.session.timeout.ms", "5000",
            "group.initial.rebalance.delay.ms", "0", "offsets.topic.num.partitions", "2", "offset.metadata.max.bytes", "100"));
        assertEquals(new io.tidemark.log.group.GroupConfig(100, 5000, 0, 2, 100), config.groupConfig());
        assertEquals(io.tidemark.log.group.GroupConfig.defaults(), parse(Map.of()).groupConfig(), "Kafka's defaults otherwise");
        assertTrue(assertThrows(InvalidConfigurationException.class, () -> parse(Map.of("group.min.session.timeout.ms", "9000",
            "group.max.session.timeout.ms", "5000"))).getMessage().contains("group.min.session.timeout.ms"));
        assertTrue(assertThrows(InvalidConfigurationException.class, () -> parse(Map.of("offsets.topic.num.partitions", "0"))).getMessage()
            .contains("offsets.topic.num.partitions"));
    }

    @Test
    void consumerProtocolKeysConfigureItsGroups()
    {
        final BrokerConfig config = parse(Map.of("group.consumer.heartbeat.interval.ms", "1000", "group.consumer.session.timeout.ms", "9000",
            "group.consumer.assignors", "range, uniform"));
        assertEquals(new ConsumerProtocolConfig(1000, 9000, List.of("range", "uniform")), config.consumerProtocolConfig());
        assertEquals(ConsumerProtocolConfig.defaults(), parse(Map.of()).consumerProtocolConfig(), "Kafka's defaults otherwise");
        assertTrue(assertThrows(InvalidConfigurationException.class, () -> parse(Map.of("group.consumer.assignors", "uniform,sticky")))
            .getMessage().contains("group.consumer.assignors"));
        assertTrue(assertThrows(InvalidConfigurationException.class, () -> parse(Map.of("group.consumer.heartbeat.interval.ms", "50000")))
            .getMessage().contains("group.consumer.session.timeout.ms"));
        assertTrue(parse(Map.of("group.consumer.migration.policy", "upgrade")).warnings().stream()
            .anyMatch(w -> w.contains("group.consumer.migration.policy")), "the other group.consumer keys are warned about");
    }

    @Test
    void transactionKeysConfigureTheCoordinatorAndTheOthersAreWarnedAbout()
    {
        final BrokerConfig config = parse(Map.of("transaction.max.timeout.ms", "60000", "transaction.state.log.num.partitions", "3",
            "transaction.abort.timed.out.transaction.cleanup.interval.ms", "100", "transactional.id.expiration.ms", "3600000",
            "transaction.partition.verification.enable", "false", "transaction.state.log.segment.bytes", "1048576"));
        assertEquals(new io.tidemark.log.txn.TransactionConfig(60_000, 3, 100, 3_600_000), config.transactionConfig());
        assertEquals(io.tidemark.log.txn.TransactionConfig.defaults(), parse(Map.of()).transactionConfig(), "Kafka's defaults otherwise");
        assertEquals(2, config.warnings().size(), config.warnings().toString());
        assertTrue(config.warnings().stream().anyMatch(w -> w.startsWith("ignoring transaction.partition.verification.enable=")),
            config.warnings().toString());
        assertTrue(assertThrows(InvalidConfigurationException.class, () -> parse(Map.of("transaction.max.timeout.ms", "0"))).getMessage()
            .contains("transaction.max.timeout.ms"));
        assertTrue(assertThrows(InvalidConfigurationException.class, () -> parse(Map.of("transaction.state.log.num.partitons", "3")))
            .getMessage().contains("did you mean 'transaction.state.log.num.partitions'?"));
    }

    @Test
    void kafkasStockServerPropertiesIsAcceptedWithOneWarningPerIgnoredKey() throws IOException
    {
        final Properties stock = new Properties();
        try (InputStream in = BrokerConfigTest.class.getResourceAsStream("/kafka/server.properties"))
        {
            stock.load(in);
        }
        final BrokerConfig config = BrokerConfig.parse(stock, new BrokerConfig.Flags(null, null, null));
        assertEquals("127.0.0.1", config.host(), "PLAINTEXT://:9092 binds the default host");
        assertEquals(9092, config.port());
        assertEquals(Path.of("/tmp/kraft-combined-logs"), config.dataDir());
        assertEquals(168 * 3_600_000L, config.logDefaults().retentionMs());
        assertEquals(3, config.networkThreads());
        assertTrue(config.describe().contains("log.retention.ms = 604800000 (file, as log.retention.hours=168)"), config.describe().toString());
        assertTrue(config.describe().contains("listeners = PLAINTEXT://:9092,CONTROLLER://:9093 (file)"), config.describe().toString());

        final List<String> ignored = List.of("process.roles", "node.id", "controller.quorum.bootstrap.servers", "inter.broker.listener.name",
            "advertised.listeners", "controller.listener.names", "listener.security.protocol.map", "socket.send.buffer.bytes",
            "socket.receive.buffer.bytes", "num.recovery.threads.per.data.dir", "offsets.topic.replication.factor",
            "share.coordinator.state.topic.replication.factor", "share.coordinator.state.topic.min.isr",
            "transaction.state.log.replication.factor", "transaction.state.log.min.isr");
        for (final String key : ignored)
        {
            assertEquals(1, config.warnings().stream().filter(w -> w.startsWith("ignoring " + key + "=")).count(), key + " in " + config.warnings());
        }
        assertEquals(1, config.warnings().stream().filter(w -> w.startsWith("ignoring listener CONTROLLER://:9093")).count(), config.warnings().toString());
        assertEquals(ignored.size() + 1, config.warnings().size(), "nothing else is warned about: " + config.warnings());
    }

    /**
     * Keys a production broker's file commonly sets beyond the stock ones (security, cleaner,
     * leader balancing, quotas, metrics): each means nothing here and is warned about once; a
     * misspelling of one is still refused.
     */
    @Test
    void aProductionBrokersKeysAreWarnedAboutAndTheirTyposRefused()
    {
        final Properties file = new Properties();
        final List<String> keys = List.of("ssl.keystore.location", "sasl.enabled.mechanisms", "security.inter.broker.protocol",
            "authorizer.class.name", "super.users", "log.cleaner.threads", "auto.leader.rebalance.enable",
            "leader.imbalance.check.interval.seconds", "unclean.leader.election.enable", "num.replica.fetchers", "group.max.size",
            "offsets.retention.minutes", "metric.reporters", "transaction.state.log.load.buffer.size", "metadata.log.dir", "broker.rack");
        keys.forEach(key -> file.put(key, "x"));
        final BrokerConfig config = BrokerConfig.parse(file, new BrokerConfig.Flags(Path.of("/d"), null, null));
        for (final String key : keys)
        {
            assertEquals(1, config.warnings().stream().filter(w -> w.startsWith("ignoring " + key + "=")).count(), key + " in " + config.warnings());
        }
        assertEquals(keys.size(), config.warnings().size(), config.warnings().toString());

        final Properties typo = new Properties();
        typo.put("auto.leader.rebalance.enabled", "true");
        final InvalidConfigurationException refused = assertThrows(InvalidConfigurationException.class,
            () -> BrokerConfig.parse(typo, new BrokerConfig.Flags(Path.of("/d"), null, null)));
        assertTrue(refused.getMessage().contains("did you mean 'auto.leader.rebalance.enable'?"), refused.getMessage());
    }

    @Test
    void listenersGiveTheHostAndPortAndTheCommandLineWins()
    {
        final Properties file = new Properties();
        file.put("listeners", "PLAINTEXT://127.0.0.2:9093");
        final BrokerConfig fromFile = BrokerConfig.parse(file, new BrokerConfig.Flags(null, null, null));
        assertEquals("127.0.0.2", fromFile.host());
        assertEquals(9093, fromFile.port());
        final BrokerConfig portFlag = BrokerConfig.parse(file, new BrokerConfig.Flags(Path.of("/d"), null, 0));
        assertEquals("127.0.0.2", portFlag.host());
        assertEquals(0, portFlag.port());
        assertTrue(portFlag.describe().contains("listeners = PLAINTEXT://127.0.0.2:0 (command line)"), portFlag.describe().toString());
        assertTrue(portFlag.describe().contains("log.dirs = /d (command line)"), portFlag.describe().toString());
        assertEquals("::1", BrokerConfig.parse(file, new BrokerConfig.Flags(null, "::1", null)).host());
        assertEquals(9092, parse(Map.of()).port(), "the default listener");

        file.put("listeners", "PLAINTEXT://[::1]:9094");
        assertEquals("::1", BrokerConfig.parse(file, new BrokerConfig.Flags(null, null, null)).host());
        assertTrue(assertThrows(InvalidConfigurationException.class, () -> parse(Map.of("listeners", "SSL://:9093"))).getMessage()
            .contains("no PLAINTEXT listener"));
        assertTrue(assertThrows(InvalidConfigurationException.class, () -> parse(Map.of("listeners", "localhost:9092"))).getMessage()
            .startsWith("invalid value 'localhost:9092' for listeners: NAME://host:port"));
    }
}
