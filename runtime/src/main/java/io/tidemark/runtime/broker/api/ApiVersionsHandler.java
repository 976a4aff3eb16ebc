package io.tidemark.runtime.broker.api;

import java.util.concurrent.CompletableFuture;

import io.tidemark.runtime.broker.ApiHandler;
import io.tidemark.runtime.broker.ApiTable;
import io.tidemark.runtime.broker.Request;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.protocol.ApiMessage;

/**
 * ApiVersions: the APIs of the table with their version ranges, the first request of every
 * client. (An unknown ApiVersions version is answered by the connection, before decoding.)
 */
final class ApiVersionsHandler implements ApiHandler
{
    private final ApiTable table;

    ApiVersionsHandler(final ApiTable table)
    {
        this.table = table;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(final Request request)
    {
        return CompletableFuture.completedFuture(new ApiVersionsResponseData().setApiKeys(table.advertised()));
    }
}
