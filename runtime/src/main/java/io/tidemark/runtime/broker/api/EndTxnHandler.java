package io.tidemark.runtime.broker.api;

import java.util.concurrent.CompletableFuture;

import io.tidemark.log.TransactionResult;
import io.tidemark.log.txn.ProducerIdAndEpoch;
import io.tidemark.runtime.broker.ApiHandler;
import io.tidemark.runtime.broker.Broker;
import io.tidemark.runtime.broker.Request;
import org.apache.kafka.common.message.EndTxnRequestData;
import org.apache.kafka.common.message.EndTxnResponseData;
import org.apache.kafka.common.protocol.ApiMessage;

/**
 * EndTxn: commits or aborts the producer's open transaction. The coordinator answers once the
 * markers are in every partition of the transaction, so a consumer that reads after the
 * producer's {@code commitTransaction} returned sees the transaction decided.
 */
final class EndTxnHandler implements ApiHandler
{
    private final Broker broker;

    EndTxnHandler(final Broker broker)
    {
        this.broker = broker;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(final Request request)
    {
        final EndTxnRequestData data = (EndTxnRequestData)request.data();
        return CoordinatorCall.run(broker, request, data.transactionalId(),
            () -> broker.transactions().endTransaction(data.transactionalId(), new ProducerIdAndEpoch(data.producerId(), data.producerEpoch()),
                data.committed() ? TransactionResult.COMMIT : TransactionResult.ABORT),
            error -> new EndTxnResponseData().setErrorCode(error.code()));
    }
}
