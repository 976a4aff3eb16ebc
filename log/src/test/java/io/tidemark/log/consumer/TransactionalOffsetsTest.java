package io.tidemark.log.consumer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.tidemark.log.IsolationLevel;
import io.tidemark.log.TopicPartition;
import io.tidemark.log.errors.UnstableOffsetCommitException;
import io.tidemark.log.group.OffsetAndMetadata;
import io.tidemark.log.producer.EmbeddedTransactions;
import io.tidemark.log.producer.Producer;
import io.tidemark.log.producer.ProducerConfig;
import io.tidemark.log.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A read-committed group member never starts from an offset that an open transaction is replacing (Kafka's require_stable). */
class TransactionalOffsetsTest
{
    private static final TopicPartition P0 = new TopicPartition("events", 0);
    private static final ConsumerGroupMetadata GROUP = new ConsumerGroupMetadata("g", -1, "");

    @TempDir
    Path dataDir;

    private EmbeddedTransactions embedded;

    @BeforeEach
    void open()
    {
        embedded = new EmbeddedTransactions(dataDir);
        embedded.logs().createTopic("events", 1, Map.of());
        try (Producer plain = embedded.producer(ProducerConfig.defaults()))
        {
            for (int i = 0; i < 10; i++)
            {
                plain.send(new ProducerRecord("events", 0, null, null, ("v" + i).getBytes(StandardCharsets.UTF_8), null));
            }
        }
        embedded.groups().commitOffsets("g", -1, "", Map.of(P0, OffsetAndMetadata.of(2)));
    }

    @AfterEach
    void close()
    {
        embedded.close();
    }

    @Test
    void aReadCommittedMemberWaitsForTheTransactionThatCommitsItsOffsets()
    {
        try (Producer producer = embedded.transactionalProducer("offsets");
            Consumer committed = embedded.consumer(IsolationLevel.READ_COMMITTED, "g", List.of(P0));
            Consumer uncommitted = embedded.consumer(IsolationLevel.READ_UNCOMMITTED, "g", List.of(P0)))
        {
            producer.beginTransaction();
            producer.sendOffsetsToTransaction(Map.of(P0, OffsetAndMetadata.of(5)), GROUP);

            assertEquals(List.of(), committed.poll(Duration.ofMillis(50)), "no start from the offset being replaced");
            assertThrows(UnstableOffsetCommitException.class, () -> committed.committed(List.of(P0), Duration.ofMillis(20)));
            assertEquals(2, uncommitted.committed(List.of(P0)).get(P0).offset(), "read_uncommitted does not wait");

            producer.commitTransaction();
            assertEquals(5, committed.committed(List.of(P0), Duration.ofMillis(20)).get(P0).offset());
            final List<ConsumerRecord> records = committed.poll(Duration.ofSeconds(10));
            assertEquals(5, records.get(0).offset(), "starts from the transaction's offset");

            producer.beginTransaction();
            producer.sendOffsetsToTransaction(Map.of(P0, OffsetAndMetadata.of(8)), GROUP);
            producer.abortTransaction();
            assertEquals(5, committed.committed(List.of(P0), Duration.ofMillis(20)).get(P0).offset(), "an aborted transaction's offsets are dropped");
        }
    }
}
