package io.tidemark.log.txn;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import io.tidemark.log.TopicPartition;
import io.tidemark.log.TransactionMarker;
import io.tidemark.log.TransactionResult;
import io.tidemark.log.errors.OffsetMetadataTooLargeException;
import io.tidemark.log.errors.ProducerFencedException;
import io.tidemark.log.errors.UnknownMemberIdException;
import io.tidemark.log.errors.UnknownTopicOrPartitionException;
import io.tidemark.log.group.GroupConfig;
import io.tidemark.log.group.GroupCoordinator;
import io.tidemark.log.group.OffsetAndMetadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.tidemark.log.txn.TransactionFixture.P0;
import static io.tidemark.log.txn.TransactionFixture.P1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Offsets committed in a transaction (Kafka's TxnOffsetCommit): pending until the
 * transaction's marker reaches the group's partition of the offsets topic, then visible or
 * gone, the same after a replay of the topic.
 */
class TransactionalOffsetsTest
{
    private static final String ID = "copier";
    private static final String GROUP = "readers";

    @TempDir
    Path dataDir;

    private TransactionFixture fixture;

    @BeforeEach
    void open()
    {
        fixture = new TransactionFixture(dataDir, new TransactionConfig(60_000, 3, 10, 3_600_000));
    }

    @AfterEach
    void close()
    {
        fixture.close();
    }

    private ProducerIdAndEpoch begin(final Map<TopicPartition, OffsetAndMetadata> offsets)
    {
        final ProducerIdAndEpoch producer = fixture.coordinator.initProducerId(ID, 30_000, null);
        fixture.coordinator.addOffsets(ID, producer, GROUP);
        fixture.groups.commitTransactionalOffsets(GROUP, producer.producerId(), producer.epoch(), -1, "", offsets);
        return producer;
    }

    @Test
    void offsetsAreVisibleOnlyOnceTheTransactionCommits()
    {
        fixture.groups.commitOffsets(GROUP, -1, "", Map.of(P1, OffsetAndMetadata.of(3)));
        final ProducerIdAndEpoch producer = begin(Map.of(P0, new OffsetAndMetadata(7, 2, "seen"), P1, OffsetAndMetadata.of(9)));
        assertEquals(Map.of(P1, OffsetAndMetadata.of(3)), fixture.groups.fetchOffsets(GROUP, null));
        assertEquals(Set.of(P0, P1), fixture.groups.pendingTransactionalOffsets(GROUP));
        assertEquals(Set.of(), fixture.groups.pendingTransactionalOffsets("others"));

        fixture.coordinator.endTransaction(ID, producer, TransactionResult.COMMIT);
        assertEquals(Map.of(P0, new OffsetAndMetadata(7, 2, "seen"), P1, OffsetAndMetadata.of(9)), fixture.groups.fetchOffsets(GROUP, null));
        assertEquals(Set.of(), fixture.groups.pendingTransactionalOffsets(GROUP));
        fixture.restart();
        assertEquals(Map.of(P0, new OffsetAndMetadata(7, 2, "seen"), P1, OffsetAndMetadata.of(9)), fixture.groups.fetchOffsets(GROUP, null));
    }

    @Test
    void offsetsOfAnAbortedTransactionAreDropped()
    {
        fixture.groups.commitOffsets(GROUP, -1, "", Map.of(P0, OffsetAndMetadata.of(3)));
        final ProducerIdAndEpoch producer = begin(Map.of(P0, OffsetAndMetadata.of(8)));
        fixture.coordinator.endTransaction(ID, producer, TransactionResult.ABORT);
        assertEquals(Map.of(P0, OffsetAndMetadata.of(3)), fixture.groups.fetchOffsets(GROUP, null));
        assertEquals(Set.of(), fixture.groups.pendingTransactionalOffsets(GROUP));
        fixture.restart();
        assertEquals(Map.of(P0, OffsetAndMetadata.of(3)), fixture.groups.fetchOffsets(GROUP, null));
        assertEquals(Set.of(), fixture.groups.pendingTransactionalOffsets(GROUP));
    }

    @Test
    void pendingOffsetsReplayAsPendingAndFollowTheirMarker()
    {
        final ProducerIdAndEpoch producer = begin(Map.of(P0, OffsetAndMetadata.of(4)));
        // Only the group coordinator reopens: its replay finds the offsets and no marker yet.
        fixture.groups.close();
        final GroupCoordinator reopened = new GroupCoordinator(fixture.logs, GroupConfig.defaults(), fixture.now::get);
        try
        {
            assertEquals(Set.of(P0), reopened.pendingTransactionalOffsets(GROUP));
            assertEquals(Map.of(), reopened.fetchOffsets(GROUP, null));
            reopened.completeTransaction(GROUP, new TransactionMarker(producer.producerId(), producer.epoch(), 0, TransactionResult.COMMIT));
            assertEquals(Map.of(P0, OffsetAndMetadata.of(4)), reopened.fetchOffsets(GROUP, null));
        }
        finally
        {
            reopened.close();
        }
    }

    @Test
    void aDecidedCommitCompletedByARestartMakesTheOffsetsVisible()
    {
        final ProducerIdAndEpoch producer = begin(Map.of(P0, OffsetAndMetadata.of(11)));
        fixture.coordinator.decideOnly(ID, producer, TransactionResult.COMMIT);
        assertEquals(Map.of(), fixture.groups.fetchOffsets(GROUP, null));
        fixture.restart();
        assertEquals(Map.of(P0, OffsetAndMetadata.of(11)), fixture.groups.fetchOffsets(GROUP, null));
        assertEquals(Set.of(), fixture.groups.pendingTransactionalOffsets(GROUP));
    }

    @Test
    void offsetsOfATransactionOpenAtARestartStayPendingUntilItsProducerEndsIt()
    {
        final ProducerIdAndEpoch producer = begin(Map.of(P0, OffsetAndMetadata.of(11)));
        fixture.restart();
        assertEquals(Map.of(), fixture.groups.fetchOffsets(GROUP, null));
        assertEquals(Set.of(P0), fixture.groups.pendingTransactionalOffsets(GROUP));
        fixture.coordinator.endTransaction(ID, producer, TransactionResult.COMMIT);
        assertEquals(Map.of(P0, OffsetAndMetadata.of(11)), fixture.groups.fetchOffsets(GROUP, null));
        assertEquals(Set.of(), fixture.groups.pendingTransactionalOffsets(GROUP));
    }

    @Test
    void offsetsOfATransactionOpenAtARestartAreDroppedWhenANewInstanceAbortsIt()
    {
        begin(Map.of(P0, OffsetAndMetadata.of(11)));
        fixture.restart();
        fixture.coordinator.initProducerId(ID, 30_000, null);
        assertEquals(Map.of(), fixture.groups.fetchOffsets(GROUP, null));
        assertEquals(Set.of(), fixture.groups.pendingTransactionalOffsets(GROUP));
    }

    @Test
    void badOffsetsAreRefusedAndNothingIsPending()
    {
        final ProducerIdAndEpoch producer = fixture.coordinator.initProducerId(ID, 30_000, null);
        fixture.coordinator.addOffsets(ID, producer, GROUP);
        assertThrows(UnknownTopicOrPartitionException.class, () -> fixture.groups.commitTransactionalOffsets(GROUP, producer.producerId(),
            producer.epoch(), -1, "", Map.of(P0, OffsetAndMetadata.of(1), new TopicPartition("nope", 0), OffsetAndMetadata.of(1))));
        assertThrows(OffsetMetadataTooLargeException.class, () -> fixture.groups.commitTransactionalOffsets(GROUP, producer.producerId(),
            producer.epoch(), -1, "", Map.of(P0, new OffsetAndMetadata(1, -1, "x".repeat(5_000)))));
        assertThrows(UnknownMemberIdException.class, () -> fixture.groups.commitTransactionalOffsets(GROUP, producer.producerId(),
            producer.epoch(), 3, "member-1", Map.of(P0, OffsetAndMetadata.of(1))));
        assertEquals(Set.of(), fixture.groups.pendingTransactionalOffsets(GROUP));
    }

    @Test
    void aFencedProducerCannotCommitOffsets()
    {
        final ProducerIdAndEpoch first = begin(Map.of(P0, OffsetAndMetadata.of(2)));
        fixture.coordinator.initProducerId(ID, 30_000, null);
        assertThrows(ProducerFencedException.class, () -> fixture.groups.commitTransactionalOffsets(GROUP, first.producerId(), first.epoch(),
            -1, "", Map.of(P0, OffsetAndMetadata.of(5))));
        assertEquals(Map.of(), fixture.groups.fetchOffsets(GROUP, null));
        assertEquals(Set.of(), fixture.groups.pendingTransactionalOffsets(GROUP));
    }
}
