package io.tidemark.runtime.broker.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.tidemark.runtime.broker.ApiHandler;
import io.tidemark.runtime.broker.Broker;
import io.tidemark.runtime.broker.Request;
import org.apache.kafka.common.message.AlterConfigsRequestData;
import org.apache.kafka.common.message.AlterConfigsRequestData.AlterConfigsResource;
import org.apache.kafka.common.message.AlterConfigsRequestData.AlterableConfig;
import org.apache.kafka.common.message.AlterConfigsResponseData;
import org.apache.kafka.common.message.AlterConfigsResponseData.AlterConfigsResourceResponse;
import org.apache.kafka.common.protocol.ApiMessage;

/**
 * AlterConfigs, Kafka's older way (Admin's deprecated {@code alterConfigs}): the keys given
 * become the topic's whole set of overrides (or a broker scope's whole set of dynamic keys), and
 * every key not given goes back to its default.
 * Checked, persisted and applied as {@link ConfigAlteration} says; writes a file: I/O threads.
 */
final class AlterConfigsHandler implements ApiHandler
{
    private final Broker broker;
    private final ConfigAlteration alteration;

    AlterConfigsHandler(final Broker broker)
    {
        this.broker = broker;
        this.alteration = new ConfigAlteration(broker);
    }

    @Override
    public CompletableFuture<ApiMessage> handle(final Request request)
    {
        final AlterConfigsRequestData data = (AlterConfigsRequestData)request.data();
        return broker.blocking(() ->
        {
            final AlterConfigsResponseData response = new AlterConfigsResponseData();
            for (final AlterConfigsResource resource : data.resources())
            {
                final List<String> keys = resource.configs().stream().map(AlterableConfig::name).toList();
                final ConfigAlteration.Outcome outcome = alteration.alter(request, resource.resourceType(), resource.resourceName(), keys,
                    data.validateOnly(), current ->
                    {
                        final Map<String, String> replaced = new LinkedHashMap<>();
                        for (final AlterableConfig config : resource.configs())
                        {
                            replaced.put(config.name(), ConfigAlteration.required(config.name(), config.value()));
                        }
                        return replaced;
                    });
                response.responses().add(new AlterConfigsResourceResponse()
                    .setResourceType(resource.resourceType())
                    .setResourceName(resource.resourceName())
                    .setErrorCode(outcome.error().code())
                    .setErrorMessage(outcome.message()));
            }
            return response;
        });
    }
}
