package io.tidemark.runtime.broker.api;

import java.util.concurrent.CompletableFuture;

import io.tidemark.runtime.broker.ApiHandler;
import io.tidemark.runtime.broker.Broker;
import io.tidemark.runtime.broker.KafkaErrors;
import io.tidemark.runtime.broker.Request;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.protocol.ApiMessage;

/**
 * Heartbeat: keeps a member's session; the error tells it to rejoin when the group
 * rebalances, or, {@code FENCED_INSTANCE_ID}, that a newer member took over its instance id.
 */
final class HeartbeatHandler implements ApiHandler
{
    private final Broker broker;

    HeartbeatHandler(final Broker broker)
    {
        this.broker = broker;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(final Request request)
    {
        final HeartbeatRequestData data = (HeartbeatRequestData)request.data();
        try
        {
            broker.groups().heartbeat(data.groupId(), data.generationId(), data.memberId(), data.groupInstanceId());
            return CompletableFuture.completedFuture(new HeartbeatResponseData());
        }
        catch (final RuntimeException e)
        {
            return CompletableFuture.completedFuture(request.errorResponse(KafkaErrors.toApiException(e)));
        }
    }
}
