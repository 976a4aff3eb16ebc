package io.tidemark.runtime.broker.api;

import java.util.concurrent.CompletableFuture;

import io.tidemark.runtime.broker.ApiHandler;
import io.tidemark.runtime.broker.Broker;
import io.tidemark.runtime.broker.Request;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.protocol.ApiMessage;

/**
 * InitProducerId for idempotent producers: a new producer id, epoch 0, from the log's
 * durable allocator (which may sync a file, so it runs on the I/O threads). As in Kafka, a
 * producer without a transactional id that asks again (after {@code UNKNOWN_PRODUCER_ID}, say)
 * gets a fresh id rather than a bumped epoch. Transactional ids are refused until
 * transactions exist.
 */
final class InitProducerIdHandler implements ApiHandler
{
    private final Broker broker;

    InitProducerIdHandler(final Broker broker)
    {
        this.broker = broker;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(final Request request)
    {
        final InitProducerIdRequestData data = (InitProducerIdRequestData)request.data();
        if (data.transactionalId() != null)
        {
            return CompletableFuture.completedFuture(request.errorResponse(new UnsupportedVersionException(Apis.NO_TRANSACTIONS)));
        }
        return broker.blocking(() -> new InitProducerIdResponseData()
            .setProducerId(broker.logs().allocateProducerId())
            .setProducerEpoch((short)0));
    }
}
