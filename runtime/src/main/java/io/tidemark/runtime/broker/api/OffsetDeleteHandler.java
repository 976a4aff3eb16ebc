package io.tidemark.runtime.broker.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import io.tidemark.log.TopicPartition;
import io.tidemark.log.errors.LogException;
import io.tidemark.runtime.broker.ApiHandler;
import io.tidemark.runtime.broker.Broker;
import io.tidemark.runtime.broker.KafkaErrors;
import io.tidemark.runtime.broker.Request;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetDeleteRequestData.OffsetDeleteRequestPartition;
import org.apache.kafka.common.message.OffsetDeleteRequestData.OffsetDeleteRequestTopic;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.message.OffsetDeleteResponseData.OffsetDeleteResponsePartition;
import org.apache.kafka.common.message.OffsetDeleteResponseData.OffsetDeleteResponseTopic;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * OffsetDelete ({@code kafka-consumer-groups --delete-offsets}): forgets a group's committed
 * offsets of the given partitions, as Kafka does: a partition that does not exist is
 * {@code UNKNOWN_TOPIC_OR_PARTITION}, one whose topic a member of the group subscribes to is
 * {@code GROUP_SUBSCRIBED_TO_TOPIC} (its offset stays), and the group's own refusals
 * ({@code GROUP_ID_NOT_FOUND}, {@code INVALID_GROUP_ID}, {@code NON_EMPTY_GROUP} for a group
 * of another kind with members) answer for the whole request. The tombstones are appended to
 * {@code __consumer_offsets}, so it runs on the I/O threads.
 */
final class OffsetDeleteHandler implements ApiHandler
{
    private final Broker broker;

    OffsetDeleteHandler(final Broker broker)
    {
        this.broker = broker;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(final Request request)
    {
        final OffsetDeleteRequestData data = (OffsetDeleteRequestData)request.data();
        return broker.blocking(() ->
        {
            final List<TopicPartition> known = new ArrayList<>();
            final OffsetDeleteResponseData response = new OffsetDeleteResponseData();
            for (final OffsetDeleteRequestTopic topic : data.topics())
            {
                final OffsetDeleteResponseTopic topicResponse = new OffsetDeleteResponseTopic().setName(topic.name());
                for (final OffsetDeleteRequestPartition partition : topic.partitions())
                {
                    final TopicPartition topicPartition = new TopicPartition(topic.name(), partition.partitionIndex());
                    final OffsetDeleteResponsePartition partitionResponse = new OffsetDeleteResponsePartition()
                        .setPartitionIndex(partition.partitionIndex());
                    try
                    {
                        broker.logs().partition(topicPartition);
                        known.add(topicPartition);
                    }
                    catch (final LogException e)
                    {
                        partitionResponse.setErrorCode(KafkaErrors.forException(e).code());
                    }
                    topicResponse.partitions().add(partitionResponse);
                }
                response.topics().add(topicResponse);
            }
            final Set<TopicPartition> kept;
            try
            {
                kept = broker.groups().deleteOffsets(data.groupId(), known);
            }
            catch (final LogException e)
            {
                return new OffsetDeleteResponseData().setErrorCode(KafkaErrors.forException(e).code());
            }
            for (final TopicPartition partition : kept)
            {
                response.topics().find(partition.topic()).partitions().find(partition.partition())
                    .setErrorCode(Errors.GROUP_SUBSCRIBED_TO_TOPIC.code());
            }
            return response;
        });
    }
}
