package io.tidemark.log.txn;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import io.tidemark.log.LogConfig;
import io.tidemark.log.PartitionLog;
import io.tidemark.log.TopicPartition;
import io.tidemark.log.topic.LogManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The records of {@code __transaction_state}: the latest record of an id wins at replay, a
 * tombstone forgets it, and a compaction keeps exactly the live states; the topic is made by its
 * first write, not by opening.
 */
class TransactionStateLogTest
{
    @TempDir
    Path dataDir;

    private static TransactionMetadata state(final String id, final int epoch, final TransactionState state)
    {
        final boolean open = state == TransactionState.ONGOING || state == TransactionState.PREPARE_COMMIT;
        return new TransactionMetadata(id, 1_000 + id.length(), 7, (short)epoch, (short)(epoch - 1), 30_000, state,
            open ? Set.of(new TopicPartition("events", epoch % 3), new TopicPartition("other topic", 12)) : Set.of(),
            open ? Set.of("readers", "Gruppe ü") : Set.of(), open ? 1_234 : -1, 5_678 + epoch);
    }

    @Test
    void theLatestStateOfEveryIdSurvivesReplayAndCompaction()
    {
        final Map<String, TransactionMetadata> expected = new HashMap<>();
        try (LogManager logs = LogManager.open(dataDir, LogConfig.DEFAULTS))
        {
            final TransactionStateLog log = new TransactionStateLog(logs, 2, () -> 1L, 50);
            final TransactionState[] states = TransactionState.values();
            for (int round = 0; round < 40; round++)
            {
                for (int id = 0; id < 10; id++)
                {
                    final TransactionMetadata metadata = state("id-" + id, round, states[(round + id) % states.length]);
                    log.write(metadata);
                    expected.put(metadata.transactionalId(), metadata);
                }
            }
            log.forget("id-3");
            expected.remove("id-3");
            long held = 0;
            for (final PartitionLog partition : logs.partitions(TransactionCoordinator.TOPIC))
            {
                assertTrue(partition.logStartOffset() > 0, "compacted: " + partition.topicPartition());
                held += partition.logEndOffset() - partition.logStartOffset();
            }
            assertTrue(held < 150, "only the live states and the records since the compaction: " + held);
            assertEquals(expected, log.load());
        }
        try (LogManager logs = LogManager.open(dataDir, LogConfig.DEFAULTS))
        {
            assertEquals(expected, new TransactionStateLog(logs, 2, () -> 1L).load());
        }
    }

    @Test
    void theTopicIsCreatedByItsFirstWriteWithTheGivenPartitions()
    {
        try (LogManager logs = LogManager.open(dataDir, LogConfig.DEFAULTS))
        {
            final TransactionStateLog log = new TransactionStateLog(logs, 3, () -> 1L);
            assertEquals(Map.of(), log.load());
            assertFalse(logs.listTopics().contains(TransactionCoordinator.TOPIC), "not created by opening");
            log.write(state("first", 1, TransactionState.EMPTY));
            assertEquals(3, logs.partitions(TransactionCoordinator.TOPIC).size());
            assertEquals(-1, logs.topicConfig(TransactionCoordinator.TOPIC).retentionMs(), "retention off");
        }
        try (LogManager logs = LogManager.open(dataDir, LogConfig.DEFAULTS))
        {
            assertEquals(Set.of("first"), new TransactionStateLog(logs, 3, () -> 1L).load().keySet());
        }
    }
}
