package io.tidemark.runtime.broker.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.tidemark.log.errors.LogException;
import io.tidemark.log.topic.TopicDescription;
import io.tidemark.runtime.broker.ApiHandler;
import io.tidemark.runtime.broker.Broker;
import io.tidemark.runtime.broker.KafkaErrors;
import io.tidemark.runtime.broker.Request;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeConfigsRequestData.DescribeConfigsResource;
import org.apache.kafka.common.message.DescribeConfigsResponseData;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResourceResult;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResult;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigSource;

/**
 * DescribeConfigs for topics (the effective log configuration; keys the topic overrides are
 * marked as topic configuration, the rest as defaults) and for the broker (node 0, or the
 * empty name: the server's configuration). Other resource types are {@code INVALID_REQUEST}.
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
            response.results().add(describe(resource));
        }
        return CompletableFuture.completedFuture(response);
    }

    private DescribeConfigsResult describe(final DescribeConfigsResource resource)
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
                return result.setConfigs(entries(topic.config().toMap(), topic.overrides(), ConfigSource.TOPIC_CONFIG,
                    ConfigSource.DEFAULT_CONFIG, resource.configurationKeys()));
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
            final Map<String, String> config = broker.config().toMap();
            return result.setConfigs(entries(config, config, ConfigSource.STATIC_BROKER_CONFIG, ConfigSource.STATIC_BROKER_CONFIG,
                resource.configurationKeys()));
        }
        return result.setErrorCode(Errors.INVALID_REQUEST.code())
            .setErrorMessage("configurations of resource type " + type + " are not supported");
    }

    private static List<DescribeConfigsResourceResult> entries(final Map<String, String> config, final Map<String, String> set,
        final ConfigSource setSource, final ConfigSource defaultSource, final List<String> keys)
    {
        final List<DescribeConfigsResourceResult> entries = new ArrayList<>();
        config.forEach((key, value) ->
        {
            if (keys == null || keys.contains(key))
            {
                entries.add(new DescribeConfigsResourceResult()
                    .setName(key)
                    .setValue(value)
                    .setReadOnly(false)
                    .setIsSensitive(false)
                    .setConfigSource((set.containsKey(key) ? setSource : defaultSource).id()));
            }
        });
        return entries;
    }
}
