package io.tidemark.runtime.broker.api;

import java.util.concurrent.CompletableFuture;

import io.tidemark.log.ActiveProducer;
import io.tidemark.log.TopicPartition;
import io.tidemark.log.errors.LogException;
import io.tidemark.runtime.broker.ApiHandler;
import io.tidemark.runtime.broker.Broker;
import io.tidemark.runtime.broker.KafkaErrors;
import io.tidemark.runtime.broker.Request;
import org.apache.kafka.common.message.DescribeProducersRequestData;
import org.apache.kafka.common.message.DescribeProducersResponseData;
import org.apache.kafka.common.message.DescribeProducersResponseData.PartitionResponse;
import org.apache.kafka.common.message.DescribeProducersResponseData.ProducerState;
import org.apache.kafka.common.message.DescribeProducersResponseData.TopicResponse;
import org.apache.kafka.common.protocol.ApiMessage;

/**
 * DescribeProducers (Admin's {@code describeProducers}, which {@code kafka-transactions
 * find-hanging} reads): the idempotent and transactional producers each partition remembers,
 * with the first offset of the transaction each has open there. A partition that does not
 * exist carries its error alone.
 */
final class DescribeProducersHandler implements ApiHandler
{
    private final Broker broker;

    DescribeProducersHandler(final Broker broker)
    {
        this.broker = broker;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(final Request request)
    {
        final DescribeProducersRequestData data = (DescribeProducersRequestData)request.data();
        final DescribeProducersResponseData response = new DescribeProducersResponseData();
        for (final DescribeProducersRequestData.TopicRequest topic : data.topics())
        {
            final TopicResponse topicResponse = new TopicResponse().setName(topic.name());
            for (final int index : topic.partitionIndexes())
            {
                final PartitionResponse partition = new PartitionResponse().setPartitionIndex(index);
                try
                {
                    for (final ActiveProducer producer : broker.logs().partition(new TopicPartition(topic.name(), index)).activeProducers())
                    {
                        partition.activeProducers().add(new ProducerState()
                            .setProducerId(producer.producerId())
                            .setProducerEpoch(producer.producerEpoch())
                            .setLastSequence(producer.lastSequence())
                            .setLastTimestamp(producer.lastTimestamp())
                            .setCoordinatorEpoch(producer.coordinatorEpoch())
                            .setCurrentTxnStartOffset(producer.currentTransactionStartOffset()));
                    }
                }
                catch (final LogException e)
                {
                    partition.setErrorCode(KafkaErrors.forException(e).code()).setErrorMessage(e.getMessage());
                }
                topicResponse.partitions().add(partition);
            }
            response.topics().add(topicResponse);
        }
        return CompletableFuture.completedFuture(response);
    }
}
