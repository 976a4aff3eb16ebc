package io.tidemark.log.topic;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.tidemark.log.LogConfig;
import io.tidemark.log.LogSlice;
import io.tidemark.log.PartitionLog;
import io.tidemark.log.TopicPartition;
import io.tidemark.log.errors.DataDirectoryLockedException;
import io.tidemark.log.errors.InvalidConfigurationException;
import io.tidemark.log.errors.InvalidPartitionsException;
import io.tidemark.log.errors.InvalidTopicException;
import io.tidemark.log.errors.LogStorageException;
import io.tidemark.log.errors.RecordTooLargeException;
import io.tidemark.log.errors.TopicExistsException;
import io.tidemark.log.errors.UnknownTopicOrPartitionException;
import io.tidemark.log.record.RecordBatch;
import io.tidemark.log.record.RecordBatchBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogManagerTest
{
    @TempDir
    Path dataDir;

    private static void appendOne(final PartitionLog log, final String value)
    {
        final java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(256);
        final RecordBatchBuilder builder = new RecordBatchBuilder().begin(buffer, 0, 256);
        builder.append(1, null, value.getBytes(StandardCharsets.UTF_8));
        log.append(buffer.limit(builder.finish()));
    }

    @Test
    void silentProducersAreForgottenInEveryPartition()
    {
        final org.agrona.concurrent.CachedEpochClock clock = new org.agrona.concurrent.CachedEpochClock();
        clock.update(1_000);
        try (LogManager manager = LogManager.open(dataDir, LogConfig.DEFAULTS, clock, java.time.Duration.ofHours(1),
            java.time.Duration.ofHours(1), java.time.Duration.ofSeconds(10)))
        {
            manager.createTopic("idem", 2, Map.of());
            for (final PartitionLog log : manager.partitions("idem"))
            {
                final java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(256);
                final RecordBatchBuilder builder = new RecordBatchBuilder().begin(buffer, 0, 256).producer(7, (short)0, 0);
                builder.append(1, null, "v".getBytes(StandardCharsets.UTF_8));
                log.append(buffer.limit(builder.finish()));
            }
            clock.update(10_999);
            assertEquals(0, manager.expireProducers());
            clock.update(11_000);
            assertEquals(2, manager.expireProducers(), "the producer's state in both partitions");
            assertEquals(0, manager.expireProducers());
        }
    }

    @Test
    void topicsAreCreatedListedDescribedAndSurviveARestart()
    {
        try (LogManager manager = LogManager.open(dataDir, LogConfig.DEFAULTS))
        {
            final TopicDescription created = manager.createTopic("page_views", 3, Map.of(LogConfig.RETENTION_MS, "60000"));
            assertEquals(3, created.partitions().size());
            assertEquals(60000, created.config().retentionMs());
            manager.createTopic("clicks", 1, Map.of());
            appendOne(manager.partition(new TopicPartition("page_views", 2)), "hello");
            assertEquals(List.of("clicks", "page_views"), manager.listTopics());
        }
        try (LogManager manager = LogManager.open(dataDir, LogConfig.DEFAULTS))
        {
            assertEquals(List.of("clicks", "page_views"), manager.listTopics());
            final TopicDescription described = manager.describeTopic("page_views");
            assertEquals(Map.of(LogConfig.RETENTION_MS, "60000"), described.overrides());
            assertEquals(60000, described.config().retentionMs());
            assertEquals(new TopicDescription.PartitionDescription(2, 0, 1, described.partitions().get(2).sizeInBytes()),
                described.partitions().get(2));
            assertEquals(0, described.partitions().get(0).logEndOffset());
            assertTrue(manager.recoveryReports().isEmpty());
        }
    }

    @Test
    void aTopicThatExistsIsLeftAsItIsByCreateIfMissing()
    {
        try (LogManager manager = LogManager.open(dataDir, LogConfig.DEFAULTS))
        {
            assertTrue(manager.createTopicIfMissing("t", 2, Map.of()));
            appendOne(manager.partition(new TopicPartition("t", 0)), "kept");
            assertFalse(manager.createTopicIfMissing("t", 5, Map.of()));
            assertEquals(2, manager.partitions("t").size());
            assertEquals(1, manager.partition(new TopicPartition("t", 0)).logEndOffset());
        }
    }

    @Test
    void aDeletedTopicIsGoneFromDiskAndCanBeCreatedAfresh()
    {
        try (LogManager manager = LogManager.open(dataDir, LogConfig.DEFAULTS))
        {
            manager.createTopic("t", 2, Map.of());
            appendOne(manager.partition(new TopicPartition("t", 0)), "old");
            manager.deleteTopic("t");
            assertFalse(Files.exists(dataDir.resolve("topics").resolve("t")));
            assertEquals(List.of(), manager.listTopics());
            assertThrows(UnknownTopicOrPartitionException.class, () -> manager.describeTopic("t"));
            manager.createTopic("t", 1, Map.of());
            assertEquals(0, manager.partition(new TopicPartition("t", 0)).logEndOffset());
        }
    }

    @Test
    void leftoversOfAnInterruptedCreationOrDeletionAreClearedAtOpen() throws IOException
    {
        LogManager.open(dataDir, LogConfig.DEFAULTS).close();
        Files.createDirectories(dataDir.resolve("trash/gone.1234/0"));
        Files.createDirectories(dataDir.resolve("staging/half.5678"));
        try (LogManager manager = LogManager.open(dataDir, LogConfig.DEFAULTS))
        {
            assertEquals(List.of(), manager.listTopics());
            try (var trash = Files.list(dataDir.resolve("trash")); var staging = Files.list(dataDir.resolve("staging")))
            {
                assertEquals(0, trash.count());
                assertEquals(0, staging.count());
            }
        }
    }

    @Test
    void partitionsAddedToATopicKeepTheOldRecordsAndSurviveARestart()
    {
        try (LogManager manager = LogManager.open(dataDir, LogConfig.DEFAULTS, org.agrona.concurrent.SystemEpochClock.INSTANCE,
            java.time.Duration.ofMinutes(5), java.time.Duration.ofSeconds(1), LogManager.DEFAULT_PRODUCER_ID_EXPIRATION, new StorageLimits(8, 64)))
        {
            manager.createTopic("t", 2, Map.of(LogConfig.RETENTION_MS, "60000"));
            appendOne(manager.partition(new TopicPartition("t", 1)), "old");
            final TopicDescription grown = manager.addPartitions("t", 5);
            assertEquals(5, grown.partitions().size());
            assertEquals(60000, grown.config().retentionMs(), "the new partitions have the topic's configuration");
            appendOne(manager.partition(new TopicPartition("t", 4)), "new");
            assertEquals(1, manager.partition(new TopicPartition("t", 1)).logEndOffset());

            assertEquals("topic 't' has 5 partitions; 5 would not be an increase",
                assertThrows(InvalidPartitionsException.class, () -> manager.addPartitions("t", 5)).getMessage());
            assertThrows(InvalidPartitionsException.class, () -> manager.addPartitions("t", 3));
            assertTrue(assertThrows(InvalidPartitionsException.class, () -> manager.addPartitions("t", 9)).getMessage()
                .contains("at most 8 partitions"));
            assertEquals(5, manager.checkAddPartitions("t", 8), "a check that changes nothing");
            assertThrows(UnknownTopicOrPartitionException.class, () -> manager.addPartitions("absent", 3));
            assertEquals(5, manager.partitions("t").size(), "refusals change nothing");
        }
        try (LogManager manager = LogManager.open(dataDir, LogConfig.DEFAULTS))
        {
            final TopicDescription described = manager.describeTopic("t");
            assertEquals(5, described.partitions().size());
            assertEquals(Map.of(LogConfig.RETENTION_MS, "60000"), described.overrides());
            assertEquals(1, described.partitions().get(1).logEndOffset());
            assertEquals(1, described.partitions().get(4).logEndOffset());
            assertTrue(manager.recoveryReports().isEmpty());
        }
    }

    /**
     * The files a crash leaves in the middle of an addition, made by a real addition whose last
     * step, the publication of the count, is then undone: the topic opens with the old count,
     * and adding again works over the leftovers.
     */
    @Test
    void anAdditionCutShortBeforeItsCountIsPublishedLeavesTheOldCountAndCanBeRedone() throws IOException
    {
        final Path topicFile = dataDir.resolve("topics/t/topic.properties");
        try (LogManager manager = LogManager.open(dataDir, LogConfig.DEFAULTS))
        {
            manager.createTopic("t", 2, Map.of());
            appendOne(manager.partition(new TopicPartition("t", 0)), "kept");
        }
        final byte[] before = Files.readAllBytes(topicFile);
        try (LogManager manager = LogManager.open(dataDir, LogConfig.DEFAULTS))
        {
            manager.addPartitions("t", 4);
        }
        // The state just before the rename that publishes the count: new directories with their
        // first segments, the new metadata in its temporary file, the old metadata in place.
        Files.move(topicFile, topicFile.resolveSibling("topic.properties.tmp"));
        Files.write(topicFile, before);
        assertTrue(Files.isDirectory(dataDir.resolve("topics/t/3")));
        try (LogManager manager = LogManager.open(dataDir, LogConfig.DEFAULTS))
        {
            assertEquals(2, manager.partitions("t").size(), "the old count");
            assertEquals(1, manager.partition(new TopicPartition("t", 0)).logEndOffset());
            assertEquals(Map.of(), manager.unopenedTopics());
            assertEquals(3, manager.addPartitions("t", 3).partitions().size(), "an addition over the leftovers");
            appendOne(manager.partition(new TopicPartition("t", 2)), "new");
        }
        try (LogManager manager = LogManager.open(dataDir, LogConfig.DEFAULTS))
        {
            assertEquals(3, manager.partitions("t").size());
            assertEquals(1, manager.partition(new TopicPartition("t", 2)).logEndOffset());
            assertEquals(4, manager.addPartitions("t", 4).partitions().size());
            assertEquals(0, manager.partition(new TopicPartition("t", 3)).logEndOffset(), "a leftover directory is made afresh");
        }
    }

    /** After the publication the new count stands, even if the new segment files were never made. */
    @Test
    void anAdditionCutShortAfterItsCountIsPublishedOpensWithTheNewCount() throws IOException
    {
        try (LogManager manager = LogManager.open(dataDir, LogConfig.DEFAULTS))
        {
            manager.createTopic("t", 1, Map.of());
            manager.addPartitions("t", 3);
        }
        try (var files = Files.list(dataDir.resolve("topics/t/2")))
        {
            for (final Path file : files.toList())
            {
                Files.delete(file);
            }
        }
        try (LogManager manager = LogManager.open(dataDir, LogConfig.DEFAULTS))
        {
            assertEquals(3, manager.partitions("t").size());
            appendOne(manager.partition(new TopicPartition("t", 2)), "new");
            assertEquals(1, manager.partition(new TopicPartition("t", 2)).logEndOffset());
        }
    }

    @Test
    void invalidNamesAreRefusedWithTheRuleTheyBreak()
    {
        try (LogManager manager = LogManager.open(dataDir, LogConfig.DEFAULTS))
        {
            assertTrue(assertThrows(InvalidTopicException.class, () -> manager.createTopic("", 1, Map.of())).getMessage().contains("empty"));
            assertThrows(InvalidTopicException.class, () -> manager.createTopic(".", 1, Map.of()));
            assertThrows(InvalidTopicException.class, () -> manager.createTopic("..", 1, Map.of()));
            assertTrue(assertThrows(InvalidTopicException.class, () -> manager.createTopic("a/b", 1, Map.of())).getMessage().contains("'/'"));
            assertTrue(assertThrows(InvalidTopicException.class, () -> manager.createTopic("x".repeat(250), 1, Map.of()))
                .getMessage().contains("249"));
            manager.createTopic("x".repeat(249), 1, Map.of());
            manager.createTopic("metrics.cpu", 1, Map.of());
            assertTrue(assertThrows(InvalidTopicException.class, () -> manager.createTopic("metrics_cpu", 1, Map.of()))
                .getMessage().contains("collides"));
            assertThrows(TopicExistsException.class, () -> manager.createTopic("metrics.cpu", 1, Map.of()));
            assertEquals(2, manager.listTopics().size());
        }
    }

    @Test
    void badPartitionCountsAndConfigurationsCreateNothing() throws IOException
    {
        try (LogManager manager = LogManager.open(dataDir, LogConfig.DEFAULTS))
        {
            assertThrows(InvalidPartitionsException.class, () -> manager.createTopic("t", 0, Map.of()));
            final InvalidConfigurationException unknown = assertThrows(InvalidConfigurationException.class,
                () -> manager.createTopic("t", 1, Map.of("retention.hours", "5")));
            assertTrue(unknown.getMessage().contains("retention.hours"), unknown.getMessage());
            final InvalidConfigurationException bad = assertThrows(InvalidConfigurationException.class,
                () -> manager.createTopic("t", 1, Map.of(LogConfig.SEGMENT_BYTES, "lots")));
            assertTrue(bad.getMessage().contains("segment.bytes"), bad.getMessage());
            assertThrows(InvalidConfigurationException.class, () -> manager.createTopic("t", 1, Map.of(LogConfig.FLUSH_MESSAGES, "0")));
            assertEquals(List.of(), manager.listTopics());
            try (var topics = Files.list(dataDir.resolve("topics")))
            {
                assertEquals(0, topics.count());
            }
        }
    }

    @Test
    void unknownTopicsAndPartitionsAreNamedInTheError()
    {
        try (LogManager manager = LogManager.open(dataDir, LogConfig.DEFAULTS))
        {
            manager.createTopic("t", 2, Map.of());
            assertTrue(assertThrows(UnknownTopicOrPartitionException.class, () -> manager.partition(new TopicPartition("nope", 0)))
                .getMessage().contains("nope"));
            assertTrue(assertThrows(UnknownTopicOrPartitionException.class, () -> manager.partition(new TopicPartition("t", 2)))
                .getMessage().contains("0 to 1"));
            assertThrows(UnknownTopicOrPartitionException.class, () -> manager.deleteTopic("nope"));
        }
    }

    @Test
    void corruptTopicMetadataLeavesTheTopicOutWithoutDeletingData() throws IOException
    {
        try (LogManager manager = LogManager.open(dataDir, LogConfig.DEFAULTS))
        {
            manager.createTopic("t", 1, Map.of());
            manager.createTopic("fine", 1, Map.of());
            appendOne(manager.partition(new TopicPartition("t", 0)), "keep me");
        }
        final Path metadata = dataDir.resolve("topics/t/topic.properties");
        final byte[] original = Files.readAllBytes(metadata);
        Files.writeString(metadata, "partitions=many\n");
        try (LogManager manager = LogManager.open(dataDir, LogConfig.DEFAULTS))
        {
            assertEquals(List.of("fine"), manager.listTopics());
            final String reason = manager.unopenedTopics().get("t");
            assertTrue(reason != null && reason.contains("topic.properties"), String.valueOf(reason));
            assertThrows(TopicExistsException.class, () -> manager.createTopic("t", 1, Map.of()));
            appendOne(manager.partition(new TopicPartition("fine", 0)), "served");
        }
        assertTrue(Files.size(dataDir.resolve("topics/t/0/00000000000000000000.log")) > 0);

        Files.write(metadata, original);
        try (LogManager manager = LogManager.open(dataDir, LogConfig.DEFAULTS))
        {
            assertEquals(1, manager.partition(new TopicPartition("t", 0)).logEndOffset());
        }
    }

    @Test
    void producerIdsAreNeverReusedAcrossRestarts() throws IOException
    {
        final java.util.Set<Long> seen = new java.util.HashSet<>();
        for (int restart = 0; restart < 3; restart++)
        {
            try (LogManager manager = LogManager.open(dataDir, LogConfig.DEFAULTS))
            {
                for (int i = 0; i < ProducerIdManager.BLOCK_SIZE + 10; i++)
                {
                    assertTrue(seen.add(manager.allocateProducerId()), "unique");
                }
            }
        }
        Files.writeString(dataDir.resolve("producer-ids"), "garbage");
        assertTrue(assertThrows(LogStorageException.class, () -> LogManager.open(dataDir, LogConfig.DEFAULTS))
            .getMessage().contains("producer-ids"));
        Files.delete(dataDir.resolve("producer-ids"));
        LogManager.open(dataDir, LogConfig.DEFAULTS).close(); // the failed open released the lock
    }

    @Test
    void aDataDirectoryIsHeldByOneManagerInThisProcess()
    {
        try (LogManager manager = LogManager.open(dataDir, LogConfig.DEFAULTS))
        {
            assertThrows(DataDirectoryLockedException.class, () -> LogManager.open(dataDir, LogConfig.DEFAULTS));
            assertEquals(List.of(), manager.listTopics());
        }
        LogManager.open(dataDir, LogConfig.DEFAULTS).close();
    }

    @Test
    void anotherProcessCannotOpenAHeldDataDirectory() throws Exception
    {
        try (LogManager manager = LogManager.open(dataDir, LogConfig.DEFAULTS))
        {
            manager.createTopic("held", 1, Map.of());
            assertTrue(runChild().startsWith("LOCKED"), "the child saw the lock");
        }
        assertEquals("OPENED [held]", runChild());
    }

    private String runChild() throws Exception
    {
        final Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
            "-cp", System.getProperty("java.class.path"), LockHolder.class.getName(), dataDir.toString())
            .redirectErrorStream(true).start();
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "child finished");
        // The last line: logging may print before it.
        final String[] lines = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim().split("\n");
        return lines[lines.length - 1].trim();
    }

    @Test
    void anAlteredConfigurationReachesEveryPartitionAtOnceAndSurvivesARestart() throws IOException
    {
        final Path file = dataDir.resolve("topics").resolve("altered").resolve("topic.properties");
        try (LogManager manager = LogManager.open(dataDir, LogConfig.DEFAULTS))
        {
            manager.createTopic("altered", 2, Map.of(LogConfig.RETENTION_MS, "60000", "compression.type", "lz4"));
            final String before = Files.readString(file);
            assertThrows(InvalidConfigurationException.class,
                () -> manager.alterTopicConfig("altered", current -> Map.of(LogConfig.MAX_MESSAGE_BYTES, "100", "delete.retention.ms", "-1")));
            assertEquals(before, Files.readString(file), "a refused change writes nothing");
            assertEquals("lz4", manager.topicConfig("altered").toMap().get("compression.type"));
            assertEquals(100, manager.checkTopicConfig("altered", current -> Map.of(LogConfig.MAX_MESSAGE_BYTES, "100")).maxMessageBytes());
            assertEquals(60_000, manager.topicConfig("altered").retentionMs(), "checking changes nothing");
            assertThrows(UnknownTopicOrPartitionException.class, () -> manager.checkTopicConfig("nope", current -> current));
            assertThrows(UnknownTopicOrPartitionException.class, () -> manager.alterTopicConfig("nope", current -> current));

            final TopicDescription altered = manager.alterTopicConfig("altered", current ->
            {
                assertEquals(Map.of(LogConfig.RETENTION_MS, "60000", "compression.type", "lz4"), current, "the change sees the overrides");
                return Map.of(LogConfig.MAX_MESSAGE_BYTES, "100", "delete.retention.ms", "900");
            });
            assertEquals(Map.of(LogConfig.MAX_MESSAGE_BYTES, "100", "delete.retention.ms", "900"), altered.overrides());
            assertEquals(LogConfig.DEFAULTS.retentionMs(), altered.config().retentionMs(), "a key left out is back at its default");
            for (final PartitionLog log : manager.partitions("altered"))
            {
                assertThrows(RecordTooLargeException.class, () -> appendOne(log, "x".repeat(100)),
                    "the open log took the new limit");
            }
        }
        try (LogManager manager = LogManager.open(dataDir, LogConfig.DEFAULTS))
        {
            assertEquals(Map.of(LogConfig.MAX_MESSAGE_BYTES, "100", "delete.retention.ms", "900"), manager.describeTopic("altered").overrides());
            assertEquals(100, manager.topicConfig("altered").maxMessageBytes());
            assertThrows(RecordTooLargeException.class, () -> appendOne(manager.partitions("altered").get(1), "x".repeat(100)));
        }
    }

    @Test
    void newDefaultsReachEveryOpenLogWithoutItsOwnValueAndNewTopics()
    {
        try (LogManager manager = LogManager.open(dataDir, LogConfig.DEFAULTS))
        {
            manager.createTopic("plain", 2, Map.of());
            manager.createTopic("own", 1, Map.of(LogConfig.MAX_MESSAGE_BYTES, "5000"));
            final LogConfig smaller = LogConfig.DEFAULTS.withOverrides(Map.of(LogConfig.MAX_MESSAGE_BYTES, "100", LogConfig.RETENTION_MS, "60000"));

            manager.checkDefaults(smaller);
            appendOne(manager.partitions("plain").get(0), "x".repeat(150));
            assertEquals(LogConfig.DEFAULTS.maxMessageBytes(), manager.topicConfig("plain").maxMessageBytes(), "checking changes nothing");

            manager.changeDefaults(smaller);
            assertEquals(smaller, manager.defaults());
            for (final PartitionLog log : manager.partitions("plain"))
            {
                assertThrows(RecordTooLargeException.class, () -> appendOne(log, "x".repeat(150)), "the open log took the new default");
            }
            assertEquals(60_000, manager.describeTopic("plain").config().retentionMs());
            appendOne(manager.partitions("own").get(0), "x".repeat(150));
            assertEquals(5000, manager.topicConfig("own").maxMessageBytes(), "the topic's own value wins");
            assertEquals(60_000, manager.topicConfig("own").retentionMs(), "a key it does not override follows the default");
            manager.createTopic("later", 1, Map.of());
            assertThrows(RecordTooLargeException.class, () -> appendOne(manager.partitions("later").get(0), "x".repeat(150)));

            manager.changeDefaults(LogConfig.DEFAULTS);
            appendOne(manager.partitions("plain").get(1), "x".repeat(150));
            assertEquals(LogConfig.DEFAULTS.retentionMs(), manager.topicConfig("later").retentionMs(), "back at the built-in default");
        }
    }

    private static long firstBatchOffset(final LogManager manager, final String topic) throws IOException
    {
        final LogSlice slice = manager.partition(new TopicPartition(topic, 0)).read(0, 1 << 16);
        final ByteBuffer bytes = ByteBuffer.allocate(slice.sizeInBytes());
        slice.readInto(bytes);
        return new RecordBatch().wrap(bytes, 0).baseOffset();
    }

    private static ByteBuffer keyed(final String key, final String value)
    {
        final ByteBuffer buffer = ByteBuffer.allocate(256);
        final RecordBatchBuilder builder = new RecordBatchBuilder().begin(buffer, 0, 256);
        builder.append(1, key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
        return buffer.limit(builder.finish());
    }

    @Test
    void theCleanerCleansTheTopicsAlteredToCompactionAndLeavesTheOthers() throws IOException
    {
        try (LogManager manager = LogManager.open(dataDir, LogConfig.DEFAULTS))
        {
            final Map<String, String> cleanable = Map.of(LogConfig.MIN_CLEANABLE_DIRTY_RATIO, "0.01");
            manager.createTopic("table", 1, cleanable);
            manager.createTopic("events", 1, cleanable);
            for (final String topic : List.of("table", "events"))
            {
                final PartitionLog log = manager.partition(new TopicPartition(topic, 0));
                log.append(keyed("k", "old"));
                log.append(keyed("k", "new"));
                log.roll();
            }
            assertEquals(0, manager.clean(), "cleanup.policy=delete everywhere: nothing to clean");
            manager.alterTopicConfig("table", overrides ->
            {
                final Map<String, String> altered = new HashMap<>(overrides);
                altered.put(LogConfig.CLEANUP_POLICY, "compact");
                return altered;
            });
            assertTrue(manager.clean() > 0, "the altered topic is cleaned");
            assertEquals(1, firstBatchOffset(manager, "table"), "the old value went, the new one kept its offset");
            assertEquals(0, firstBatchOffset(manager, "events"), "the topic still deleting keeps both");
            assertEquals(0, manager.clean(), "a clean log is not due");
        }
    }
}
