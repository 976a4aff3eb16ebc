package io.tidemark.runtime.broker.api;

import java.util.concurrent.CompletableFuture;

import io.tidemark.runtime.broker.ApiHandler;
import io.tidemark.runtime.broker.Request;
import org.apache.kafka.common.errors.CoordinatorNotAvailableException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.requests.FindCoordinatorRequest;

/**
 * FindCoordinator: a group coordinator is not available yet (clients retry); a transaction
 * coordinator does not exist (transactional producers fail at once, with the reason).
 */
final class FindCoordinatorHandler implements ApiHandler
{
    @Override
    public CompletableFuture<ApiMessage> handle(final Request request)
    {
        final FindCoordinatorRequestData data = (FindCoordinatorRequestData)request.data();
        final boolean transaction = data.keyType() == FindCoordinatorRequest.CoordinatorType.TRANSACTION.id();
        return CompletableFuture.completedFuture(request.errorResponse(transaction ?
            new UnsupportedVersionException(Apis.NO_TRANSACTIONS) :
            new CoordinatorNotAvailableException("the group coordinator is not available on this Tidemark server yet")));
    }
}
