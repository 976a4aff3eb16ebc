package io.tidemark.log.topic;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import io.tidemark.log.LogConfig;
import io.tidemark.log.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TopicIdTest
{
    @TempDir
    Path dataDir;

    @Test
    void aTopicKeepsTheIdItWasCreatedWithAcrossRestartsAndChanges()
    {
        final TopicId id;
        try (LogManager manager = LogManager.open(dataDir, LogConfig.DEFAULTS))
        {
            id = manager.createTopic("kept", 1, Map.of()).topicId();
            assertEquals("kept", manager.topicName(id));
            assertEquals(id, manager.topicId("kept"));
            assertEquals(id, manager.addPartitions("kept", 2).topicId(), "adding partitions keeps the id");
            assertEquals(id, manager.alterTopicConfig("kept", current -> Map.of(LogConfig.RETENTION_MS, "1000")).topicId(),
                "altering the configuration keeps the id");
        }
        try (LogManager manager = LogManager.open(dataDir, LogConfig.DEFAULTS))
        {
            assertEquals(id, manager.describeTopic("kept").topicId());
            assertEquals("kept", manager.topicName(id));
            assertEquals(Map.of(LogConfig.RETENTION_MS, "1000"), manager.describeTopic("kept").overrides(), "the id is no override");
            assertEquals(2, manager.partitions("kept").size());
        }
    }

    @Test
    void aTopicCreatedAgainUnderItsNameGetsANewIdAndTheOldOneIsUnknown()
    {
        try (LogManager manager = LogManager.open(dataDir, LogConfig.DEFAULTS))
        {
            final TopicId first = manager.createTopic("again", 1, Map.of()).topicId();
            manager.deleteTopic("again");
            assertNull(manager.topicName(first));
            assertThrows(UnknownTopicOrPartitionException.class, () -> manager.topicId("again"));
            final TopicId second = manager.createTopic("again", 1, Map.of()).topicId();
            assertNotEquals(first, second);
            assertEquals("again", manager.topicName(second));
            assertNull(manager.topicName(first));
        }
    }

    /** A data directory written before topics had ids: each such topic gets one at open, written down, and keeps it. */
    @Test
    void aTopicWithoutAnIdGetsOneAtOpenAndKeepsIt() throws IOException
    {
        try (LogManager manager = LogManager.open(dataDir, LogConfig.DEFAULTS))
        {
            manager.createTopic("old", 2, Map.of(LogConfig.RETENTION_MS, "60000"));
        }
        final Path file = dataDir.resolve("topics/old/topic.properties");
        final String withoutId = Files.readString(file).replaceAll("(?m)^topic\\.id=.*\\R", "");
        Files.writeString(file, withoutId);
        assertFalse(Files.readString(file).contains("topic.id"));
        final TopicId assigned;
        try (LogManager manager = LogManager.open(dataDir, LogConfig.DEFAULTS))
        {
            assertTrue(manager.unopenedTopics().isEmpty(), manager.unopenedTopics().toString());
            assigned = manager.describeTopic("old").topicId();
            assertEquals("old", manager.topicName(assigned));
            assertEquals(Map.of(LogConfig.RETENTION_MS, "60000"), manager.describeTopic("old").overrides());
            assertEquals(2, manager.partitions("old").size());
        }
        assertTrue(Files.readString(file).contains("topic.id=" + assigned), "written down at once");
        try (LogManager manager = LogManager.open(dataDir, LogConfig.DEFAULTS))
        {
            assertEquals(assigned, manager.describeTopic("old").topicId(), "kept from then on");
        }
    }

    @Test
    void aTopicWithADamagedIdIsNotServedAndTheOthersAre() throws IOException
    {
        try (LogManager manager = LogManager.open(dataDir, LogConfig.DEFAULTS))
        {
            manager.createTopic("damaged", 1, Map.of());
            manager.createTopic("fine", 1, Map.of());
        }
        final Path file = dataDir.resolve("topics/damaged/topic.properties");
        Files.writeString(file, Files.readString(file).replaceAll("(?m)^topic\\.id=.*$", "topic.id=not-an-id"));
        try (LogManager manager = LogManager.open(dataDir, LogConfig.DEFAULTS))
        {
            assertEquals(Set.of("damaged"), manager.unopenedTopics().keySet());
            assertTrue(manager.unopenedTopics().get("damaged").contains("topic.properties"), manager.unopenedTopics().get("damaged"));
            assertEquals(1, manager.partitions("fine").size());
        }
    }

    @Test
    void randomIdsAreNeverTheOnesKafkaReserves()
    {
        final Set<TopicId> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++)
        {
            final TopicId id = TopicId.random();
            assertFalse(id.mostSignificantBits() == 0 && id.leastSignificantBits() <= 1, id.toString());
            assertNotEquals(62L, id.mostSignificantBits() >>> 58, "Kafka's text of it would start with '-'");
            assertTrue(seen.add(id));
            assertEquals(id, TopicId.parse(id.toString()));
        }
        assertThrows(IllegalArgumentException.class, () -> TopicId.parse("00000000-0000-0000-0000-000000000000"));
    }
}
