package io.tidemark.log.group;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import io.tidemark.log.LogConfig;
import io.tidemark.log.PartitionLog;
import io.tidemark.log.TopicPartition;
import io.tidemark.log.TransactionMarker;
import io.tidemark.log.TransactionResult;
import io.tidemark.log.topic.LogManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The offsets topic's compaction beside transactions: a partition holding offsets of an open
 * transaction is not compacted, and once the transaction ends the compaction keeps what it
 * committed. An offsets topic that cannot be opened stops the store's open instead of leaving
 * the groups without their offsets.
 */
class OffsetStoreTest
{
    private static final TopicPartition EVENTS = new TopicPartition("events", 0);

    @TempDir
    Path dataDir;

    @Test
    void aPartitionWithPendingTransactionalOffsetsIsNotCompactedUntilTheTransactionEnds()
    {
        final Map<TopicPartition, OffsetAndMetadata> expected = new HashMap<>();
        try (LogManager logs = LogManager.open(dataDir, LogConfig.DEFAULTS))
        {
            logs.createTopic("events", 1, Map.of());
            final OffsetStore store = new OffsetStore(logs, 1, () -> 1L, 20);
            final PartitionLog partition = store.partitionFor("plain");
            store.commitTransactional("txn", 42, (short)0, Map.of(EVENTS, OffsetAndMetadata.of(500)));
            for (int i = 0; i < 100; i++)
            {
                store.commit("plain", Map.of(EVENTS, OffsetAndMetadata.of(i)));
            }
            assertEquals(0, partition.logStartOffset(), "not compacted while offsets of producer 42 are pending");
            assertEquals(Set.of(EVENTS), store.pending("txn"));

            store.completeTransaction("txn", new TransactionMarker(42, (short)0, 0, TransactionResult.COMMIT));
            assertTrue(partition.logStartOffset() > 0, "compacted once the transaction ended");
            assertEquals(Map.of(EVENTS, OffsetAndMetadata.of(500)), store.fetch("txn", null));
            expected.putAll(store.fetch("plain", null));
            assertEquals(Map.of(EVENTS, OffsetAndMetadata.of(99)), expected);
        }
        try (LogManager logs = LogManager.open(dataDir, LogConfig.DEFAULTS))
        {
            final OffsetStore store = new OffsetStore(logs, 1, () -> 1L, 20);
            assertEquals(expected, store.fetch("plain", null));
            assertEquals(Map.of(EVENTS, OffsetAndMetadata.of(500)), store.fetch("txn", null));
            assertEquals(Set.of(), store.pending("txn"));
        }
    }

    @Test
    void anOffsetsTopicThatCannotBeOpenedFailsTheOpen() throws Exception
    {
        try (LogManager logs = LogManager.open(dataDir, LogConfig.DEFAULTS))
        {
            new OffsetStore(logs, 1, () -> 1L).commit("g", Map.of(EVENTS, OffsetAndMetadata.of(5)));
        }
        final Path segment = dataDir.resolve("topics").resolve(OffsetStore.TOPIC).resolve("0").resolve("00000000000000000000.log");
        Files.delete(segment);
        Files.createDirectory(segment);
        try (LogManager logs = LogManager.open(dataDir, LogConfig.DEFAULTS))
        {
            assertThrows(RuntimeException.class, () -> new OffsetStore(logs, 1, () -> 1L));
        }
    }
}
