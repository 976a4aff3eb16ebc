package io.tidemark.log.config;

import static io.tidemark.log.config.Applies.BROKER;
import static io.tidemark.log.config.Applies.TOPIC;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.tidemark.log.LogConfig;
import io.tidemark.log.errors.InvalidConfigurationException;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * One row per key is enough: types, ranges, defaults, coarser spellings, ignored keys and the
 * suggestion for a misspelt key all follow from the table.
 */
class ConfigTableTest
{
    private static final ConfigKey RETENTION = ConfigKey.ofLong(TOPIC, "retention.ms", -1, Long.MAX_VALUE, 1000, "How long.");

    private static final ConfigTable TABLE = new ConfigTable("test", List.of(
        ConfigKey.ofInt(BROKER, "num.partitions", 1, 100, 1, "Partitions."),
        ConfigKey.ofBoolean(BROKER, "auto.create.topics.enable", true, "Auto-create."),
        ConfigKey.ofString(BROKER, "mode", "fast", "Mode.", "fast", "safe"),
        ConfigKey.ofDirectory(BROKER, "log.dirs", "data", "Where."),
        ConfigKey.topicDefault("log.retention.ms", RETENTION),
        ConfigKey.coarserUnit("log.retention.minutes", "log.retention.ms", 60_000L, "minutes"),
        ConfigKey.coarserUnit("log.retention.hours", "log.retention.ms", 3_600_000L, "hours"),
        ConfigKey.ignored("node.id", "one node"),
        ConfigKey.ignored("controller.*", "no controllers")));

    private static ConfigValues parse(final Map<String, String> text)
    {
        return TABLE.parse(text, "file");
    }

    private static String refusal(final Map<String, String> text)
    {
        return assertThrows(InvalidConfigurationException.class, () -> parse(text)).getMessage();
    }

    @Test
    void unsetKeysTakeTheirDefaultsAndSayWhereEachValueCameFrom()
    {
        final ConfigValues values = parse(Map.of("num.partitions", " 7 ", "mode", "safe"));
        assertEquals(7, values.getInt("num.partitions"));
        assertEquals("file", values.origin("num.partitions"));
        assertTrue(values.getBoolean("auto.create.topics.enable"));
        assertEquals(ConfigValues.DEFAULT, values.origin("auto.create.topics.enable"));
        assertEquals("safe", values.getString("mode"));
        assertEquals(1000, values.getLong("log.retention.ms"));
        assertEquals(Map.of(), values.topicDefaults(), "a topic default no one set overrides nothing");
        assertEquals("num.partitions = 7 (file)", values.describe().get(0));
        assertEquals("log.dirs = /x (command line)", values.with("log.dirs", "/x", "command line").describe().get(3));
    }

    @Test
    void badValuesAreNamedWithWhatIsValid()
    {
        assertEquals("invalid value 'many' for num.partitions: not a whole number", refusal(Map.of("num.partitions", "many")));
        assertEquals("invalid value 0 for num.partitions: must be between 1 and 100", refusal(Map.of("num.partitions", "0")));
        assertEquals("invalid value 'yes' for auto.create.topics.enable: true or false", refusal(Map.of("auto.create.topics.enable", "yes")));
        assertEquals("invalid value 'slow' for mode: one of fast, safe", refusal(Map.of("mode", "slow")));
        assertEquals("invalid value '/a,/b' for log.dirs: one directory", refusal(Map.of("log.dirs", "/a,/b")));
        assertEquals("invalid value -2 for log.retention.ms: must be at least -1", refusal(Map.of("log.retention.ms", "-2")),
            "a server key is checked by its topic key's row, under its own name");
        assertThrows(IllegalArgumentException.class, () -> new ConfigTable("bad", List.of(ConfigKey.ofInt(BROKER, "n", 1, 10, 0, "Zero."))),
            "a default outside its own range is a mistake in the table");
    }

    @Test
    void aMisspeltKeyIsRefusedWithTheNearestKnownOne()
    {
        assertEquals("unknown test configuration key 'log.retention.hour'; did you mean 'log.retention.hours'?",
            refusal(Map.of("log.retention.hour", "5")));
        assertEquals("unknown test configuration key 'num.partition'; did you mean 'num.partitions'?", refusal(Map.of("num.partition", "5")));
        assertEquals("unknown test configuration key 'zookeeper.connect'", refusal(Map.of("zookeeper.connect", "x")), "nothing is near");
        assertNull(TABLE.nearest("controller.quorum.voters"), "a family is not a suggestion");
    }

    @Test
    void ignoredKeysAndFamiliesAreWarnedAboutOnceEach()
    {
        final Map<String, String> text = new LinkedHashMap<>();
        text.put("node.id", "1");
        text.put("controller.quorum.voters", "1@localhost:9093");
        text.put("controller.listener.names", "CONTROLLER");
        final ConfigValues values = parse(text);
        assertEquals(List.of("ignoring node.id=1: one node", "ignoring controller.quorum.voters=1@localhost:9093: no controllers",
            "ignoring controller.listener.names=CONTROLLER: no controllers"), values.warnings());
        assertFalse(values.toMap().containsKey("node.id"));
    }

    @Property(tries = 30)
    void theFinestSpellingWinsWhateverTheOrder(@ForAll @IntRange(min = 1, max = 10_000) final int hours,
        @ForAll @IntRange(min = 1, max = 10_000) final int minutes, @ForAll final boolean minutesFirst)
    {
        final Map<String, String> text = new LinkedHashMap<>();
        if (minutesFirst)
        {
            text.put("log.retention.minutes", Integer.toString(minutes));
        }
        text.put("log.retention.hours", Integer.toString(hours));
        if (!minutesFirst)
        {
            text.put("log.retention.minutes", Integer.toString(minutes));
        }
        final ConfigValues values = parse(text);
        assertEquals(minutes * 60_000L, values.getLong("log.retention.ms"));
        assertEquals("file, as log.retention.minutes=" + minutes, values.origin("log.retention.ms"));
        assertEquals(Map.of("retention.ms", Long.toString(minutes * 60_000L)), values.topicDefaults());
        text.put("log.retention.ms", "5");
        assertEquals(5, parse(text).getLong("log.retention.ms"));
    }

    @Test
    void topicKeysKeepTheirBehaviourAndSuggestTheNearest()
    {
        final LogConfig config = LogConfig.DEFAULTS.withOverrides(Map.of(LogConfig.RETENTION_MS, "60000"));
        assertEquals(60_000, config.retentionMs());
        assertEquals(LogConfig.DEFAULTS.toMap().keySet(), config.toMap().keySet());
        assertEquals("unknown topic configuration key 'retention.mss'; did you mean 'retention.ms'?",
            assertThrows(InvalidConfigurationException.class, () -> config.withOverrides(Map.of("retention.mss", "1"))).getMessage());
        assertEquals("invalid value 'Now' for message.timestamp.type: one of CreateTime, LogAppendTime",
            assertThrows(InvalidConfigurationException.class, () -> config.withOverrides(Map.of(LogConfig.MESSAGE_TIMESTAMP_TYPE, "Now")))
                .getMessage());
    }

    @Test
    void listsTakeKafkasSyntaxAndAreKeptAsCommaSeparatedItemsEachOnce()
    {
        final ConfigKey policy = LogConfig.KEYS.key(LogConfig.CLEANUP_POLICY);
        assertEquals(ConfigType.LIST, policy.type());
        assertEquals("delete", policy.parse(" delete , delete "));
        assertEquals("delete,compact", policy.parse("delete, compact"));
        assertEquals("invalid value 'shrink' for cleanup.policy: items must be among delete, compact",
            assertThrows(InvalidConfigurationException.class, () -> policy.parse("delete,shrink")).getMessage());
        assertEquals("invalid value 'delete,' for cleanup.policy: an item of the list is empty",
            assertThrows(InvalidConfigurationException.class, () -> policy.parse("delete,")).getMessage());
        assertEquals("", policy.parse(""), "no policy at all, as Kafka 4 takes it");

        final ConfigKey throttled = LogConfig.KEYS.key("leader.replication.throttled.replicas");
        assertEquals("", throttled.parse(""));
        assertEquals("*", throttled.parse(" * "));
        assertEquals("0:1,1:1", throttled.parse("0:1, 1:1,0:1"));
        assertEquals("invalid value '*,0:1' for leader.replication.throttled.replicas: '*' or partition:broker pairs such as 0:0,1:0",
            assertThrows(InvalidConfigurationException.class, () -> throttled.parse("*,0:1")).getMessage());
        assertEquals("0:1,1:1", LogConfig.DEFAULTS.withOverrides(Map.of("leader.replication.throttled.replicas", " 0:1 ,1:1"))
            .toMap().get("leader.replication.throttled.replicas"));
    }

    @Test
    void doublesAndBooleansLimitedToOneValueAreCheckedLikeTheRest()
    {
        final ConfigKey ratio = LogConfig.KEYS.key("min.cleanable.dirty.ratio");
        assertEquals(0.25, ratio.parse(".25"));
        assertEquals("invalid value 1.5 for min.cleanable.dirty.ratio: must be between 0 and 1",
            assertThrows(InvalidConfigurationException.class, () -> ratio.parse("1.5")).getMessage());
        assertEquals("invalid value 'half' for min.cleanable.dirty.ratio: not a number",
            assertThrows(InvalidConfigurationException.class, () -> ratio.parse("half")).getMessage());
        assertThrows(InvalidConfigurationException.class, () -> ratio.parse("NaN"));
        assertEquals("0.5", LogConfig.DEFAULTS.toMap().get("min.cleanable.dirty.ratio"));

        final ConfigKey remote = LogConfig.KEYS.key("remote.storage.enable");
        assertEquals(false, remote.parse("FALSE"));
        assertTrue(assertThrows(InvalidConfigurationException.class, () -> remote.parse("true")).getMessage()
            .startsWith("invalid value 'true' for remote.storage.enable: only false is supported"));
    }

    @Test
    void everyTopicKeyOfKafkaIsKnownWithKafkasDefault()
    {
        final Map<String, String> kafka = new LinkedHashMap<>();
        kafka.put("cleanup.policy", "delete");
        kafka.put("compression.gzip.level", "-1");
        kafka.put("compression.lz4.level", "9");
        kafka.put("compression.type", "producer");
        kafka.put("compression.zstd.level", "3");
        kafka.put("delete.retention.ms", "86400000");
        kafka.put("file.delete.delay.ms", "60000");
        kafka.put("flush.messages", "9223372036854775807");
        kafka.put("flush.ms", "9223372036854775807");
        kafka.put("follower.replication.throttled.replicas", "");
        kafka.put("index.interval.bytes", "4096");
        kafka.put("leader.replication.throttled.replicas", "");
        kafka.put("local.retention.bytes", "-2");
        kafka.put("local.retention.ms", "-2");
        kafka.put("max.compaction.lag.ms", "9223372036854775807");
        kafka.put("max.message.bytes", "1048588");
        kafka.put("message.timestamp.after.max.ms", "3600000");
        kafka.put("message.timestamp.before.max.ms", "9223372036854775807");
        kafka.put("message.timestamp.type", "CreateTime");
        kafka.put("min.cleanable.dirty.ratio", "0.5");
        kafka.put("min.compaction.lag.ms", "0");
        kafka.put("min.insync.replicas", "1");
        kafka.put("preallocate", "false");
        kafka.put("remote.log.copy.disable", "false");
        kafka.put("remote.log.delete.on.disable", "false");
        kafka.put("remote.storage.enable", "false");
        kafka.put("retention.bytes", "-1");
        kafka.put("retention.ms", "604800000");
        kafka.put("segment.bytes", "1073741824");
        kafka.put("segment.index.bytes", "10485760");
        kafka.put("segment.jitter.ms", "0");
        kafka.put("segment.ms", "604800000");
        kafka.put("unclean.leader.election.enable", "false");
        assertEquals(kafka, new java.util.TreeMap<>(LogConfig.DEFAULTS.toMap()), "Kafka 4.3's topic keys and defaults");
        assertEquals(LogConfig.DEFAULTS, LogConfig.DEFAULTS.withOverrides(kafka), "each default is a valid value");
    }
}
