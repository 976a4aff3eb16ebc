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
 * ListOffsets: the earliest offset (-2: the log start offset, which retention and DeleteRecords
 * move), the latest (-1: the log end offset, or for a read-committed client, isolation level 1,
 * the last stable offset), or the first offset whose record's timestamp is at or after a time
 * ({@code offsetsForTimes}; offset -1 when there is none, or for a read-committed client when it
 * is not below the last stable offset, as in Kafka). Later versions add special timestamps, each
 * answered from the version that introduced it and {@code UNSUPPORTED_VERSION} before, as is any
 * other negative timestamp: the record with the largest timestamp (-3, version 7, by the same
 * visibility rule), the earliest local offset (-4, version 8: the log start offset, since no
 * segment is tiered), and the tiered-storage offsets (-5 latest tiered, version 9; -6 earliest
 * pending upload, version 11), which a broker without tiered storage answers as unknown, offset
 * and timestamp -1. Version 10 adds a timeout for reads from remote storage, which there are not.
 * From version 4, the first with the field, every offset found is answered with leader epoch
 * 0, the only one this broker has and the one every batch is stamped with, as Kafka answers
 * the epoch of the offset; a consumer then validates its position with OffsetForLeaderEpoch.
 * An offset not found keeps epoch -1. Before version 4 the field does not exist and must stay
 * at its default, or the response would not serialize.
 */
final class ListOffsetsHandler implements ApiHandler
{
    private final Broker broker;

    ListOffsetsHandler(final Broker broker)
    {
        this.broker = broker;
    }

    /** The first version whose response carries the leader epoch. */
    private static final short LEADER_EPOCH_VERSION = 4;

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
                final ListOffsetsPartitionResponse found = lookUp(new TopicPartition(topic.name(), partition.partitionIndex()),
                    partition.timestamp(), committed, request.version());
                if (found.offset() >= 0 && request.version() >= LEADER_EPOCH_VERSION)
                {
                    found.setLeaderEpoch(Broker.LEADER_EPOCH);
                }
                topicResponse.partitions().add(found);
            }
            response.topics().add(topicResponse);
        }
        return CompletableFuture.completedFuture(response);
    }

    private ListOffsetsPartitionResponse lookUp(final TopicPartition topicPartition, final long timestamp, final boolean committed,
        final short version)
    {
        final ListOffsetsPartitionResponse response = new ListOffsetsPartitionResponse()
            .setPartitionIndex(topicPartition.partition())
            .setTimestamp(-1)
            .setOffset(-1);
        if (timestamp < 0 && version < firstVersionOf(timestamp))
        {
            return response.setErrorCode(Errors.UNSUPPORTED_VERSION.code());
        }
        try
        {
            final PartitionLog log = broker.logs().partition(topicPartition);
            if (timestamp == ListOffsetsRequest.EARLIEST_TIMESTAMP || timestamp == ListOffsetsRequest.EARLIEST_LOCAL_TIMESTAMP)
            {
                return response.setOffset(log.logStartOffset());
            }
            if (timestamp == ListOffsetsRequest.LATEST_TIERED_TIMESTAMP || timestamp == ListOffsetsRequest.EARLIEST_PENDING_UPLOAD_TIMESTAMP)
            {
                return response;
            }
            final long visibleEnd = committed ? log.lastStableOffset() : log.logEndOffset();
            if (timestamp == ListOffsetsRequest.LATEST_TIMESTAMP)
            {
                return response.setOffset(visibleEnd);
            }
            final TimestampOffset found = timestamp == ListOffsetsRequest.MAX_TIMESTAMP ? log.maxTimestamp() : log.offsetForTimestamp(timestamp);
            return found == null || found.offset() >= visibleEnd ? response :
                response.setTimestamp(found.timestamp()).setOffset(found.offset());
        }
        catch (final LogException e)
        {
            return response.setErrorCode(KafkaErrors.forException(e).code());
        }
    }

    /**
     * @param timestamp a negative timestamp.
     * @return the first version that knows it; above every version for one no version knows.
     */
    private static int firstVersionOf(final long timestamp)
    {
        if (timestamp == ListOffsetsRequest.LATEST_TIMESTAMP || timestamp == ListOffsetsRequest.EARLIEST_TIMESTAMP)
        {
            return 0;
        }
        if (timestamp == ListOffsetsRequest.MAX_TIMESTAMP)
        {
            return 7;
        }
        if (timestamp == ListOffsetsRequest.EARLIEST_LOCAL_TIMESTAMP)
        {
            return 8;
        }
        if (timestamp == ListOffsetsRequest.LATEST_TIERED_TIMESTAMP)
        {
            return 9;
        }
        return timestamp == ListOffsetsRequest.EARLIEST_PENDING_UPLOAD_TIMESTAMP ? 11 : Integer.MAX_VALUE;
    }
}
