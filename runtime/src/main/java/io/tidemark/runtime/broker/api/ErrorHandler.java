package io.tidemark.runtime.broker.api;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import io.tidemark.runtime.broker.ApiHandler;
import io.tidemark.runtime.broker.Request;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.protocol.ApiMessage;

/**
 * Answers every request of an API with one error, in the shape that API's response has
 * (Kafka's request classes build it): for APIs that are refused on purpose.
 */
final class ErrorHandler implements ApiHandler
{
    private final Supplier<ApiException> error;

    ErrorHandler(final Supplier<ApiException> error)
    {
        this.error = error;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(final Request request)
    {
        return CompletableFuture.completedFuture(request.errorResponse(error.get()));
    }
}
