package io.tidemark.runtime.broker;

import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.protocol.ApiMessage;

/**
 * Serves one Kafka API. A handler runs on the connection's event loop and must not block it:
 * work that may wait on the disk goes to {@link Broker#io()}, and waiting for data (a Fetch
 * long poll) completes the future later. The connection answers its requests in order, one
 * at a time, so a handler never sees two requests of one connection at once.
 */
@FunctionalInterface
public interface ApiHandler
{
    /**
     * @param request the decoded request.
     * @return the response body, to be encoded with the request's version; null (as the
     *         future's value) for a request that gets no response (Produce with acks=0). A
     *         future failed with a Kafka {@code ApiException} is answered with that error.
     */
    CompletableFuture<ApiMessage> handle(Request request);

    /**
     * Whether the connection cancels this API's pending future when the client goes away.
     * Only for requests that have no effect a vanished client could miss (a waiting fetch):
     * others finish their work (an append, a join) even without anyone to answer.
     *
     * @return true if a pending future of this handler may be cancelled (and one still queued is
     *         not started), and the handler then lets go of whatever the request held (timers,
     *         watches).
     */
    default boolean cancelledWithConnection()
    {
        return false;
    }
}
