package io.tidemark.runtime.broker.api;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.tidemark.log.group.GroupDescription;
import io.tidemark.runtime.broker.ApiHandler;
import io.tidemark.runtime.broker.Broker;
import io.tidemark.runtime.broker.KafkaErrors;
import io.tidemark.runtime.broker.Request;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.ApiMessage;

/**
 * SyncGroup: the leader's assignments go to the coordinator, every member gets its own once
 * the leader's have arrived.
 */
final class SyncGroupHandler implements ApiHandler
{
    private final Broker broker;

    SyncGroupHandler(final Broker broker)
    {
        this.broker = broker;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(final Request request)
    {
        final SyncGroupRequestData data = (SyncGroupRequestData)request.data();
        final Map<String, byte[]> assignments = new HashMap<>();
        data.assignments().forEach(a -> assignments.put(a.memberId(), a.assignment()));
        try
        {
            return broker.groups().syncGroup(data.groupId(), data.generationId(), data.memberId(), data.groupInstanceId(), assignments)
                .handle((assignment, failure) ->
                {
                    if (failure != null)
                    {
                        return request.errorResponse(KafkaErrors.toApiException(failure));
                    }
                    final GroupDescription group = broker.groups().describeGroup(data.groupId());
                    return new SyncGroupResponseData().setAssignment(assignment)
                        .setProtocolType(data.protocolType() != null ? data.protocolType() : group.protocolType())
                        .setProtocolName(data.protocolName() != null ? data.protocolName() : group.protocolName());
                });
        }
        catch (final RuntimeException e)
        {
            return CompletableFuture.completedFuture(request.errorResponse(KafkaErrors.toApiException(e)));
        }
    }
}
