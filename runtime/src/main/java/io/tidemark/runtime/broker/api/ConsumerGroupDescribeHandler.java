package io.tidemark.runtime.broker.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import io.tidemark.log.TopicPartition;
import io.tidemark.log.group.ConsumerProtocolDescription;
import io.tidemark.log.topic.LogManager;
import io.tidemark.runtime.broker.ApiHandler;
import io.tidemark.runtime.broker.Broker;
import io.tidemark.runtime.broker.Request;
import io.tidemark.runtime.broker.TopicIds;
import org.apache.kafka.common.message.ConsumerGroupDescribeRequestData;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * ConsumerGroupDescribe (KIP-848): a consumer-protocol group's state, epochs, assignor and
 * members with their subscriptions, current and target assignments. A group that is not one
 * (unknown, or classic) is {@code GROUP_ID_NOT_FOUND}, as in Kafka, which tells Admin to ask
 * DescribeGroups instead.
 */
final class ConsumerGroupDescribeHandler implements ApiHandler
{
    /** Kafka's member type of a member speaking the consumer protocol (version 1 and later). */
    private static final byte CONSUMER_MEMBER = 1;

    private final Broker broker;

    ConsumerGroupDescribeHandler(final Broker broker)
    {
        this.broker = broker;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(final Request request)
    {
        final ConsumerGroupDescribeRequestData data = (ConsumerGroupDescribeRequestData)request.data();
        final ConsumerGroupDescribeResponseData response = new ConsumerGroupDescribeResponseData();
        for (final String groupId : data.groupIds())
        {
            final ConsumerProtocolDescription group = broker.groups().describeConsumerGroup(groupId);
            final ConsumerGroupDescribeResponseData.DescribedGroup described = new ConsumerGroupDescribeResponseData.DescribedGroup()
                .setGroupId(groupId);
            if (group == null)
            {
                response.groups().add(described.setErrorCode(Errors.GROUP_ID_NOT_FOUND.code())
                    .setErrorMessage("Group " + groupId + " not found."));
                continue;
            }
            final List<ConsumerGroupDescribeResponseData.Member> members = new ArrayList<>();
            for (final ConsumerProtocolDescription.Member member : group.members())
            {
                members.add(new ConsumerGroupDescribeResponseData.Member().setMemberId(member.memberId()).setInstanceId(member.instanceId())
                    .setRackId(member.rackId()).setMemberEpoch(member.memberEpoch()).setClientId(member.clientId())
                    .setClientHost(member.clientHost()).setSubscribedTopicNames(member.subscribedTopicNames())
                    .setSubscribedTopicRegex(member.subscribedTopicRegex())
                    .setAssignment(assignment(broker.logs(), member.assignment())).setTargetAssignment(assignment(broker.logs(), member.targetAssignment()))
                    .setMemberType(CONSUMER_MEMBER));
            }
            response.groups().add(described.setGroupState(group.state()).setGroupEpoch(group.groupEpoch())
                .setAssignmentEpoch(group.assignmentEpoch()).setAssignorName(group.assignor()).setMembers(members)
                .setAuthorizedOperations(AuthorizedOperations.reported(data.includeAuthorizedOperations(), AuthorizedOperations.GROUP)));
        }
        return CompletableFuture.completedFuture(response);
    }

    private static ConsumerGroupDescribeResponseData.Assignment assignment(final LogManager logs, final Set<TopicPartition> partitions)
    {
        final List<ConsumerGroupDescribeResponseData.TopicPartitions> topics = new ArrayList<>();
        ConsumerGroupHeartbeatHandler.numbersByTopic(partitions).forEach((topic, numbers) -> topics.add(new ConsumerGroupDescribeResponseData.TopicPartitions().setTopicId(TopicIds.of(logs, topic))
            .setTopicName(topic).setPartitions(numbers)));
        return new ConsumerGroupDescribeResponseData.Assignment().setTopicPartitions(topics);
    }
}
