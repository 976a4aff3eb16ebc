package io.tidemark.runtime.broker.api;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import io.tidemark.log.errors.LogException;
import io.tidemark.log.errors.TopicExistsException;
import io.tidemark.log.topic.TopicName;
import io.tidemark.runtime.broker.ApiHandler;
import io.tidemark.runtime.broker.Broker;
import io.tidemark.runtime.broker.KafkaErrors;
import io.tidemark.runtime.broker.Request;
import io.tidemark.runtime.broker.TopicIds;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataRequestData.MetadataRequestTopic;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponseBroker;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponsePartition;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponseTopic;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * Metadata: one broker, node 0, leader and only replica of every partition. A requested topic
 * that does not exist is created with {@code num.partitions} partitions when the broker's
 * {@code auto.create.topics.enable} and the client's {@code allowAutoTopicCreation} both
 * allow it (creation syncs directories, so it runs on the I/O threads); otherwise it is
 * reported as {@code UNKNOWN_TOPIC_OR_PARTITION}. Every topic is answered with its id (10+); a
 * topic asked for by id (12+) is found by it, an unknown id is {@code UNKNOWN_TOPIC_ID}. The
 * topics' and (versions 8-10) the cluster's authorized operations are reported when asked for
 * ({@link AuthorizedOperations}).
 */
final class MetadataHandler implements ApiHandler
{
    private final Broker broker;

    MetadataHandler(final Broker broker)
    {
        this.broker = broker;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(final Request request)
    {
        final MetadataRequestData data = (MetadataRequestData)request.data();
        final short version = request.version();
        final boolean allTopics = data.topics() == null || (version == 0 && data.topics().isEmpty());
        final boolean mayCreate = broker.config().autoCreateTopics() && (version < 4 || data.allowAutoTopicCreation());
        if (!allTopics && mayCreate && data.topics().stream().anyMatch(t -> byName(t) && !exists(t.name())))
        {
            return broker.blocking(() -> respond(data, false, true));
        }
        return CompletableFuture.completedFuture(respond(data, allTopics, false));
    }

    /** @return whether the topic is asked for by name: by id when it has one, as Kafka; kafka-clients send an empty name with it. */
    private static boolean byName(final MetadataRequestTopic topic)
    {
        return topic.name() != null && topic.topicId().equals(Uuid.ZERO_UUID);
    }

    private boolean exists(final String topic)
    {
        return broker.logs().listTopics().contains(topic);
    }

    private MetadataResponseData respond(final MetadataRequestData data, final boolean allTopics, final boolean create)
    {
        final MetadataResponseData response = new MetadataResponseData()
            .setClusterId(broker.clusterId())
            .setControllerId(Broker.NODE_ID)
            .setClusterAuthorizedOperations(AuthorizedOperations.reported(data.includeClusterAuthorizedOperations(), AuthorizedOperations.CLUSTER));
        final int topicOperations = AuthorizedOperations.reported(data.includeTopicAuthorizedOperations(), AuthorizedOperations.TOPIC);
        response.brokers().add(new MetadataResponseBroker()
            .setNodeId(Broker.NODE_ID)
            .setHost(broker.advertisedHost())
            .setPort(broker.advertisedPort()));
        if (allTopics)
        {
            for (final String name : broker.logs().listTopics())
            {
                response.topics().add(topic(name, false).setTopicAuthorizedOperations(topicOperations));
            }
            return response;
        }
        final Set<String> names = new LinkedHashSet<>();
        for (final MetadataRequestTopic requested : data.topics())
        {
            if (!byName(requested))
            {
                final String name = broker.logs().topicName(TopicIds.fromUuid(requested.topicId()));
                if (name == null)
                {
                    response.topics().add(new MetadataResponseTopic()
                        .setTopicId(requested.topicId())
                        .setErrorCode(Errors.UNKNOWN_TOPIC_ID.code())
                        .setTopicAuthorizedOperations(topicOperations));
                }
                else
                {
                    names.add(name);
                }
            }
            else
            {
                names.add(requested.name());
            }
        }
        for (final String name : names)
        {
            response.topics().add(topic(name, create).setTopicAuthorizedOperations(topicOperations));
        }
        return response;
    }

    private MetadataResponseTopic topic(final String name, final boolean create)
    {
        // The coordinators' topics are internal, as in Kafka: admin tools hide them unless asked.
        final MetadataResponseTopic topic = new MetadataResponseTopic().setName(name)
            .setIsInternal(Broker.internalTopic(name));
        try
        {
            if (create && !exists(name))
            {
                TopicName.validate(name);
                try
                {
                    broker.logs().createTopic(name, broker.config().numPartitions(), Map.of());
                }
                catch (final TopicExistsException raced)
                {
                    // Another connection created it meanwhile: describe it like any other.
                }
            }
            final int count = broker.logs().partitions(name).size();
            final List<MetadataResponsePartition> partitions = new ArrayList<>(count);
            for (int p = 0; p < count; p++)
            {
                partitions.add(new MetadataResponsePartition()
                    .setPartitionIndex(p)
                    .setLeaderId(Broker.NODE_ID)
                    .setLeaderEpoch(Broker.LEADER_EPOCH)
                    .setReplicaNodes(List.of(Broker.NODE_ID))
                    .setIsrNodes(List.of(Broker.NODE_ID))
                    .setOfflineReplicas(List.of()));
            }
            return topic.setTopicId(TopicIds.toUuid(broker.logs().topicId(name))).setPartitions(partitions);
        }
        catch (final LogException e)
        {
            return topic.setTopicId(Uuid.ZERO_UUID).setErrorCode(KafkaErrors.forException(e).code());
        }
    }
}
