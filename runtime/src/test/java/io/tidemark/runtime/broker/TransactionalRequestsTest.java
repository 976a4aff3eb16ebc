package io.tidemark.runtime.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.tidemark.log.PartitionLog;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData;
import org.apache.kafka.common.message.DescribeTransactionsRequestData;
import org.apache.kafka.common.message.DescribeTransactionsResponseData;
import org.apache.kafka.common.message.EndTxnRequestData;
import org.apache.kafka.common.message.EndTxnResponseData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.message.ListTransactionsRequestData;
import org.apache.kafka.common.message.ListTransactionsResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.message.WriteTxnMarkersRequestData;
import org.apache.kafka.common.message.WriteTxnMarkersResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The transactional APIs' answers to bad and unknown input over the wire, each the error code
 * Kafka gives, and nothing written where the request was refused.
 */
class TransactionalRequestsTest
{
    @TempDir
    Path dataDir;

    private static InitProducerIdResponseData init(final WireClient client, final String transactionalId, final int timeoutMs, final int version)
        throws Exception
    {
        return (InitProducerIdResponseData)client.send(new InitProducerIdRequestData().setTransactionalId(transactionalId)
            .setTransactionTimeoutMs(timeoutMs).setProducerId(-1).setProducerEpoch((short)-1), (short)version);
    }

    private static ProduceRequestData transactionalProduce(final String transactionalId, final long producerId, final short epoch)
    {
        final ProduceRequestData request = new ProduceRequestData().setAcks((short)-1).setTimeoutMs(5_000).setTransactionalId(transactionalId);
        final ProduceRequestData.TopicProduceData topic = new ProduceRequestData.TopicProduceData().setName("t");
        topic.partitionData().add(new ProduceRequestData.PartitionProduceData().setIndex(0).setRecords(MemoryRecords.withTransactionalRecords(
            Compression.NONE, producerId, epoch, 0, new SimpleRecord(System.currentTimeMillis(), "k".getBytes(), "v".getBytes()))));
        request.topicData().add(topic);
        return request;
    }

    @Test
    void unknownIdsTopicsAndStaleEpochsGetKafkasErrorsAndWriteNothing() throws Exception
    {
        try (TestServer server = TestServer.start(dataDir, Map.of("transaction.max.timeout.ms", "60000"));
            WireClient client = new WireClient(server.port()))
        {
            server.server().logs().createTopic("t", 1, Map.of());
            final PartitionLog log = server.server().logs().partition(new io.tidemark.log.TopicPartition("t", 0));

            assertEquals(Errors.INVALID_REQUEST.code(), init(client, "", 10_000, 4).errorCode(), "an empty transactional id");
            assertEquals(Errors.INVALID_TRANSACTION_TIMEOUT.code(), init(client, "tx", 120_000, 4).errorCode(), "above transaction.max.timeout.ms");
            final InitProducerIdResponseData first = init(client, "tx", 10_000, 4);
            assertEquals(Errors.NONE.code(), first.errorCode());
            final InitProducerIdResponseData second = init(client, "tx", 10_000, 4);
            assertEquals(first.producerId(), second.producerId(), "one producer id per transactional id");
            assertTrue(second.producerEpoch() > first.producerEpoch(), "a new instance bumps the epoch");

            // A partition that does not exist: none is added, the others are not attempted.
            final AddPartitionsToTxnResponseData add = (AddPartitionsToTxnResponseData)client.send(new AddPartitionsToTxnRequestData()
                .setV3AndBelowTransactionalId("tx").setV3AndBelowProducerId(second.producerId()).setV3AndBelowProducerEpoch(second.producerEpoch())
                .setV3AndBelowTopics(new AddPartitionsToTxnRequestData.AddPartitionsToTxnTopicCollection(List.of(
                    new AddPartitionsToTxnRequestData.AddPartitionsToTxnTopic().setName("t").setPartitions(List.of(0)),
                    new AddPartitionsToTxnRequestData.AddPartitionsToTxnTopic().setName("no-such-topic").setPartitions(List.of(0))).iterator())),
                (short)3);
            assertEquals(Errors.OPERATION_NOT_ATTEMPTED.code(), add.resultsByTopicV3AndBelow().find("t").resultsByPartition().find(0).partitionErrorCode());
            assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION.code(),
                add.resultsByTopicV3AndBelow().find("no-such-topic").resultsByPartition().find(0).partitionErrorCode());

            // A transactional write to a partition outside the transaction, and one without a transactional id.
            final ProduceResponseData outside = (ProduceResponseData)client.send(transactionalProduce("tx", second.producerId(),
                second.producerEpoch()), (short)9);
            assertNotEquals(Errors.NONE.code(), outside.responses().iterator().next().partitionResponses().get(0).errorCode());
            final ProduceResponseData anonymous = (ProduceResponseData)client.send(transactionalProduce(null, second.producerId(),
                second.producerEpoch()), (short)9);
            assertEquals(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.code(), anonymous.responses().iterator().next().partitionResponses().get(0).errorCode());
            assertEquals(0, log.logEndOffset(), "nothing was written");

            // The first instance's epoch is stale: INVALID_PRODUCER_EPOCH before EndTxn 2, PRODUCER_FENCED from 2 on.
            final EndTxnRequestData stale = new EndTxnRequestData().setTransactionalId("tx").setProducerId(first.producerId())
                .setProducerEpoch(first.producerEpoch()).setCommitted(true);
            assertEquals(Errors.INVALID_PRODUCER_EPOCH.code(), ((EndTxnResponseData)client.send(stale, (short)1)).errorCode());
            assertEquals(Errors.PRODUCER_FENCED.code(), ((EndTxnResponseData)client.send(stale, (short)4)).errorCode());
            assertEquals(Errors.INVALID_PRODUCER_ID_MAPPING.code(), ((EndTxnResponseData)client.send(new EndTxnRequestData()
                .setTransactionalId("never-initialised").setProducerId(first.producerId()).setProducerEpoch((short)0).setCommitted(false),
                (short)4)).errorCode());

            final DescribeTransactionsResponseData described = (DescribeTransactionsResponseData)client.send(
                new DescribeTransactionsRequestData().setTransactionalIds(List.of("tx", "never-initialised")), (short)0);
            assertEquals(Errors.NONE.code(), described.transactionStates().get(0).errorCode());
            assertEquals(second.producerEpoch(), described.transactionStates().get(0).producerEpoch());
            assertEquals(Errors.TRANSACTIONAL_ID_NOT_FOUND.code(), described.transactionStates().get(1).errorCode());

            final ListTransactionsResponseData listed = (ListTransactionsResponseData)client.send(new ListTransactionsRequestData()
                .setStateFilters(List.of("NoSuchState")), (short)1);
            assertEquals(List.of("NoSuchState"), listed.unknownStateFilters());
            assertTrue(listed.transactionStates().isEmpty(), "an unknown state matches nothing");
            final ListTransactionsResponseData all = (ListTransactionsResponseData)client.send(new ListTransactionsRequestData(), (short)1);
            assertEquals(List.of("tx"), all.transactionStates().stream().map(ListTransactionsResponseData.TransactionState::transactionalId).toList());

            // Markers are refused for the coordinators' own topics and for partitions that do not exist.
            final WriteTxnMarkersResponseData markers = (WriteTxnMarkersResponseData)client.send(new WriteTxnMarkersRequestData().setMarkers(List.of(
                new WriteTxnMarkersRequestData.WritableTxnMarker().setProducerId(first.producerId()).setProducerEpoch(second.producerEpoch())
                    .setTransactionResult(false).setCoordinatorEpoch(0).setTopics(List.of(
                        new WriteTxnMarkersRequestData.WritableTxnMarkerTopic().setName("__consumer_offsets").setPartitionIndexes(List.of(0)),
                        new WriteTxnMarkersRequestData.WritableTxnMarkerTopic().setName("no-such-topic").setPartitionIndexes(List.of(0)))))), (short)1);
            assertEquals(Errors.INVALID_TOPIC_EXCEPTION.code(), markers.markers().get(0).topics().get(0).partitions().get(0).errorCode());
            assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION.code(), markers.markers().get(0).topics().get(1).partitions().get(0).errorCode());
            assertEquals(0, log.logEndOffset(), "still nothing was written");
        }
    }
}
