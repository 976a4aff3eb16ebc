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
 * later) and type (5 and later): "classic" for groups of JoinGroup and SyncGroup, "consumer" for
 * those of ConsumerGroupHeartbeat.
 */
final class ListGroupsHandler implements ApiHandler
{
    private static final String CLASSIC = "classic";
    /** The type of a consumer-protocol group, and the protocol type Kafka lists it with. */
    private static final String CONSUMER = "consumer";

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
            if (matches(data, state.kafkaName(), CLASSIC))
            {
                response.groups().add(new ListGroupsResponseData.ListedGroup().setGroupId(groupId)
                    .setProtocolType(broker.groups().describeGroup(groupId).protocolType())
                    .setGroupState(state.kafkaName()).setGroupType(CLASSIC));
            }
        });
        broker.groups().listConsumerGroups().forEach((groupId, state) ->
        {
            if (matches(data, state, CONSUMER))
            {
                response.groups().add(new ListGroupsResponseData.ListedGroup().setGroupId(groupId).setProtocolType(CONSUMER)
                    .setGroupState(state).setGroupType(CONSUMER));
            }
        });
        return CompletableFuture.completedFuture(response);
    }

    private static boolean matches(final ListGroupsRequestData data, final String state, final String type)
    {
        return (data.statesFilter().isEmpty() || data.statesFilter().stream().anyMatch(s -> s.equalsIgnoreCase(state))) &&
            (data.typesFilter().isEmpty() || data.typesFilter().stream().anyMatch(t -> t.equalsIgnoreCase(type)));
    }
}
