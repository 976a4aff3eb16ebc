package io.tidemark.runtime.broker.api;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

import io.tidemark.log.TopicPartition;
import io.tidemark.log.group.GroupHeartbeat;
import io.tidemark.log.group.GroupHeartbeatResult;
import io.tidemark.log.topic.LogManager;
import io.tidemark.runtime.broker.ApiHandler;
import io.tidemark.runtime.broker.Broker;
import io.tidemark.runtime.broker.KafkaErrors;
import io.tidemark.runtime.broker.Request;
import io.tidemark.runtime.broker.TopicIds;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * ConsumerGroupHeartbeat (KIP-848): joins, heartbeats and leaves of the consumer group
 * protocol, answered by the log's {@code GroupCoordinator}. The request's shape is checked
 * here as Kafka checks it ({@code INVALID_REQUEST}): a join needs a subscription and a
 * rebalance timeout and owns nothing; from version 1 the member brings its own id. Partitions
 * are named by topic id on the wire ({@link TopicIds}); owned partitions of a topic no longer
 * known are dropped.
 */
final class ConsumerGroupHeartbeatHandler implements ApiHandler
{
    /** The first version whose members choose their own ids. */
    private static final short CLIENT_MEMBER_IDS_SINCE = 1;

    private final Broker broker;

    ConsumerGroupHeartbeatHandler(final Broker broker)
    {
        this.broker = broker;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(final Request request)
    {
        final ConsumerGroupHeartbeatRequestData data = (ConsumerGroupHeartbeatRequestData)request.data();
        try
        {
            validate(data, request.version());
            final GroupHeartbeatResult result = broker.groups().consumerGroupHeartbeat(new GroupHeartbeat(data.groupId(), data.memberId(),
                data.memberEpoch(), data.instanceId(), data.rackId(), data.rebalanceTimeoutMs(), data.subscribedTopicNames(),
                data.subscribedTopicRegex(), data.serverAssignor(), owned(data, broker.logs()), request.header().clientId(), request.clientHost()));
            final ConsumerGroupHeartbeatResponseData response = new ConsumerGroupHeartbeatResponseData().setMemberId(result.memberId())
                .setMemberEpoch(result.memberEpoch()).setHeartbeatIntervalMs(result.heartbeatIntervalMs());
            if (result.assignment() != null)
            {
                response.setAssignment(new ConsumerGroupHeartbeatResponseData.Assignment().setTopicPartitions(byTopic(broker.logs(), result.assignment())));
            }
            return CompletableFuture.completedFuture(response);
        }
        catch (final RuntimeException e)
        {
            // Built here rather than by kafka-clients' error response, which leaves the reason out.
            final ApiException error = e instanceof ApiException api ? api : KafkaErrors.toApiException(e);
            return CompletableFuture.completedFuture(new ConsumerGroupHeartbeatResponseData().setErrorCode(Errors.forException(error).code())
                .setErrorMessage(error.getMessage()));
        }
    }

    private static void validate(final ConsumerGroupHeartbeatRequestData data, final short version)
    {
        if (data.groupId() == null || data.groupId().isEmpty())
        {
            throw new InvalidRequestException("GroupId can't be empty.");
        }
        if (data.instanceId() != null && data.instanceId().isEmpty())
        {
            throw new InvalidRequestException("InstanceId can't be empty.");
        }
        if (data.memberEpoch() == GroupHeartbeat.JOIN_EPOCH)
        {
            if (version >= CLIENT_MEMBER_IDS_SINCE && data.memberId().isEmpty())
            {
                throw new InvalidRequestException("MemberId can't be empty.");
            }
            if (data.rebalanceTimeoutMs() == -1)
            {
                throw new InvalidRequestException("RebalanceTimeoutMs must be provided in first request.");
            }
            if (data.topicPartitions() == null || !data.topicPartitions().isEmpty())
            {
                throw new InvalidRequestException("TopicPartitions must be empty when (re-)joining.");
            }
            if (data.subscribedTopicNames() == null && data.subscribedTopicRegex() == null)
            {
                throw new InvalidRequestException("Either SubscribedTopicNames or SubscribedTopicRegex must be non-null when (re-)joining.");
            }
        }
        else if (data.memberId().isEmpty())
        {
            throw new InvalidRequestException("MemberId can't be empty.");
        }
        else if (data.memberEpoch() < GroupHeartbeat.STATIC_LEAVE_EPOCH)
        {
            throw new InvalidRequestException("MemberEpoch is invalid.");
        }
    }

    private static Set<TopicPartition> owned(final ConsumerGroupHeartbeatRequestData data, final LogManager logs)
    {
        if (data.topicPartitions() == null)
        {
            return null;
        }
        final Set<TopicPartition> owned = new HashSet<>();
        for (final ConsumerGroupHeartbeatRequestData.TopicPartitions topic : data.topicPartitions())
        {
            final String name = TopicIds.name(logs, topic.topicId());
            if (name != null)
            {
                topic.partitions().forEach(p -> owned.add(new TopicPartition(name, p)));
            }
        }
        return owned;
    }

    private static List<ConsumerGroupHeartbeatResponseData.TopicPartitions> byTopic(final LogManager logs, final Set<TopicPartition> partitions)
    {
        final List<ConsumerGroupHeartbeatResponseData.TopicPartitions> topics = new ArrayList<>();
        numbersByTopic(partitions).forEach((topic, numbers) -> topics.add(new ConsumerGroupHeartbeatResponseData.TopicPartitions()
            .setTopicId(TopicIds.of(logs, topic)).setPartitions(numbers)));
        return topics;
    }

    /**
     * @param partitions some partitions.
     * @return their numbers by topic, sorted: the shape assignments take on the wire.
     */
    static Map<String, List<Integer>> numbersByTopic(final Set<TopicPartition> partitions)
    {
        final Map<String, List<Integer>> byTopic = new TreeMap<>();
        partitions.forEach(p -> byTopic.computeIfAbsent(p.topic(), t -> new ArrayList<>()).add(p.partition()));
        byTopic.values().forEach(numbers -> numbers.sort(null));
        return byTopic;
    }
}
