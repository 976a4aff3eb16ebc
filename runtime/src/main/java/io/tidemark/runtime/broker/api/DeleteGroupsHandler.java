package io.tidemark.runtime.broker.api;

import java.util.concurrent.CompletableFuture;

import io.tidemark.log.errors.LogException;
import io.tidemark.runtime.broker.ApiHandler;
import io.tidemark.runtime.broker.Broker;
import io.tidemark.runtime.broker.KafkaErrors;
import io.tidemark.runtime.broker.Request;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DeleteGroupsResponseData;
import org.apache.kafka.common.message.DeleteGroupsResponseData.DeletableGroupResult;
import org.apache.kafka.common.protocol.ApiMessage;

/**
 * DeleteGroups ({@code kafka-consumer-groups --delete}): each group without members is
 * forgotten with its committed offsets; a group with members is {@code NON_EMPTY_GROUP}, an
 * unknown one {@code GROUP_ID_NOT_FOUND}, an empty id {@code INVALID_GROUP_ID}. The offsets'
 * tombstones are appended to {@code __consumer_offsets}, so it runs on the I/O threads.
 */
final class DeleteGroupsHandler implements ApiHandler
{
    private final Broker broker;

    DeleteGroupsHandler(final Broker broker)
    {
        this.broker = broker;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(final Request request)
    {
        final DeleteGroupsRequestData data = (DeleteGroupsRequestData)request.data();
        return broker.blocking(() ->
        {
            final DeleteGroupsResponseData response = new DeleteGroupsResponseData();
            for (final String groupId : data.groupsNames())
            {
                final DeletableGroupResult result = new DeletableGroupResult().setGroupId(groupId);
                try
                {
                    broker.groups().deleteGroup(groupId);
                }
                catch (final LogException e)
                {
                    result.setErrorCode(KafkaErrors.forException(e).code());
                }
                response.results().add(result);
            }
            return response;
        });
    }
}
