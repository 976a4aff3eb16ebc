package io.tidemark.runtime.broker.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import io.tidemark.log.TopicPartition;
import io.tidemark.log.errors.LogException;
import io.tidemark.log.txn.ProducerIdAndEpoch;
import io.tidemark.runtime.broker.ApiHandler;
import io.tidemark.runtime.broker.Broker;
import io.tidemark.runtime.broker.KafkaErrors;
import io.tidemark.runtime.broker.Request;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTopic;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData.AddPartitionsToTxnPartitionResult;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData.AddPartitionsToTxnTopicResult;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData.AddPartitionsToTxnTopicResultCollection;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * AddPartitionsToTxn, the clients' versions (0 to 3: one transaction per request; versions 4
 * and later batch many transactions and are sent by brokers to the coordinator, which this
 * broker is itself). The coordinator records the partitions durably before the producer
 * writes to them. As in Kafka, if any partition does not exist none is added: the unknown
 * ones are answered {@code UNKNOWN_TOPIC_OR_PARTITION} and the others
 * {@code OPERATION_NOT_ATTEMPTED}; otherwise every partition carries the coordinator's answer.
 */
final class AddPartitionsToTxnHandler implements ApiHandler
{
    private final Broker broker;

    AddPartitionsToTxnHandler(final Broker broker)
    {
        this.broker = broker;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(final Request request)
    {
        final AddPartitionsToTxnRequestData data = (AddPartitionsToTxnRequestData)request.data();
        final List<TopicPartition> partitions = new ArrayList<>();
        for (final AddPartitionsToTxnTopic topic : data.v3AndBelowTopics())
        {
            for (final int partition : topic.partitions())
            {
                partitions.add(new TopicPartition(topic.name(), partition));
            }
        }
        final Map<TopicPartition, Errors> unknown = new LinkedHashMap<>();
        for (final TopicPartition partition : partitions)
        {
            try
            {
                broker.logs().partition(partition);
            }
            catch (final LogException e)
            {
                unknown.put(partition, KafkaErrors.forException(e));
            }
        }
        if (!unknown.isEmpty())
        {
            return CompletableFuture.completedFuture(answer(partitions, partition -> unknown.getOrDefault(partition, Errors.OPERATION_NOT_ATTEMPTED)));
        }
        return CoordinatorCall.run(broker, request, data.v3AndBelowTransactionalId(),
            () -> broker.transactions().addPartitions(data.v3AndBelowTransactionalId(),
                new ProducerIdAndEpoch(data.v3AndBelowProducerId(), data.v3AndBelowProducerEpoch()), partitions),
            error -> answer(partitions, partition -> error));
    }

    private static AddPartitionsToTxnResponseData answer(final List<TopicPartition> partitions,
        final Function<TopicPartition, Errors> errors)
    {
        final AddPartitionsToTxnTopicResultCollection topics = new AddPartitionsToTxnTopicResultCollection();
        for (final TopicPartition partition : partitions)
        {
            AddPartitionsToTxnTopicResult topic = topics.find(partition.topic());
            if (topic == null)
            {
                topic = new AddPartitionsToTxnTopicResult().setName(partition.topic());
                topics.add(topic);
            }
            if (topic.resultsByPartition().find(partition.partition()) == null)
            {
                topic.resultsByPartition().add(new AddPartitionsToTxnPartitionResult().setPartitionIndex(partition.partition())
                    .setPartitionErrorCode(errors.apply(partition).code()));
            }
        }
        return new AddPartitionsToTxnResponseData().setResultsByTopicV3AndBelow(topics);
    }
}
