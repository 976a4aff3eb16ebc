package io.tidemark.runtime.broker.api;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.tidemark.log.group.GroupDescription;
import io.tidemark.runtime.broker.ApiHandler;
import io.tidemark.runtime.broker.Broker;
import io.tidemark.runtime.broker.KafkaErrors;
import io.tidemark.runtime.broker.Request;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.protocol.ApiMessage;

/**
 * DescribeGroups: each group's state, chosen assignor and members with their client ids,
 * hosts, instance ids (version 4 and later), subscriptions and assignments, and (version 3
 * and later, when asked) the group's authorized operations; an unknown group is described as
 * Dead, as Kafka does.
 */
final class DescribeGroupsHandler implements ApiHandler
{
    /** The first version whose members carry their {@code group.instance.id}. */
    private static final short INSTANCE_IDS_SINCE = 4;

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
            final DescribeGroupsResponseData.DescribedGroup described = new DescribeGroupsResponseData.DescribedGroup().setGroupId(groupId);
            try
            {
                final GroupDescription group = broker.groups().describeGroup(groupId);
                final List<DescribeGroupsResponseData.DescribedGroupMember> members = new ArrayList<>();
                for (final GroupDescription.Member member : group.members())
                {
                    members.add(new DescribeGroupsResponseData.DescribedGroupMember().setMemberId(member.memberId())
                        .setClientId(member.clientId()).setClientHost(member.clientHost()).setMemberMetadata(member.metadata())
                        .setMemberAssignment(member.assignment())
                        .setGroupInstanceId(request.version() >= INSTANCE_IDS_SINCE ? member.groupInstanceId() : null));
                }
                described.setGroupState(group.state().kafkaName()).setProtocolType(group.protocolType())
                    .setProtocolData(group.protocolName()).setMembers(members)
                    .setAuthorizedOperations(AuthorizedOperations.reported(data.includeAuthorizedOperations(), AuthorizedOperations.GROUP));
            }
            catch (final RuntimeException e)
            {
                described.setErrorCode(KafkaErrors.forException(e).code());
            }
            response.groups().add(described);
        }
        return CompletableFuture.completedFuture(response);
    }
}
