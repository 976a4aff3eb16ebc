package io.tidemark.runtime.broker.api;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.tidemark.log.group.JoinGroupRequest;
import io.tidemark.log.group.JoinGroupResult;
import io.tidemark.runtime.broker.ApiHandler;
import io.tidemark.runtime.broker.Broker;
import io.tidemark.runtime.broker.KafkaErrors;
import io.tidemark.runtime.broker.Request;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.protocol.ApiMessage;

/**
 * JoinGroup: hands the join to the group coordinator and answers when the join phase of the
 * rebalance completes, which may be much later (every member must rejoin); the connection
 * answers its later requests after this one, as Kafka's does. A new member gets its id in
 * the answer directly (Kafka's optional MEMBER_ID_REQUIRED round trip is skipped: clients
 * accept either). A static member ({@code group.instance.id}) that joins without a member id
 * takes over the member of its instance id; from version 9 a returning static leader of a
 * stable group is told to skip the assignment ({@code SkipAssignment}), before it is told the
 * previous leader id, as Kafka answers.
 */
final class JoinGroupHandler implements ApiHandler
{
    private final Broker broker;

    JoinGroupHandler(final Broker broker)
    {
        this.broker = broker;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(final Request request)
    {
        final JoinGroupRequestData data = (JoinGroupRequestData)request.data();
        final List<JoinGroupRequest.Protocol> protocols = new ArrayList<>();
        data.protocols().forEach(p -> protocols.add(new JoinGroupRequest.Protocol(p.name(), p.metadata())));
        final int rebalanceTimeout = request.version() >= 1 ? data.rebalanceTimeoutMs() : data.sessionTimeoutMs();
        try
        {
            return broker.groups().joinGroup(new JoinGroupRequest(data.groupId(), data.memberId(), request.header().clientId(),
                data.protocolType(), protocols, data.sessionTimeoutMs(), rebalanceTimeout, request.clientHost(), data.groupInstanceId(),
                request.version() >= 9))
                .handle((result, failure) -> failure != null ? request.errorResponse(KafkaErrors.toApiException(failure)) : response(result));
        }
        catch (final RuntimeException e)
        {
            return CompletableFuture.completedFuture(request.errorResponse(KafkaErrors.toApiException(e)));
        }
    }

    private static ApiMessage response(final JoinGroupResult result)
    {
        final List<JoinGroupResponseData.JoinGroupResponseMember> members = new ArrayList<>();
        for (final JoinGroupResult.Member member : result.members())
        {
            members.add(new JoinGroupResponseData.JoinGroupResponseMember().setMemberId(member.memberId())
                .setGroupInstanceId(member.groupInstanceId()).setMetadata(member.metadata()));
        }
        return new JoinGroupResponseData()
            .setGenerationId(result.generationId())
            .setProtocolType(result.protocolType())
            .setProtocolName(result.protocolName())
            .setLeader(result.leaderId())
            .setMemberId(result.memberId())
            .setMembers(members)
            .setSkipAssignment(result.skipAssignment());
    }
}
