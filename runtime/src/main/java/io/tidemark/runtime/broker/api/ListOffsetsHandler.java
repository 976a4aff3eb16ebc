package io.tidemark.runtime.broker.api;

import java.util.concurrent.CompletableFuture;

import io.tidemark.log.PartitionLog;
import io.tidemark.log.TimestampOffset;
import io.tidemark.log.TopicPartition;
import io.tidemark.log.errors.LogException;
import io.tidemark.runtime.broker.ApiHandler;
import io.tidemark.runtime.broker.Broker;
import io.tidemark.runtime.broker.KafkaErrors;
import io.tidemark.runtime.broker.Request;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsRequestData.ListOffsetsPartition;
import org.apache.kafka.common.message.ListOffsetsRequestData.ListOffsetsTopic;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.message.ListOffsetsResponseData.ListOffsetsPartitionResponse;
import org.apache.kafka.common.message.ListOffsetsResponseData.ListOffsetsTopicResponse;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ListOffsetsRequest;

/**
 * ListOffsets: the earliest offset (-2), the latest (-1: the log end offset, or for a
 * read-committed client, isolation level 1, the last stable offset), or the first offset whose
 * record's timestamp is at or after a time ({@code offsetsForTimes}; offset -1 when there is
 * none, or for a read-committed client when it is not below the last stable offset, as in Kafka).
 * Versions from 7 on add special timestamps (max timestamp, local and tiered offsets) that
 * are not advertised. The leader epoch is left unknown (-1): it exists only from version 4,
 * and clients then skip epoch validation, which a single unchanging leader does not need.
 */
final class ListOffsetsHandler implements ApiHandler
{
    private final Broker broker;

    ListOffsetsHandler(final Broker broker)
    {
        this.broker = broker;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(final Request request)
    {
        final ListOffsetsRequestData data = (ListOffsetsRequestData)request.data();
        final ListOffsetsResponseData response = new ListOffsetsResponseData();
        final boolean committed = data.isolationLevel() == IsolationLevel.READ_COMMITTED.id();
        for (final ListOffsetsTopic topic : data.topics())
        {
            final ListOffsetsTopicResponse topicResponse = new ListOffsetsTopicResponse().setName(topic.name());
            for (final ListOffsetsPartition partition : topic.partitions())
            {
                topicResponse.partitions().add(lookUp(new TopicPartition(topic.name(), partition.partitionIndex()), partition.timestamp(),
                    committed));
            }
            response.topics().add(topicResponse);
        }
        return CompletableFuture.completedFuture(response);
    }

    private ListOffsetsPartitionResponse lookUp(final TopicPartition topicPartition, final long timestamp, final boolean committed)
    {
        final ListOffsetsPartitionResponse response = new ListOffsetsPartitionResponse()
            .setPartitionIndex(topicPartition.partition())
            .setTimestamp(-1)
            .setOffset(-1);
        try
        {
            final PartitionLog log = broker.logs().partition(topicPartition);
            if (timestamp == ListOffsetsRequest.EARLIEST_TIMESTAMP)
            {
                return response.setOffset(log.logStartOffset());
            }
            final long visibleEnd = committed ? log.lastStableOffset() : log.logEndOffset();
            if (timestamp == ListOffsetsRequest.LATEST_TIMESTAMP)
            {
                return response.setOffset(visibleEnd);
            }
            if (timestamp < 0)
            {
                return response.setErrorCode(Errors.INVALID_REQUEST.code());
            }
            final TimestampOffset found = log.offsetForTimestamp(timestamp);
            return found == null || found.offset() >= visibleEnd ? response :
                response.setTimestamp(found.timestamp()).setOffset(found.offset());
        }
        catch (final LogException e)
        {
            return response.setErrorCode(KafkaErrors.forException(e).code());
        }
    }
}
