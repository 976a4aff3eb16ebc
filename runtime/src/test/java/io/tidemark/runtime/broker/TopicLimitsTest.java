package io.tidemark.runtime.broker;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;

import io.tidemark.log.errors.InvalidConfigurationException;
import io.tidemark.log.topic.StorageLimits;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TopicLimitsTest
{
    @TempDir
    Path dataDir;

    @Test
    void createTopicsBeyondThePartitionLimitIsRefusedNamingTheLimit() throws Exception
    {
        try (TestServer server = TestServer.start(dataDir, Map.of(BrokerConfig.CREATE_TOPICS_MAX_PARTITIONS, "50"));
            Admin admin = KafkaClientsTest.admin(server))
        {
            for (final int partitions : new int[] {51, 32_768, 1_000_000})
            {
                final ExecutionException e = assertThrows(ExecutionException.class,
                    () -> admin.createTopics(List.of(new NewTopic("huge", partitions, (short)1))).all().get());
                assertInstanceOf(InvalidPartitionsException.class, e.getCause());
                assertTrue(e.getCause().getMessage().contains("at most 50 (create.topics.max.partitions)"), e.getCause().getMessage());
            }

            // The limit holds for the request: the second topic would bring it to 60.
            final CreateTopicsResult both = admin.createTopics(List.of(new NewTopic("first", 30, (short)1),
                new NewTopic("second", 30, (short)1)));
            both.values().get("first").get();
            final ExecutionException second = assertThrows(ExecutionException.class, () -> both.values().get("second").get());
            assertInstanceOf(InvalidPartitionsException.class, second.getCause());
            assertTrue(second.getCause().getMessage().contains("took 30"), second.getCause().getMessage());

            assertEquals(List.of("first"), List.copyOf(admin.listTopics().names().get()));
            admin.createTopics(List.of(new NewTopic("second", 20, (short)1))).all().get();
        }
    }

    @Test
    void theLimitIsABrokerKeyBoundedByTheLogManagersOwn()
    {
        final Properties properties = new Properties();
        assertEquals(StorageLimits.DEFAULT_MAX_PARTITIONS_PER_TOPIC,
            BrokerConfig.parse(properties, dataDir, "127.0.0.1", 0).createTopicsMaxPartitions());
        properties.setProperty(BrokerConfig.CREATE_TOPICS_MAX_PARTITIONS, "200");
        assertEquals(200, BrokerConfig.parse(properties, dataDir, "127.0.0.1", 0).createTopicsMaxPartitions());
        for (final String bad : List.of("0", "1000000", "many"))
        {
            properties.setProperty(BrokerConfig.CREATE_TOPICS_MAX_PARTITIONS, bad);
            final InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> BrokerConfig.parse(properties, dataDir, "127.0.0.1", 0));
            assertTrue(e.getMessage().contains(BrokerConfig.CREATE_TOPICS_MAX_PARTITIONS), e.getMessage());
        }
    }
}
