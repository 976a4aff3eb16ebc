package io.tidemark.runtime.broker.api;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.tidemark.runtime.broker.ApiHandler;
import io.tidemark.runtime.broker.Broker;
import io.tidemark.runtime.broker.Request;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.FindCoordinatorRequest;

/**
 * FindCoordinator: this broker coordinates every group and every transactional id (key types
 * 0 and 1; there is no other broker). Versions 4 and later ask for many keys at once.
 */
final class FindCoordinatorHandler implements ApiHandler
{
    private final Broker broker;

    FindCoordinatorHandler(final Broker broker)
    {
        this.broker = broker;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(final Request request)
    {
        final FindCoordinatorRequestData data = (FindCoordinatorRequestData)request.data();
        if (data.keyType() != FindCoordinatorRequest.CoordinatorType.GROUP.id() &&
            data.keyType() != FindCoordinatorRequest.CoordinatorType.TRANSACTION.id())
        {
            // Share groups are not served, and other key types do not exist: Kafka answers those with INVALID_REQUEST.
            return CompletableFuture.completedFuture(request.errorResponse(new InvalidRequestException("unknown coordinator key type " + data.keyType())));
        }
        final FindCoordinatorResponseData response = new FindCoordinatorResponseData();
        if (request.version() < 4)
        {
            response.setErrorCode(Errors.NONE.code()).setNodeId(Broker.NODE_ID).setHost(broker.advertisedHost())
                .setPort(broker.advertisedPort());
        }
        else
        {
            final List<FindCoordinatorResponseData.Coordinator> coordinators = new ArrayList<>();
            for (final String key : data.coordinatorKeys())
            {
                coordinators.add(new FindCoordinatorResponseData.Coordinator().setKey(key).setNodeId(Broker.NODE_ID)
                    .setHost(broker.advertisedHost()).setPort(broker.advertisedPort()).setErrorCode(Errors.NONE.code()));
            }
            response.setCoordinators(coordinators);
        }
        return CompletableFuture.completedFuture(response);
    }
}
