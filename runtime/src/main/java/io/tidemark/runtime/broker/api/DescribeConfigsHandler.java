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
import io.tidemark.runtime.broker.DynamicBrokerConfig;
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
 * ({@code log.retention.ms} for {@code retention.ms}) node 0's dynamic configuration sets is
 * dynamic broker configuration, then the dynamic cluster-wide default, then the server's file
 * (static broker configuration), any other a default. With {@code includeSynonyms} each key
 * lists, as Kafka does, every one of those that has a value, most specific first; with
 * {@code includeDocumentation} the key's line of documentation. Every key has its type (v3 and
 * later); none is read-only or sensitive.
 *
 * <p>Node 0: the server's keys, by the same layers. The empty name, the cluster-wide default:
 * only its dynamic keys, as Kafka lists them. Other resource types are {@code INVALID_REQUEST}.
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
            final List<DescribeConfigsResourceResult> entries = new ArrayList<>();
            final Map<String, String> keys = resource.resourceName().isEmpty()
                ? broker.dynamicConfig().values(DynamicBrokerConfig.CLUSTER_DEFAULT) : broker.config().toMap();
            keys.forEach((key, value) ->
            {
                if (resource.configurationKeys() == null || resource.configurationKeys().contains(key))
                {
                    final List<DescribeConfigsSynonym> layers = serverLayers(broker, key, resource.resourceName().isEmpty());
                    final String effective = layers.isEmpty() ? value : layers.get(0).value();
                    entries.add(entry(BrokerConfig.KEYS, key, effective, source(layers), documentation)
                        .setSynonyms(synonyms ? layers : List.of()));
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
        final List<DescribeConfigsSynonym> layers = topicLayers(broker, topic.overrides(), key, value);
        return entry(LogConfig.KEYS, key, value, source(layers), documentation).setSynonyms(synonyms ? layers : new ArrayList<>());
    }

    /**
     * @param broker the broker, for the server's configuration, file and dynamic.
     * @param overrides the topic's overrides.
     * @param key a topic key.
     * @return where its value comes from, as Kafka says: the topic's own configuration, node 0's
     *         dynamic configuration, the dynamic cluster-wide default, the server's file (each
     *         by its key setting the topic default), or the default.
     */
    static ConfigSource topicSource(final Broker broker, final Map<String, String> overrides, final String key)
    {
        return source(topicLayers(broker, overrides, key, overrides.get(key)));
    }

    private static ConfigSource source(final List<DescribeConfigsSynonym> layers)
    {
        return layers.isEmpty() ? ConfigSource.DEFAULT_CONFIG : ConfigSource.forId(layers.get(0).source());
    }

    /** @return the synonyms of a topic key, Kafka's order: the most specific first, down to the built-in default. */
    private static List<DescribeConfigsSynonym> topicLayers(final Broker broker, final Map<String, String> overrides, final String key,
        final String value)
    {
        final String serverKey = broker.config().topicDefaultKey(key);
        final List<DescribeConfigsSynonym> layers = new ArrayList<>();
        if (overrides.containsKey(key))
        {
            layers.add(synonym(key, value, ConfigSource.TOPIC_CONFIG));
        }
        if (serverKey != null)
        {
            layers.addAll(serverLayers(broker, serverKey, false));
        }
        return layers;
    }

    /**
     * @param broker the broker, for the server's configuration, file and dynamic.
     * @param serverKey a server key.
     * @param clusterDefaultOnly whether only the dynamic cluster-wide default counts (Kafka's
     *        description of the empty broker name).
     * @return where its value comes from, most specific first: node 0's dynamic value, the
     *         dynamic cluster-wide default, the server's file, the built-in default; each that
     *         has a value.
     */
    private static List<DescribeConfigsSynonym> serverLayers(final Broker broker, final String serverKey, final boolean clusterDefaultOnly)
    {
        final DynamicBrokerConfig dynamic = broker.dynamicConfig();
        final BrokerConfig config = broker.config();
        final List<DescribeConfigsSynonym> layers = new ArrayList<>();
        if (!clusterDefaultOnly && dynamic.brokerValue(serverKey) != null)
        {
            layers.add(synonym(serverKey, dynamic.brokerValue(serverKey), ConfigSource.DYNAMIC_BROKER_CONFIG));
        }
        if (dynamic.defaultValue(serverKey) != null)
        {
            layers.add(synonym(serverKey, dynamic.defaultValue(serverKey), ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG));
        }
        if (clusterDefaultOnly)
        {
            return layers;
        }
        if (config.isSet(serverKey))
        {
            layers.add(synonym(serverKey, config.toMap().get(serverKey), ConfigSource.STATIC_BROKER_CONFIG));
        }
        final String builtIn = BrokerConfig.KEYS.key(serverKey).defaultValue();
        if (builtIn != null)
        {
            layers.add(synonym(serverKey, builtIn, ConfigSource.DEFAULT_CONFIG));
        }
        return layers;
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
