package io.tidemark.runtime.broker.api;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.tidemark.log.group.GroupDescription;
import io.tidemark.log.group.GroupState;
import io.tidemark.runtime.broker.ApiHandler;
import io.tidemark.runtime.broker.Broker;
import io.tidemark.runtime.broker.KafkaErrors;
import io.tidemark.runtime.broker.Request;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * DescribeGroups: each group's state, chosen assignor and members with their client ids,
 * hosts, instance ids (version 4 and later), subscriptions and assignments, and (version 3
 * and later, when asked) the group's authorized operations. An unknown group is described as
 * Dead before version 6 and refused with {@code GROUP_ID_NOT_FOUND} from 6 on, and errors carry
 * their reason from 6 on, as in Kafka. A group of the consumer protocol is answered as an unknown
 * one, as Kafka does: it is not a classic group.
 */
final class DescribeGroupsHandler implements ApiHandler
{
    /** The first version whose members carry their {@code group.instance.id}. */
    private static final short INSTANCE_IDS_SINCE = 4;
    /** The first version that refuses an unknown group and has a field for an error's reason. */
    private static final short NOT_FOUND_SINCE = 6;

    private final Broker broker;

    DescribeGroupsHandler(final Broker broker)
    {
        this.broker = broker;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(final Request request)
    {
        final DescribeGroupsRequestData data = (DescribeGroupsRequestData)request.data();
        final DescribeGroupsResponseData response = new DescribeGroupsResponseData();
        for (final String groupId : data.groups())
        {
            response.groups().add(describe(groupId, request.version(), data.includeAuthorizedOperations()));
        }
        return CompletableFuture.completedFuture(response);
    }

    private DescribeGroupsResponseData.DescribedGroup describe(final String groupId, final short version, final boolean withOperations)
    {
        final DescribeGroupsResponseData.DescribedGroup described = new DescribeGroupsResponseData.DescribedGroup().setGroupId(groupId);
        final GroupDescription group;
        try
        {
            group = broker.groups().describeGroup(groupId);
        }
        catch (final RuntimeException e)
        {
            return described.setErrorCode(KafkaErrors.forException(e).code()).setErrorMessage(version >= NOT_FOUND_SINCE ? e.getMessage() : null);
        }
        if (broker.groups().describeConsumerGroup(groupId) != null)
        {
            // As Kafka answers: a group of the consumer protocol is not a classic group (ConsumerGroupDescribe describes it).
            described.setGroupState(GroupState.DEAD.kafkaName());
            return version >= NOT_FOUND_SINCE ? described.setErrorCode(Errors.GROUP_ID_NOT_FOUND.code())
                .setErrorMessage("Group " + groupId + " is not a classic group.") : described;
        }
        if (group.state() == GroupState.DEAD && version >= NOT_FOUND_SINCE)
        {
            return described.setErrorCode(Errors.GROUP_ID_NOT_FOUND.code())
                .setErrorMessage("group " + groupId + " is not known: it has no members and no committed offsets");
        }
        final List<DescribeGroupsResponseData.DescribedGroupMember> members = new ArrayList<>();
        for (final GroupDescription.Member member : group.members())
        {
            members.add(new DescribeGroupsResponseData.DescribedGroupMember().setMemberId(member.memberId())
                .setClientId(member.clientId()).setClientHost(member.clientHost()).setMemberMetadata(member.metadata())
                .setMemberAssignment(member.assignment())
                .setGroupInstanceId(version >= INSTANCE_IDS_SINCE ? member.groupInstanceId() : null));
        }
        return described.setGroupState(group.state().kafkaName()).setProtocolType(group.protocolType())
            .setProtocolData(group.protocolName()).setMembers(members)
            .setAuthorizedOperations(AuthorizedOperations.reported(withOperations, AuthorizedOperations.GROUP));
    }
}
