package io.tidemark.runtime;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tidemark.runtime.broker.WireClient;

/**
 * The oracle of {@code TransactionsCommandTest}: the same {@code kafka-transactions} scenario
 * against Apache Kafka 4.3.1.
 */
class KafkaTransactionsCommandTest
{
    /** {@link KafkaBrokerProcess}'s node id. */
    private static final int NODE_ID = 1;

    @TempDir
    Path dir;

    @Test
    void kafkasToolListsDescribesFindsAndAbortsAHangingTransaction() throws Exception
    {
        // Without the partition verification Kafka takes a transactional batch for a partition
        // no transaction added, which is how transactions came to hang before it.
        try (KafkaBrokerProcess kafka = new KafkaBrokerProcess(dir, Map.of("transaction.partition.verification.enable", "false")))
        {
            kafka.start();
            final int port = Integer.parseInt(kafka.bootstrap().substring(kafka.bootstrap().lastIndexOf(':') + 1));
            TransactionsTool.listDescribeFindAndAbort(kafka.bootstrap(), NODE_ID, () ->
            {
                try (WireClient client = new WireClient(port))
                {
                    final InitProducerIdResponseData init = (InitProducerIdResponseData)client.send(new InitProducerIdRequestData()
                        .setTransactionalId(null).setTransactionTimeoutMs(60_000).setProducerId(-1).setProducerEpoch((short)-1), (short)4);
                    assertEquals(Errors.NONE.code(), init.errorCode(), init.toString());
                    final ProduceRequestData request = new ProduceRequestData().setAcks((short)-1).setTimeoutMs(10_000).setTransactionalId("no-such-id");
                    final ProduceRequestData.TopicProduceData topic = new ProduceRequestData.TopicProduceData().setName("tool");
                    topic.partitionData().add(new ProduceRequestData.PartitionProduceData().setIndex(1).setRecords(MemoryRecords.withTransactionalRecords(
                        Compression.NONE, init.producerId(), init.producerEpoch(), 0,
                        new SimpleRecord(System.currentTimeMillis() - 60_000, null, "hanging".getBytes(UTF_8)))));
                    request.topicData().add(topic);
                    final ProduceResponseData response = (ProduceResponseData)client.send(request, (short)9);
                    assertEquals(List.of(Errors.NONE.code()), response.responses().stream()
                        .flatMap(t -> t.partitionResponses().stream()).map(p -> p.errorCode()).toList(), response.toString());
                    return init.producerId();
                }
            });
        }
    }
}
