package io.tidemark.runtime.broker.api;

import java.util.concurrent.CompletableFuture;

import io.tidemark.log.txn.ProducerIdAndEpoch;
import io.tidemark.runtime.broker.ApiHandler;
import io.tidemark.runtime.broker.Broker;
import io.tidemark.runtime.broker.Request;
import org.apache.kafka.common.message.AddOffsetsToTxnRequestData;
import org.apache.kafka.common.message.AddOffsetsToTxnResponseData;
import org.apache.kafka.common.protocol.ApiMessage;

/**
 * AddOffsetsToTxn: the producer's open transaction will commit offsets of a consumer group
 * ({@code sendOffsetsToTransaction}); the producer then sends them with TxnOffsetCommit.
 */
final class AddOffsetsToTxnHandler implements ApiHandler
{
    private final Broker broker;

    AddOffsetsToTxnHandler(final Broker broker)
    {
        this.broker = broker;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(final Request request)
    {
        final AddOffsetsToTxnRequestData data = (AddOffsetsToTxnRequestData)request.data();
        return CoordinatorCall.run(broker, request, data.transactionalId(),
            () -> broker.transactions().addOffsets(data.transactionalId(), new ProducerIdAndEpoch(data.producerId(), data.producerEpoch()),
                data.groupId()),
            error -> new AddOffsetsToTxnResponseData().setErrorCode(error.code()));
    }
}
