package io.tidemark.runtime.broker.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.tidemark.log.LogConfig;
import io.tidemark.log.config.ConfigKey;
import io.tidemark.log.config.ConfigTable;
import io.tidemark.log.errors.LogException;
import io.tidemark.log.topic.TopicDescription;
import io.tidemark.runtime.broker.ApiHandler;
import io.tidemark.runtime.broker.Broker;
import io.tidemark.runtime.broker.BrokerConfig;
import io.tidemark.runtime.broker.KafkaErrors;
import io.tidemark.runtime.broker.Request;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeConfigsRequestData.DescribeConfigsResource;
import org.apache.kafka.common.message.DescribeConfigsResponseData;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResourceResult;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResult;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsSynonym;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigSource;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigType;

/**
 * DescribeConfigs, answered as a Kafka broker with its default configuration answers.
 *
 * <p>Topics: every topic key of {@link LogConfig#KEYS}, Kafka's full set, with its effective
 * value; a key the topic overrides is topic configuration, one whose server key
 * ({@code log.retention.ms} for {@code retention.ms}) the server's file sets is static broker
 * configuration, any other a default. With {@code includeSynonyms} each key lists, as Kafka
 * does, the override and the server key that sets its default (with its source); with
 * {@code includeDocumentation} the key's line of documentation. Every key has its type (v3 and
 * later); none is read-only or sensitive.
 *
 * <p>The broker (node 0, or the empty name): the server's keys, as static broker configuration
 * where the file or the command line set them and defaults otherwise. Other resource types are
 * {@code INVALID_REQUEST}.
 */
final class DescribeConfigsHandler implements ApiHandler
{
    private final Broker broker;

    DescribeConfigsHandler(final Broker broker)
    {
        this.broker = broker;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(final Request request)
    {
        final DescribeConfigsRequestData data = (DescribeConfigsRequestData)request.data();
        final DescribeConfigsResponseData response = new DescribeConfigsResponseData();
        for (final DescribeConfigsResource resource : data.resources())
        {
            response.results().add(describe(resource, data.includeSynonyms(), data.includeDocumentation()));
        }
        return CompletableFuture.completedFuture(response);
    }

    private DescribeConfigsResult describe(final DescribeConfigsResource resource, final boolean synonyms, final boolean documentation)
    {
        final DescribeConfigsResult result = new DescribeConfigsResult()
            .setResourceType(resource.resourceType())
            .setResourceName(resource.resourceName());
        final ConfigResource.Type type = ConfigResource.Type.forId(resource.resourceType());
        if (type == ConfigResource.Type.TOPIC)
        {
            try
            {
                final TopicDescription topic = broker.logs().describeTopic(resource.resourceName());
                final List<DescribeConfigsResourceResult> entries = new ArrayList<>();
                topic.config().toMap().forEach((key, value) ->
                {
                    if (resource.configurationKeys() == null || resource.configurationKeys().contains(key))
                    {
                        entries.add(topicEntry(topic, key, value, synonyms, documentation));
                    }
                });
                return result.setConfigs(entries);
            }
            catch (final LogException e)
            {
                return result.setErrorCode(KafkaErrors.forException(e).code()).setErrorMessage(e.getMessage());
            }
        }
        if (type == ConfigResource.Type.BROKER)
        {
            if (!resource.resourceName().isEmpty() && !resource.resourceName().equals(Integer.toString(Broker.NODE_ID)))
            {
                return result.setErrorCode(Errors.INVALID_REQUEST.code())
                    .setErrorMessage("unexpected broker id " + resource.resourceName() + ": the only broker is " + Broker.NODE_ID);
            }
            final BrokerConfig config = broker.config();
            final List<DescribeConfigsResourceResult> entries = new ArrayList<>();
            config.toMap().forEach((key, value) ->
            {
                if (resource.configurationKeys() == null || resource.configurationKeys().contains(key))
                {
                    final ConfigSource source = config.isSet(key) ? ConfigSource.STATIC_BROKER_CONFIG : ConfigSource.DEFAULT_CONFIG;
                    entries.add(entry(BrokerConfig.KEYS, key, value, source, documentation)
                        .setSynonyms(synonyms ? List.of(synonym(key, value, source)) : List.of()));
                }
            });
            return result.setConfigs(entries);
        }
        return result.setErrorCode(Errors.INVALID_REQUEST.code())
            .setErrorMessage("configurations of resource type " + type + " are not supported");
    }

    private DescribeConfigsResourceResult topicEntry(final TopicDescription topic, final String key, final String value,
        final boolean synonyms, final boolean documentation)
    {
        final BrokerConfig config = broker.config();
        final String serverKey = config.topicDefaultKey(key);
        final boolean serverSet = serverKey != null && config.isSet(serverKey);
        final ConfigSource source = topicSource(config, topic.overrides(), key);
        final DescribeConfigsResourceResult entry = entry(LogConfig.KEYS, key, value, source, documentation);
        if (synonyms)
        {
            // Kafka's order: the most specific first, down to the built-in default.
            if (source == ConfigSource.TOPIC_CONFIG)
            {
                entry.synonyms().add(synonym(key, value, ConfigSource.TOPIC_CONFIG));
            }
            if (serverSet)
            {
                entry.synonyms().add(synonym(serverKey, config.toMap().get(serverKey), ConfigSource.STATIC_BROKER_CONFIG));
            }
            if (serverKey != null)
            {
                entry.synonyms().add(synonym(serverKey, LogConfig.KEYS.key(key).defaultValue(), ConfigSource.DEFAULT_CONFIG));
            }
        }
        return entry;
    }

    /**
     * @param config the server's configuration.
     * @param overrides the topic's overrides.
     * @param key a topic key.
     * @return where its value comes from, as Kafka says: the topic's own configuration, the
     *         server's file (its key setting the topic default), or the default.
     */
    static ConfigSource topicSource(final BrokerConfig config, final Map<String, String> overrides, final String key)
    {
        if (overrides.containsKey(key))
        {
            return ConfigSource.TOPIC_CONFIG;
        }
        final String serverKey = config.topicDefaultKey(key);
        return serverKey != null && config.isSet(serverKey) ? ConfigSource.STATIC_BROKER_CONFIG : ConfigSource.DEFAULT_CONFIG;
    }

    private static DescribeConfigsResourceResult entry(final ConfigTable table, final String key, final String value,
        final ConfigSource source, final boolean documentation)
    {
        final ConfigKey row = table.key(key);
        return new DescribeConfigsResourceResult()
            .setName(key)
            .setValue(value)
            .setReadOnly(false)
            .setIsSensitive(false)
            .setConfigSource(source.id())
            .setConfigType(type(row).id())
            .setDocumentation(documentation ? row.doc() : null);
    }

    private static DescribeConfigsSynonym synonym(final String name, final String value, final ConfigSource source)
    {
        return new DescribeConfigsSynonym().setName(name).setValue(value).setSource(source.id());
    }

    /** @return Kafka's name for the type of a key's values. */
    private static ConfigType type(final ConfigKey row)
    {
        return switch (row.type())
        {
            case INT -> ConfigType.INT;
            case LONG -> ConfigType.LONG;
            case DOUBLE -> ConfigType.DOUBLE;
            case BOOLEAN -> ConfigType.BOOLEAN;
            case STRING, DIRECTORY -> ConfigType.STRING;
            case LIST -> ConfigType.LIST;
        };
    }
}
