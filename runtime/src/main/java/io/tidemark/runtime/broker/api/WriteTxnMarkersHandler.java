package io.tidemark.runtime.broker.api;

import java.util.concurrent.CompletableFuture;

import io.tidemark.log.TopicPartition;
import io.tidemark.log.TransactionMarker;
import io.tidemark.log.TransactionResult;
import io.tidemark.log.record.ControlRecord;
import io.tidemark.runtime.broker.ApiHandler;
import io.tidemark.runtime.broker.Broker;
import io.tidemark.runtime.broker.KafkaErrors;
import io.tidemark.runtime.broker.Request;
import org.apache.kafka.common.message.WriteTxnMarkersRequestData;
import org.apache.kafka.common.message.WriteTxnMarkersRequestData.WritableTxnMarker;
import org.apache.kafka.common.message.WriteTxnMarkersRequestData.WritableTxnMarkerTopic;
import org.apache.kafka.common.message.WriteTxnMarkersResponseData;
import org.apache.kafka.common.message.WriteTxnMarkersResponseData.WritableTxnMarkerPartitionResult;
import org.apache.kafka.common.message.WriteTxnMarkersResponseData.WritableTxnMarkerResult;
import org.apache.kafka.common.message.WriteTxnMarkersResponseData.WritableTxnMarkerTopicResult;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * WriteTxnMarkers, version 1. In Kafka the coordinator sends it to the partitions' leaders;
 * here the coordinator writes its markers itself, and the sender is Admin's
 * {@code abortTransaction} ({@code kafka-transactions abort}), which ends a hanging transaction
 * in one partition: each marker is written with {@link io.tidemark.log.PartitionLog#appendMarker},
 * and a partition that refuses (an older epoch than the producer's, a partition that does not
 * exist) carries its error alone. Markers for the internal topics are refused with
 * {@code INVALID_TOPIC_EXCEPTION}: their coordinators write those, and must see them.
 */
final class WriteTxnMarkersHandler implements ApiHandler
{
    private final Broker broker;

    WriteTxnMarkersHandler(final Broker broker)
    {
        this.broker = broker;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(final Request request)
    {
        final WriteTxnMarkersRequestData data = (WriteTxnMarkersRequestData)request.data();
        return broker.blocking(() ->
        {
            final WriteTxnMarkersResponseData response = new WriteTxnMarkersResponseData();
            for (final WritableTxnMarker marker : data.markers())
            {
                final WritableTxnMarkerResult result = new WritableTxnMarkerResult().setProducerId(marker.producerId());
                final TransactionMarker written = new TransactionMarker(marker.producerId(), marker.producerEpoch(), marker.coordinatorEpoch(),
                    marker.transactionResult() ? TransactionResult.COMMIT : TransactionResult.ABORT);
                for (final WritableTxnMarkerTopic topic : marker.topics())
                {
                    final WritableTxnMarkerTopicResult topicResult = new WritableTxnMarkerTopicResult().setName(topic.name());
                    for (final int index : topic.partitionIndexes())
                    {
                        topicResult.partitions().add(new WritableTxnMarkerPartitionResult().setPartitionIndex(index)
                            .setErrorCode(write(new TopicPartition(topic.name(), index), written).code()));
                    }
                    result.topics().add(topicResult);
                }
                response.markers().add(result);
            }
            return response;
        });
    }

    private Errors write(final TopicPartition partition, final TransactionMarker marker)
    {
        if (Broker.internalTopic(partition.topic()))
        {
            return Errors.INVALID_TOPIC_EXCEPTION;
        }
        try
        {
            broker.logs().partition(partition).appendMarker(marker);
            // Read-committed waiters read again at any marker; the others count its bytes.
            broker.watchers().appended(partition, ControlRecord.MARKER_BATCH_SIZE);
            return Errors.NONE;
        }
        catch (final RuntimeException e)
        {
            return KafkaErrors.forException(e);
        }
    }
}
