package io.tidemark.runtime.broker.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

import io.tidemark.log.TopicPartition;
import io.tidemark.log.group.OffsetAndMetadata;
import io.tidemark.runtime.broker.ApiHandler;
import io.tidemark.runtime.broker.Broker;
import io.tidemark.runtime.broker.KafkaErrors;
import io.tidemark.runtime.broker.Request;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * OffsetFetch: the committed offsets of the partitions asked for (or of all the group has
 * committed, when the topics are null), -1 where there is none. Versions 8 and later ask for
 * several groups at once; from version 7 a consumer may ask for stable offsets only
 * ({@code require_stable}, what read-committed consumers send). From version 9 a member of a
 * consumer-protocol group names itself and its epoch, which are checked
 * ({@code UNKNOWN_MEMBER_ID}, {@code STALE_MEMBER_EPOCH}).
 */
final class OffsetFetchHandler implements ApiHandler
{
    private static final long NO_OFFSET = -1;

    private final Broker broker;

    OffsetFetchHandler(final Broker broker)
    {
        this.broker = broker;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(final Request request)
    {
        final OffsetFetchRequestData data = (OffsetFetchRequestData)request.data();
        final OffsetFetchResponseData response = new OffsetFetchResponseData();
        if (request.version() < 8)
        {
            final List<TopicPartition> asked = new ArrayList<>();
            if (data.topics() != null)
            {
                data.topics().forEach(t -> t.partitionIndexes().forEach(p -> asked.add(new TopicPartition(t.name(), p))));
            }
            try
            {
                fetch(data.groupId(), data.topics() == null ? null : asked, data.requireStable()).forEach((topic, partitions) ->
                {
                    final List<OffsetFetchResponseData.OffsetFetchResponsePartition> converted = new ArrayList<>();
                    partitions.forEach(p -> converted.add(new OffsetFetchResponseData.OffsetFetchResponsePartition()
                        .setPartitionIndex(p.partitionIndex()).setCommittedOffset(p.committedOffset())
                        .setCommittedLeaderEpoch(p.committedLeaderEpoch()).setMetadata(p.metadata()).setErrorCode(p.errorCode())));
                    response.topics().add(new OffsetFetchResponseData.OffsetFetchResponseTopic().setName(topic).setPartitions(converted));
                });
            }
            catch (final RuntimeException e)
            {
                response.setErrorCode(KafkaErrors.forException(e).code());
            }
            return CompletableFuture.completedFuture(response);
        }
        for (final OffsetFetchRequestData.OffsetFetchRequestGroup group : data.groups())
        {
            final OffsetFetchResponseData.OffsetFetchResponseGroup answer = new OffsetFetchResponseData.OffsetFetchResponseGroup()
                .setGroupId(group.groupId());
            final List<TopicPartition> asked = new ArrayList<>();
            if (group.topics() != null)
            {
                group.topics().forEach(t -> t.partitionIndexes().forEach(p -> asked.add(new TopicPartition(t.name(), p))));
            }
            try
            {
                broker.groups().validateOffsetFetch(group.groupId(), group.memberId(), group.memberEpoch());
                fetch(group.groupId(), group.topics() == null ? null : asked, data.requireStable()).forEach((topic, partitions) ->
                    answer.topics().add(new OffsetFetchResponseData.OffsetFetchResponseTopics().setName(topic).setPartitions(partitions)));
            }
            catch (final RuntimeException e)
            {
                answer.setErrorCode(KafkaErrors.forException(e).code());
            }
            response.groups().add(answer);
        }
        return CompletableFuture.completedFuture(response);
    }

    /**
     * The answer per topic, in the shape of version 8 and later; older versions are converted.
     * With {@code requireStable}, a partition whose offsets an open transaction has committed is
     * answered {@code UNSTABLE_OFFSET_COMMIT} (retriable: the consumer asks again) rather than
     * with an offset the transaction may yet replace.
     */
    private Map<String, List<OffsetFetchResponseData.OffsetFetchResponsePartitions>> fetch(final String groupId,
        final List<TopicPartition> asked, final boolean requireStable)
    {
        final Map<TopicPartition, OffsetAndMetadata> committed = broker.groups().fetchOffsets(groupId, asked);
        final Set<TopicPartition> unstable = requireStable ? broker.groups().pendingTransactionalOffsets(groupId) : Set.of();
        final Map<String, List<OffsetFetchResponseData.OffsetFetchResponsePartitions>> byTopic = new TreeMap<>();
        for (final TopicPartition partition : asked != null ? asked : new ArrayList<>(committed.keySet()))
        {
            final OffsetAndMetadata offset = unstable.contains(partition) ? null : committed.get(partition);
            byTopic.computeIfAbsent(partition.topic(), t -> new ArrayList<>()).add(new OffsetFetchResponseData.OffsetFetchResponsePartitions()
                .setPartitionIndex(partition.partition())
                .setCommittedOffset(offset != null ? offset.offset() : NO_OFFSET)
                .setCommittedLeaderEpoch(offset != null ? offset.leaderEpoch() : -1)
                .setMetadata(offset != null ? offset.metadata() : "")
                .setErrorCode(unstable.contains(partition) ? Errors.UNSTABLE_OFFSET_COMMIT.code() : Errors.NONE.code()));
        }
        return byTopic;
    }
}
