package io.tidemark.runtime.broker.api;

import java.util.concurrent.CompletableFuture;

import io.tidemark.runtime.broker.ApiHandler;
import io.tidemark.runtime.broker.Broker;
import io.tidemark.runtime.broker.Request;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.protocol.ApiMessage;

/**
 * ListGroups: every group with members or committed offsets, filtered by state (version 4 and
 * later) and type (5 and later; every group here is a classic one).
 */
final class ListGroupsHandler implements ApiHandler
{
    private static final String CLASSIC = "classic";

    private final Broker broker;

    ListGroupsHandler(final Broker broker)
    {
        this.broker = broker;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(final Request request)
    {
        final ListGroupsRequestData data = (ListGroupsRequestData)request.data();
        final ListGroupsResponseData response = new ListGroupsResponseData();
        broker.groups().listGroups().forEach((groupId, state) ->
        {
            final boolean stateMatches = data.statesFilter().isEmpty() ||
                data.statesFilter().stream().anyMatch(s -> s.equalsIgnoreCase(state.kafkaName()));
            final boolean typeMatches = data.typesFilter().isEmpty() ||
                data.typesFilter().stream().anyMatch(t -> t.equalsIgnoreCase(CLASSIC));
            if (stateMatches && typeMatches)
            {
                response.groups().add(new ListGroupsResponseData.ListedGroup().setGroupId(groupId)
                    .setProtocolType(broker.groups().describeGroup(groupId).protocolType())
                    .setGroupState(state.kafkaName()).setGroupType(CLASSIC));
            }
        });
        return CompletableFuture.completedFuture(response);
    }
}
