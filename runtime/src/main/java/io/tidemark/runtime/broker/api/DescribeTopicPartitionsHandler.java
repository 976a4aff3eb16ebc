package io.tidemark.runtime.broker.api;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

import io.tidemark.log.errors.LogException;
import io.tidemark.log.topic.TopicName;
import io.tidemark.runtime.broker.ApiHandler;
import io.tidemark.runtime.broker.Broker;
import io.tidemark.runtime.broker.KafkaErrors;
import io.tidemark.runtime.broker.Request;
import io.tidemark.runtime.broker.TopicIds;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.message.DescribeTopicPartitionsRequestData;
import org.apache.kafka.common.message.DescribeTopicPartitionsRequestData.Cursor;
import org.apache.kafka.common.message.DescribeTopicPartitionsRequestData.TopicRequest;
import org.apache.kafka.common.message.DescribeTopicPartitionsResponseData;
import org.apache.kafka.common.message.DescribeTopicPartitionsResponseData.DescribeTopicPartitionsResponsePartition;
import org.apache.kafka.common.message.DescribeTopicPartitionsResponseData.DescribeTopicPartitionsResponseTopic;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * DescribeTopicPartitions (KIP-966), what kafka-clients 4.x Admin's {@code describeTopics} asks
 * first: the named topics, or every topic when none is named, in name order, each partition led
 * by node 0 at leader epoch 0 with replicas and ISR {@code [0]}; no eligible leader replicas
 * (this broker has no ELR), so both ELR lists are empty, as Kafka answers without them.
 *
 * <p>Pages as a Kafka broker does: a response holds at most {@code response_partition_limit}
 * partitions (at least one, and never more than Kafka's default
 * {@code max.request.partition.size.limit}, {@value #MAX_PARTITIONS}). It starts at the
 * request's cursor (the cursor's topic from its partition index, the topics after it from 0;
 * named topics must include the cursor's topic and its index must not be negative, else the
 * request is {@code INVALID_REQUEST}) and, when the limit cuts a topic short or is reached before
 * the next topic, its {@code next_cursor}
 * names where the next request starts. A named topic that does not exist is answered
 * {@code UNKNOWN_TOPIC_OR_PARTITION} (an invalid name {@code INVALID_TOPIC_EXCEPTION}); when all
 * topics are asked for, a topic in error is left out. Authorized operations are always
 * reported: everything, as a broker without an authorizer ({@link AuthorizedOperations}).
 */
final class DescribeTopicPartitionsHandler implements ApiHandler
{
    /** Kafka's default for {@code max.request.partition.size.limit}, which caps the request's limit. */
    static final int MAX_PARTITIONS = 2000;

    private final Broker broker;

    DescribeTopicPartitionsHandler(final Broker broker)
    {
        this.broker = broker;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(final Request request)
    {
        final DescribeTopicPartitionsRequestData data = (DescribeTopicPartitionsRequestData)request.data();
        final boolean allTopics = data.topics().isEmpty();
        final Cursor cursor = data.cursor();
        final String first = cursor == null ? "" : cursor.topicName();
        final TreeSet<String> names = new TreeSet<>();
        if (allTopics)
        {
            names.addAll(broker.logs().listTopics());
        }
        else
        {
            for (final TopicRequest topic : data.topics())
            {
                names.add(topic.name());
            }
            if (cursor != null && !names.contains(first))
            {
                throw new InvalidRequestException("DescribeTopicPartitionsRequest topic list should contain the cursor topic: " + first);
            }
        }
        if (cursor != null && cursor.partitionIndex() < 0)
        {
            throw new InvalidRequestException("DescribeTopicPartitionsRequest cursor partition must be valid: " + cursor);
        }
        final DescribeTopicPartitionsResponseData response = new DescribeTopicPartitionsResponseData();
        // A limit below 1 is taken as 1, as Kafka does: every page describes something or ends the walk.
        int remaining = Math.max(Math.min(MAX_PARTITIONS, data.responsePartitionLimit()), 1);
        for (final String name : names.tailSet(first, true))
        {
            if (remaining == 0)
            {
                // The page ended with a whole topic: the next one starts at its first partition.
                response.setNextCursor(nextCursor(name, 0));
                break;
            }
            final int start = cursor != null && name.equals(first) ? cursor.partitionIndex() : 0;
            final Page page = page(name, start, remaining);
            if (page.topic().errorCode() != Errors.NONE.code())
            {
                if (!allTopics)
                {
                    response.topics().add(page.topic());
                }
                continue;
            }
            response.topics().add(page.topic());
            if (page.next() >= 0)
            {
                response.setNextCursor(nextCursor(name, page.next()));
                break;
            }
            remaining -= page.topic().partitions().size();
        }
        return CompletableFuture.completedFuture(response);
    }

    private static DescribeTopicPartitionsResponseData.Cursor nextCursor(final String topic, final int partition)
    {
        return new DescribeTopicPartitionsResponseData.Cursor().setTopicName(topic).setPartitionIndex(partition);
    }

    /**
     * A topic's part of a response.
     *
     * @param topic the topic with its partitions, or its error.
     * @param next the first partition left for the next page; -1 if none is.
     */
    private record Page(DescribeTopicPartitionsResponseTopic topic, int next)
    {
    }

    /** @return the topic with its partitions from {@code start}, below {@code start + limit}, or its error. */
    private Page page(final String name, final int start, final int limit)
    {
        final DescribeTopicPartitionsResponseTopic topic = new DescribeTopicPartitionsResponseTopic().setName(name)
            .setIsInternal(Broker.internalTopic(name))
            .setTopicAuthorizedOperations(AuthorizedOperations.TOPIC);
        try
        {
            final int count = broker.logs().partitions(name).size();
            final Uuid id = TopicIds.toUuid(broker.logs().topicId(name));
            final int end = (int)Math.min(count, (long)start + limit);
            final List<DescribeTopicPartitionsResponsePartition> partitions = new ArrayList<>(Math.max(end - start, 0));
            for (int p = start; p < end; p++)
            {
                partitions.add(new DescribeTopicPartitionsResponsePartition()
                    .setPartitionIndex(p)
                    .setLeaderId(Broker.NODE_ID)
                    .setLeaderEpoch(Broker.LEADER_EPOCH)
                    .setReplicaNodes(List.of(Broker.NODE_ID))
                    .setIsrNodes(List.of(Broker.NODE_ID))
                    .setEligibleLeaderReplicas(List.of())
                    .setLastKnownElr(List.of())
                    .setOfflineReplicas(List.of()));
            }
            return new Page(topic.setTopicId(id).setPartitions(partitions), end < count ? end : -1);
        }
        catch (final LogException e)
        {
            return new Page(topic.setTopicId(Uuid.ZERO_UUID).setErrorCode(error(name, e).code()), -1);
        }
    }

    /** @return the error of a topic that could not be described: an invalid name's before the missing topic's, as Kafka. */
    private static Errors error(final String name, final LogException e)
    {
        try
        {
            TopicName.validate(name);
            return KafkaErrors.forException(e);
        }
        catch (final LogException invalid)
        {
            return KafkaErrors.forException(invalid);
        }
    }
}
