package io.tidemark.runtime.broker.api;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.tidemark.log.errors.LogException;
import io.tidemark.runtime.broker.ApiHandler;
import io.tidemark.runtime.broker.Broker;
import io.tidemark.runtime.broker.KafkaErrors;
import io.tidemark.runtime.broker.Request;
import io.tidemark.runtime.broker.TopicIds;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DeleteTopicsRequestData.DeleteTopicState;
import org.apache.kafka.common.message.DeleteTopicsResponseData;
import org.apache.kafka.common.message.DeleteTopicsResponseData.DeletableTopicResult;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * DeleteTopics, by name (every version) or by id (version 6: an id no topic has is
 * {@code UNKNOWN_TOPIC_ID}). Deletion syncs directories, so it runs on the I/O threads.
 */
final class DeleteTopicsHandler implements ApiHandler
{
    private final Broker broker;

    DeleteTopicsHandler(final Broker broker)
    {
        this.broker = broker;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(final Request request)
    {
        final DeleteTopicsRequestData data = (DeleteTopicsRequestData)request.data();
        final List<DeleteTopicState> topics = new ArrayList<>(data.topics());
        data.topicNames().forEach(name -> topics.add(new DeleteTopicState().setName(name)));
        return broker.blocking(() ->
        {
            final DeleteTopicsResponseData response = new DeleteTopicsResponseData();
            for (final DeleteTopicState topic : topics)
            {
                response.responses().add(delete(topic));
            }
            return response;
        });
    }

    private DeletableTopicResult delete(final DeleteTopicState topic)
    {
        final DeletableTopicResult result = new DeletableTopicResult().setName(topic.name()).setTopicId(topic.topicId());
        final String name = topic.name() == null ? broker.logs().topicName(TopicIds.fromUuid(topic.topicId())) : topic.name();
        if (name == null)
        {
            return result.setErrorCode(Errors.UNKNOWN_TOPIC_ID.code()).setErrorMessage("no topic has the id " + topic.topicId());
        }
        try
        {
            broker.logs().deleteTopic(name);
            return result.setName(name);
        }
        catch (final LogException e)
        {
            return result.setErrorCode(KafkaErrors.forException(e).code()).setErrorMessage(e.getMessage());
        }
    }
}
