package io.tidemark.runtime.broker.api;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.tidemark.log.TopicPartition;
import io.tidemark.log.group.OffsetAndMetadata;
import io.tidemark.runtime.broker.ApiHandler;
import io.tidemark.runtime.broker.Broker;
import io.tidemark.runtime.broker.KafkaErrors;
import io.tidemark.runtime.broker.Request;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * OffsetCommit: the coordinator checks the committer's membership and generation once for the
 * request; a partition that does not exist is refused alone, with its own error, and the rest
 * are committed. Committing appends to {@code __consumer_offsets}, so it runs on the I/O threads.
 */
final class OffsetCommitHandler implements ApiHandler
{
    private final Broker broker;

    OffsetCommitHandler(final Broker broker)
    {
        this.broker = broker;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(final Request request)
    {
        final OffsetCommitRequestData data = (OffsetCommitRequestData)request.data();
        return broker.blocking(() ->
        {
            final Map<TopicPartition, Errors> errors = new HashMap<>();
            final Map<TopicPartition, OffsetAndMetadata> committable = new HashMap<>();
            for (final OffsetCommitRequestData.OffsetCommitRequestTopic topic : data.topics())
            {
                for (final OffsetCommitRequestData.OffsetCommitRequestPartition partition : topic.partitions())
                {
                    final TopicPartition tp = new TopicPartition(topic.name(), partition.partitionIndex());
                    errors.put(tp, check(broker, tp, () -> committable.put(tp, new OffsetAndMetadata(partition.committedOffset(),
                        partition.committedLeaderEpoch(), partition.committedMetadata()))));
                }
            }
            try
            {
                broker.groups().commitOffsets(data.groupId(), data.generationIdOrMemberEpoch(), data.memberId(), data.groupInstanceId(),
                    committable);
            }
            catch (final RuntimeException e)
            {
                final Errors error = KafkaErrors.forException(e);
                committable.keySet().forEach(tp -> errors.put(tp, error));
            }
            final OffsetCommitResponseData response = new OffsetCommitResponseData();
            for (final OffsetCommitRequestData.OffsetCommitRequestTopic topic : data.topics())
            {
                final List<OffsetCommitResponseData.OffsetCommitResponsePartition> partitions = new ArrayList<>();
                for (final OffsetCommitRequestData.OffsetCommitRequestPartition partition : topic.partitions())
                {
                    partitions.add(new OffsetCommitResponseData.OffsetCommitResponsePartition().setPartitionIndex(partition.partitionIndex())
                        .setErrorCode(errors.get(new TopicPartition(topic.name(), partition.partitionIndex())).code()));
                }
                response.topics().add(new OffsetCommitResponseData.OffsetCommitResponseTopic().setName(topic.name()).setPartitions(partitions));
            }
            return response;
        });
    }

    /**
     * One partition of an offset commit, before the group coordinator sees it.
     *
     * @param broker the broker, for its topics.
     * @param partition the partition committed.
     * @param accept takes the partition's offset into the commit if it exists and is valid.
     * @return {@link Errors#NONE} if accepted, else the partition's error.
     */
    static Errors check(final Broker broker, final TopicPartition partition, final Runnable accept)
    {
        try
        {
            broker.logs().partition(partition);
            accept.run();
            return Errors.NONE;
        }
        catch (final RuntimeException e)
        {
            // A negative offset is refused by OffsetAndMetadata.
            return e instanceof IllegalArgumentException ? Errors.INVALID_COMMIT_OFFSET_SIZE : KafkaErrors.forException(e);
        }
    }
}
