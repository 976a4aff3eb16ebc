package io.tidemark.runtime.broker.api;

import java.util.concurrent.CompletableFuture;

import io.tidemark.log.LogConfig;
import io.tidemark.log.PartitionLog;
import io.tidemark.log.TopicPartition;
import io.tidemark.log.errors.LogException;
import io.tidemark.runtime.broker.ApiHandler;
import io.tidemark.runtime.broker.Broker;
import io.tidemark.runtime.broker.KafkaErrors;
import io.tidemark.runtime.broker.Request;
import org.apache.kafka.common.message.DeleteRecordsRequestData;
import org.apache.kafka.common.message.DeleteRecordsRequestData.DeleteRecordsPartition;
import org.apache.kafka.common.message.DeleteRecordsRequestData.DeleteRecordsTopic;
import org.apache.kafka.common.message.DeleteRecordsResponseData;
import org.apache.kafka.common.message.DeleteRecordsResponseData.DeleteRecordsPartitionResult;
import org.apache.kafka.common.message.DeleteRecordsResponseData.DeleteRecordsTopicResult;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DeleteRecordsRequest;

/**
 * DeleteRecords ({@code kafka-delete-records}, Admin {@code deleteRecords}): moves each
 * partition's log start offset forward to the offset given ({@link PartitionLog#deleteRecordsBefore}),
 * -1 meaning the high watermark (the log end offset: one replica), and answers the new start as
 * the low watermark. An offset above the high watermark is {@code OFFSET_OUT_OF_RANGE}; the
 * coordinators' own topics are refused with {@code INVALID_TOPIC_EXCEPTION}, as Kafka refuses
 * internal topics, and so is a topic whose {@code cleanup.policy} compacts without deleting, with
 * {@code POLICY_VIOLATION} as in Kafka: moving the start of a table would lose keys. The new start is forced to disk before the answer, so this runs on the I/O
 * threads.
 */
final class DeleteRecordsHandler implements ApiHandler
{
    private final Broker broker;

    DeleteRecordsHandler(final Broker broker)
    {
        this.broker = broker;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(final Request request)
    {
        final DeleteRecordsRequestData data = (DeleteRecordsRequestData)request.data();
        return broker.blocking(() ->
        {
            final DeleteRecordsResponseData response = new DeleteRecordsResponseData();
            for (final DeleteRecordsTopic topic : data.topics())
            {
                final DeleteRecordsTopicResult topicResult = new DeleteRecordsTopicResult().setName(topic.name());
                for (final DeleteRecordsPartition partition : topic.partitions())
                {
                    topicResult.partitions().add(delete(new TopicPartition(topic.name(), partition.partitionIndex()), partition.offset()));
                }
                response.topics().add(topicResult);
            }
            return response;
        });
    }

    private DeleteRecordsPartitionResult delete(final TopicPartition topicPartition, final long offset)
    {
        final DeleteRecordsPartitionResult result = new DeleteRecordsPartitionResult().setPartitionIndex(topicPartition.partition())
            .setLowWatermark(-1);
        if (Broker.internalTopic(topicPartition.topic()))
        {
            return result.setErrorCode(Errors.INVALID_TOPIC_EXCEPTION.code());
        }
        try
        {
            final PartitionLog log = broker.logs().partition(topicPartition);
            final LogConfig config = broker.logs().topicConfig(topicPartition.topic());
            if (config.compact() && !config.delete())
            {
                return result.setErrorCode(Errors.POLICY_VIOLATION.code());
            }
            final long before = offset == DeleteRecordsRequest.HIGH_WATERMARK ? log.logEndOffset() : offset;
            return result.setLowWatermark(log.deleteRecordsBefore(before));
        }
        catch (final LogException e)
        {
            return result.setErrorCode(KafkaErrors.forException(e).code());
        }
    }
}
