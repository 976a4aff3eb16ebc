package io.tidemark.runtime.broker;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.nio.file.Path;
import java.util.Map;

import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tidemark.log.TopicPartition;
import io.tidemark.runtime.TransactionsTool;

/**
 * Apache Kafka's own {@code kafka-transactions} tool against the server: the scenario of
 * {@link TransactionsTool#listDescribeFindAndAbort}, whose oracle run is
 * {@code KafkaTransactionsCommandTest}.
 */
class TransactionsCommandTest
{
    @TempDir
    Path dataDir;

    @Test
    void kafkasToolListsDescribesFindsAndAbortsAHangingTransaction() throws Exception
    {
        try (TestServer server = TestServer.start(dataDir, Map.of()))
        {
            TransactionsTool.listDescribeFindAndAbort(server.bootstrap(), Broker.NODE_ID, () ->
            {
                // Appended below the wire, since the server checks every transactional produce
                // with its coordinator: what a coordinator's lost state would leave behind.
                final long producerId = server.server().logs().allocateProducerId();
                server.server().logs().partition(new TopicPartition("tool", 1)).append(MemoryRecords.withTransactionalRecords(Compression.NONE,
                    producerId, (short)0, 0, new SimpleRecord(System.currentTimeMillis() - 60_000, null, "hanging".getBytes(UTF_8))).buffer());
                return producerId;
            });
        }
    }
}
