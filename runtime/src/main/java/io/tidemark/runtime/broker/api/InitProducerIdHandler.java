package io.tidemark.runtime.broker.api;

import java.util.concurrent.CompletableFuture;

import io.tidemark.log.txn.ProducerIdAndEpoch;
import io.tidemark.runtime.broker.ApiHandler;
import io.tidemark.runtime.broker.Broker;
import io.tidemark.runtime.broker.KafkaErrors;
import io.tidemark.runtime.broker.Request;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * InitProducerId. Without a transactional id (an idempotent producer): a new producer id,
 * epoch 0, from the log's durable allocator (which may sync a file, so it runs on the I/O
 * threads); as in Kafka, a producer that asks again (after {@code UNKNOWN_PRODUCER_ID}, say)
 * gets a fresh id rather than a bumped epoch. With a transactional id: the transaction
 * coordinator maps the id to its producer id and bumps the epoch, which fences every older
 * instance and aborts a transaction the id left open; a producer that names its current id and
 * epoch (version 3 and later) asks for an epoch bump of itself. A fenced producer is told
 * {@code PRODUCER_FENCED} from version 4 on, {@code INVALID_PRODUCER_EPOCH} before, as Kafka does.
 */
final class InitProducerIdHandler implements ApiHandler
{
    private static final int FENCED_SINCE = 4;

    private final Broker broker;

    InitProducerIdHandler(final Broker broker)
    {
        this.broker = broker;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(final Request request)
    {
        final InitProducerIdRequestData data = (InitProducerIdRequestData)request.data();
        if (data.transactionalId() == null)
        {
            return broker.blocking(() -> new InitProducerIdResponseData()
                .setProducerId(broker.logs().allocateProducerId())
                .setProducerEpoch((short)0));
        }
        if (data.transactionalId().isEmpty())
        {
            return CompletableFuture.completedFuture(refused(Errors.INVALID_REQUEST));
        }
        final ProducerIdAndEpoch expected = data.producerId() >= 0 ? new ProducerIdAndEpoch(data.producerId(), data.producerEpoch()) : null;
        return broker.blocking(() ->
        {
            try
            {
                final ProducerIdAndEpoch producer = broker.transactions().initProducerId(data.transactionalId(), data.transactionTimeoutMs(), expected);
                return new InitProducerIdResponseData().setProducerId(producer.producerId()).setProducerEpoch(producer.epoch());
            }
            catch (final RuntimeException e)
            {
                return refused(KafkaErrors.forCoordinatorException(e, request.version(), FENCED_SINCE));
            }
        });
    }

    private static InitProducerIdResponseData refused(final Errors error)
    {
        return new InitProducerIdResponseData().setErrorCode(error.code()).setProducerId(-1).setProducerEpoch((short)-1);
    }
}
