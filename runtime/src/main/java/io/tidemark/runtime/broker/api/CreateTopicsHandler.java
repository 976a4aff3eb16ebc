package io.tidemark.runtime.broker.api;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import io.tidemark.log.LogConfig;
import io.tidemark.log.errors.InvalidConfigurationException;
import io.tidemark.log.errors.LogException;
import io.tidemark.log.errors.TopicExistsException;
import io.tidemark.log.topic.TopicDescription;
import io.tidemark.log.topic.TopicName;
import io.tidemark.runtime.broker.ApiHandler;
import io.tidemark.runtime.broker.Broker;
import io.tidemark.runtime.broker.BrokerConfig;
import io.tidemark.runtime.broker.KafkaErrors;
import io.tidemark.runtime.broker.RefusalLog;
import io.tidemark.runtime.broker.Request;
import io.tidemark.runtime.broker.TopicIds;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableReplicaAssignment;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableTopic;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableTopicConfig;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.message.CreateTopicsResponseData.CreatableTopicConfigs;
import org.apache.kafka.common.message.CreateTopicsResponseData.CreatableTopicResult;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * CreateTopics: each topic with its partition count (-1: {@code num.partitions}), replication
 * factor (-1 or 1: there is one broker, and Kafka's {@code INVALID_REPLICATION_FACTOR} for
 * more) or a manual assignment (every partition on broker 0), and configuration overrides
 * (Kafka's topic keys, {@code LogConfig.KEYS}; an unknown key or bad value is
 * {@code INVALID_CONFIG} naming it, and logged as a refusal with the topic). With
 * {@code validateOnly} nothing is created. Creation syncs directories: I/O threads.
 *
 * <p>One request may create at most {@code create.topics.max.partitions} partitions over all
 * its topics: the topics are taken in order, and one that would go beyond what is left is
 * refused with {@code INVALID_PARTITIONS}, naming the limit (the topics before it stand).
 */
final class CreateTopicsHandler implements ApiHandler
{
    private final Broker broker;

    CreateTopicsHandler(final Broker broker)
    {
        this.broker = broker;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(final Request request)
    {
        final CreateTopicsRequestData data = (CreateTopicsRequestData)request.data();
        return broker.blocking(() ->
        {
            final Set<String> duplicates = namedTwice(data.topics(), CreatableTopic::name);
            final CreateTopicsResponseData response = new CreateTopicsResponseData();
            int partitionsLeft = broker.config().createTopicsMaxPartitions();
            for (final CreatableTopic topic : data.topics())
            {
                final CreatableTopicResult result = duplicates.contains(topic.name()) ?
                    failed(topic.name(), Errors.INVALID_REQUEST, "the request names topic '" + topic.name() + "' more than once") :
                    create(request, topic, data.validateOnly(), partitionsLeft);
                if (result.errorCode() == Errors.NONE.code())
                {
                    partitionsLeft -= result.numPartitions();
                }
                if (response.topics().find(result.name()) == null)
                {
                    response.topics().add(result);
                }
            }
            return response;
        });
    }

    /**
     * @param topics the topics of a request.
     * @param name   a topic's name.
     * @param <T>    the request's topic type.
     * @return the names given more than once, which Kafka refuses for every mention.
     */
    static <T> Set<String> namedTwice(final Iterable<T> topics, final Function<T, String> name)
    {
        final Set<String> seen = new HashSet<>();
        final Set<String> duplicates = new HashSet<>();
        for (final T topic : topics)
        {
            if (!seen.add(name.apply(topic)))
            {
                duplicates.add(name.apply(topic));
            }
        }
        return duplicates;
    }

    private CreatableTopicResult create(final Request request, final CreatableTopic topic, final boolean validateOnly, final int partitionsLeft)
    {
        int partitions = topic.numPartitions() == -1 ? broker.config().numPartitions() : topic.numPartitions();
        if (!topic.assignments().isEmpty())
        {
            if (topic.numPartitions() != -1 || topic.replicationFactor() != -1)
            {
                return failed(topic.name(), Errors.INVALID_REQUEST,
                    "both a replica assignment and a partition count or replication factor were given");
            }
            for (final CreatableReplicaAssignment assignment : topic.assignments())
            {
                if (!assignment.brokerIds().equals(List.of(Broker.NODE_ID)) || assignment.partitionIndex() >= topic.assignments().size())
                {
                    return failed(topic.name(), Errors.INVALID_REPLICA_ASSIGNMENT,
                        "partition " + assignment.partitionIndex() + " is assigned to brokers " + assignment.brokerIds() +
                        "; the only broker is " + Broker.NODE_ID);
                }
            }
            partitions = topic.assignments().size();
        }
        else if (topic.replicationFactor() != -1 && topic.replicationFactor() != 1)
        {
            return failed(topic.name(), Errors.INVALID_REPLICATION_FACTOR, "replication factor " + topic.replicationFactor() +
                " is larger than the number of brokers: 1");
        }
        if (partitions > partitionsLeft)
        {
            final int limit = broker.config().createTopicsMaxPartitions();
            return failed(topic.name(), Errors.INVALID_PARTITIONS, "topic '" + topic.name() + "' asks for " + partitions +
                " partitions, but one request may create at most " + limit + " (" + BrokerConfig.CREATE_TOPICS_MAX_PARTITIONS + ")" +
                (partitionsLeft < limit ? ", and the topics before it in this request took " + (limit - partitionsLeft) : ""));
        }
        final Map<String, String> overrides = new LinkedHashMap<>();
        for (final CreatableTopicConfig config : topic.configs())
        {
            overrides.put(config.name(), config.value());
        }
        try
        {
            final LogConfig config;
            Uuid topicId = Uuid.ZERO_UUID;
            if (validateOnly)
            {
                TopicName.validate(topic.name());
                if (broker.logs().listTopics().contains(topic.name()))
                {
                    throw new TopicExistsException("topic '" + topic.name() + "' already exists");
                }
                if (partitions < 1)
                {
                    return failed(topic.name(), Errors.INVALID_PARTITIONS, "a topic needs at least 1 partition, not " + partitions);
                }
                config = broker.logs().defaults().withOverrides(overrides);
            }
            else
            {
                final TopicDescription created = broker.logs().createTopic(topic.name(), partitions, overrides);
                config = created.config();
                topicId = TopicIds.toUuid(created.topicId());
            }
            final List<CreatableTopicConfigs> configs = new ArrayList<>();
            config.toMap().forEach((key, value) -> configs.add(new CreatableTopicConfigs()
                .setName(key)
                .setValue(value)
                .setConfigSource(DescribeConfigsHandler.topicSource(broker, overrides, key).id())));
            return new CreatableTopicResult()
                .setName(topic.name())
                .setTopicId(topicId)
                .setNumPartitions(partitions)
                .setReplicationFactor((short)1)
                .setConfigs(configs);
        }
        catch (final InvalidConfigurationException e)
        {
            broker.refusals().refused(RefusalLog.Reason.INVALID_CONFIG, request, "topic '" + topic.name() + "': " + e.getMessage());
            return failed(topic.name(), KafkaErrors.forException(e), e.getMessage());
        }
        catch (final LogException e)
        {
            return failed(topic.name(), KafkaErrors.forException(e), e.getMessage());
        }
    }

    private static CreatableTopicResult failed(final String name, final Errors error, final String message)
    {
        return new CreatableTopicResult()
            .setName(name)
            .setErrorCode(error.code())
            .setErrorMessage(message)
            .setNumPartitions(-1)
            .setReplicationFactor((short)-1);
    }
}
