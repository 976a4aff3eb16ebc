package io.tidemark.runtime.broker;

import io.netty.util.concurrent.EventExecutor;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.RequestHeader;

/**
 * One decoded request, as a handler sees it.
 *
 * @param header the request header: API key and version, correlation id, client id.
 * @param body the decoded body; its data may refer to the frame's bytes (a Produce request's
 *        records do), which stay valid until the handler's future completes.
 * @param eventLoop the connection's event loop, for timers (a long-polling Fetch).
 * @param clientHost the client's address as Kafka describes it ({@code /127.0.0.1}), for
 *        DescribeGroups.
 */
public record Request(RequestHeader header, AbstractRequest body, EventExecutor eventLoop, String clientHost)
{
    /**
     * @return the API version the client used; the response is encoded with it.
     */
    public short version()
    {
        return header.apiVersion();
    }

    /**
     * @return the body's message, to be cast to the API's request data class.
     */
    public ApiMessage data()
    {
        return body.data();
    }

    /**
     * Kafka's error response for this request: every partition, topic or key carries the
     * error, and its reason where the response has a field for one, in the shape this API and
     * version expect.
     *
     * @param failure the error, one of Kafka's {@code ApiException}s; its message is the reason.
     * @return the response body.
     */
    public ApiMessage errorResponse(final Throwable failure)
    {
        return ErrorReasons.fill(body.getErrorResponse(0, failure).data(), failure.getMessage());
    }
}
