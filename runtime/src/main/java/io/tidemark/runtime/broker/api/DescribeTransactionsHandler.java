package io.tidemark.runtime.broker.api;

import java.util.concurrent.CompletableFuture;

import io.tidemark.log.TopicPartition;
import io.tidemark.log.txn.TransactionDescription;
import io.tidemark.runtime.broker.ApiHandler;
import io.tidemark.runtime.broker.Broker;
import io.tidemark.runtime.broker.KafkaErrors;
import io.tidemark.runtime.broker.Request;
import org.apache.kafka.common.message.DescribeTransactionsRequestData;
import org.apache.kafka.common.message.DescribeTransactionsResponseData;
import org.apache.kafka.common.message.DescribeTransactionsResponseData.TopicData;
import org.apache.kafka.common.message.DescribeTransactionsResponseData.TransactionState;
import org.apache.kafka.common.protocol.ApiMessage;

/**
 * DescribeTransactions (Admin's {@code describeTransactions}, {@code kafka-transactions describe}):
 * each transactional id's state, producer, timeout, start and the partitions of its open
 * transaction; an unknown id carries {@code TRANSACTIONAL_ID_NOT_FOUND} alone.
 */
final class DescribeTransactionsHandler implements ApiHandler
{
    private final Broker broker;

    DescribeTransactionsHandler(final Broker broker)
    {
        this.broker = broker;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(final Request request)
    {
        final DescribeTransactionsRequestData data = (DescribeTransactionsRequestData)request.data();
        return broker.blocking(() ->
        {
            final DescribeTransactionsResponseData response = new DescribeTransactionsResponseData();
            for (final String transactionalId : data.transactionalIds())
            {
                final TransactionState state = new TransactionState().setTransactionalId(transactionalId);
                try
                {
                    describe(broker.transactions().describe(transactionalId), state);
                }
                catch (final RuntimeException e)
                {
                    state.setErrorCode(KafkaErrors.forException(e).code());
                }
                response.transactionStates().add(state);
            }
            return response;
        });
    }

    private static void describe(final TransactionDescription description, final TransactionState state)
    {
        state.setTransactionState(description.state().kafkaName())
            .setProducerId(description.producerId())
            .setProducerEpoch(description.producerEpoch())
            .setTransactionTimeoutMs(description.timeoutMs())
            .setTransactionStartTimeMs(description.startTimeMs());
        for (final TopicPartition partition : description.partitions())
        {
            TopicData topic = state.topics().find(partition.topic());
            if (topic == null)
            {
                topic = new TopicData().setTopic(partition.topic());
                state.topics().add(topic);
            }
            topic.partitions().add(partition.partition());
        }
    }
}
