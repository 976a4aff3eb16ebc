package io.tidemark.runtime.broker.api;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.tidemark.runtime.broker.ApiHandler;
import io.tidemark.runtime.broker.Broker;
import io.tidemark.runtime.broker.KafkaErrors;
import io.tidemark.runtime.broker.Request;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * LeaveGroup: removes members at once (one before version 3, a list since), each answered
 * with its own error. From version 3 a member may be named by its {@code group.instance.id}
 * alone (an administrator removing static members), and a member id its instance id no
 * longer maps to is {@code FENCED_INSTANCE_ID}.
 */
final class LeaveGroupHandler implements ApiHandler
{
    private final Broker broker;

    LeaveGroupHandler(final Broker broker)
    {
        this.broker = broker;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(final Request request)
    {
        final LeaveGroupRequestData data = (LeaveGroupRequestData)request.data();
        if (request.version() < 3)
        {
            final Errors error = leave(data.groupId(), data.memberId(), null);
            return CompletableFuture.completedFuture(new LeaveGroupResponseData().setErrorCode(error.code()));
        }
        final List<LeaveGroupResponseData.MemberResponse> members = new ArrayList<>();
        for (final LeaveGroupRequestData.MemberIdentity member : data.members())
        {
            members.add(new LeaveGroupResponseData.MemberResponse().setMemberId(member.memberId())
                .setGroupInstanceId(member.groupInstanceId()).setErrorCode(leave(data.groupId(), member.memberId(), member.groupInstanceId()).code()));
        }
        return CompletableFuture.completedFuture(new LeaveGroupResponseData().setMembers(members));
    }

    private Errors leave(final String groupId, final String memberId, final String groupInstanceId)
    {
        try
        {
            broker.groups().leaveGroup(groupId, memberId, groupInstanceId);
            return Errors.NONE;
        }
        catch (final RuntimeException e)
        {
            return KafkaErrors.forException(e);
        }
    }
}
