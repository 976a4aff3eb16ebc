package io.tidemark.runtime.broker;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.tidemark.log.LogConfig;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeConfigsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeConfigsResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeConfigsResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What only Tidemark's own server shows: an altered topic configuration survives a restart,
 * a topic default set in the server's file is described as static broker configuration with
 * its synonyms, and a refused configuration leaves one warning naming the topic and the reason.
 */
class AlteredTopicConfigTest
{
    private static final ConfigResource TOPIC = new ConfigResource(ConfigResource.Type.TOPIC, "altered");

    @TempDir
    Path dataDir;

    private static Map<String, ConfigEntry> describe(final Admin admin) throws Exception
    {
        final Map<String, ConfigEntry> entries = new TreeMap<>();
        admin.describeConfigs(List.of(TOPIC), new DescribeConfigsOptions().includeSynonyms(true)).all().get(1, TimeUnit.MINUTES)
            .get(TOPIC).entries().forEach(entry -> entries.put(entry.name(), entry));
        return entries;
    }

    @Test
    void anAlteredConfigurationSurvivesARestartBesideTheServersTopicDefaults() throws Exception
    {
        try (TestServer server = TestServer.start(dataDir, Map.of("log.retention.ms", "3600000")))
        {
            try (Admin admin = KafkaClientsTest.admin(server))
            {
                admin.createTopics(List.of(new NewTopic("altered", 3, (short)1).configs(Map.of("compression.type", "lz4")))).all().get();
                admin.incrementalAlterConfigs(Map.of(TOPIC, List.of(
                    new AlterConfigOp(new ConfigEntry("compression.type", null), AlterConfigOp.OpType.DELETE),
                    new AlterConfigOp(new ConfigEntry("retention.bytes", "1048576"), AlterConfigOp.OpType.SET),
                    new AlterConfigOp(new ConfigEntry("follower.replication.throttled.replicas", "2:0"), AlterConfigOp.OpType.APPEND))))
                    .all().get(1, TimeUnit.MINUTES);
            }
            server.restart();
            try (Admin admin = KafkaClientsTest.admin(server))
            {
                final Map<String, ConfigEntry> entries = describe(admin);
                assertEquals("1048576", entries.get("retention.bytes").value());
                assertEquals(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG, entries.get("retention.bytes").source());
                assertEquals("2:0", entries.get("follower.replication.throttled.replicas").value());
                assertEquals("producer", entries.get("compression.type").value());
                assertEquals(ConfigEntry.ConfigSource.DEFAULT_CONFIG, entries.get("compression.type").source());

                final ConfigEntry retention = entries.get("retention.ms");
                assertEquals("3600000", retention.value());
                assertEquals(ConfigEntry.ConfigSource.STATIC_BROKER_CONFIG, retention.source());
                assertEquals(List.of("log.retention.ms=3600000 (STATIC_BROKER_CONFIG)", "log.retention.ms=604800000 (DEFAULT_CONFIG)"),
                    retention.synonyms().stream().map(s -> s.name() + "=" + s.value() + " (" + s.source() + ")").toList());
                assertEquals(1_048_576, server.server().logs().topicConfig("altered").retentionBytes(), "the served logs have it");
            }
        }
    }

    /** Every advertised version carries what it can: sources and synonyms from 1, types and documentation from 3. */
    @Test
    void describeConfigsAnswersAtEveryAdvertisedVersion() throws Exception
    {
        try (TestServer server = TestServer.start(dataDir, Map.of());
            WireClient client = new WireClient(server.port()))
        {
            server.server().logs().createTopic("altered", 1, Map.of("compression.type", "lz4"));
            for (short version = 1; version <= 4; version++)
            {
                final DescribeConfigsResponseData response = (DescribeConfigsResponseData)client.send(new DescribeConfigsRequestData()
                    .setIncludeSynonyms(true).setIncludeDocumentation(version >= 3).setResources(List.of(
                        new DescribeConfigsRequestData.DescribeConfigsResource().setResourceType(TOPIC.type().id()).setResourceName("altered")
                            .setConfigurationKeys(null))),
                    version);
                final DescribeConfigsResponseData.DescribeConfigsResult result = response.results().get(0);
                assertEquals(Errors.NONE.code(), result.errorCode(), "version " + version);
                assertEquals(LogConfig.DEFAULTS.toMap().size(), result.configs().size());
                final DescribeConfigsResponseData.DescribeConfigsResourceResult compression = result.configs().stream()
                    .filter(c -> c.name().equals("compression.type")).findFirst().orElseThrow();
                assertEquals("lz4", compression.value());
                assertEquals(DescribeConfigsResponse.ConfigSource.TOPIC_CONFIG.id(), compression.configSource(), "version " + version);
                assertEquals(2, compression.synonyms().size(), "version " + version);
                assertEquals(version >= 3 ? DescribeConfigsResponse.ConfigType.STRING.id() : 0, compression.configType(), "version " + version);
                assertEquals(version >= 3, compression.documentation() != null && !compression.documentation().isEmpty(), "version " + version);
            }
        }
    }

    @Test
    void aRefusedConfigurationIsLoggedOnceWithTheTopicAndTheReason() throws Exception
    {
        final Logger logger = (Logger)LoggerFactory.getLogger(RefusalLog.class);
        final ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        logger.addAppender(lines);
        try (TestServer server = TestServer.start(dataDir, Map.of());
            Admin admin = KafkaClientsTest.admin(server))
        {
            final ExecutionException refused = assertThrows(ExecutionException.class, () -> admin.createTopics(List.of(
                new NewTopic("refused", 1, (short)1).configs(Map.of("compression.typ", "lz4")))).all().get());
            assertInstanceOf(InvalidConfigurationException.class, refused.getCause());
            assertEquals("unknown topic configuration key 'compression.typ'; did you mean 'compression.type'?", refused.getCause().getMessage());
            final List<ILoggingEvent> warnings = lines.list.stream().filter(e -> e.getLevel() == Level.WARN).toList();
            assertEquals(1, warnings.size(), lines.list::toString);
            final String line = warnings.get(0).getFormattedMessage();
            assertTrue(line.contains("invalid topic configuration: topic 'refused': unknown topic configuration key 'compression.typ'"), line);
        }
        finally
        {
            logger.detachAppender(lines);
        }
    }
}
