package io.tidemark.runtime.broker.api;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

import io.tidemark.log.LogConfig;
import io.tidemark.log.config.ConfigKey;
import io.tidemark.log.config.ConfigTable;
import io.tidemark.log.config.ConfigType;
import io.tidemark.log.errors.InvalidConfigurationException;
import io.tidemark.runtime.broker.ApiHandler;
import io.tidemark.runtime.broker.Broker;
import io.tidemark.runtime.broker.BrokerConfig;
import io.tidemark.runtime.broker.Request;
import org.apache.kafka.clients.admin.AlterConfigOp.OpType;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData.AlterConfigsResource;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData.AlterableConfig;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * IncrementalAlterConfigs: per topic, SET a key, DELETE its override (back to its default), or
 * APPEND items to a list key or SUBTRACT items from it, starting from its override or else its
 * default, as Kafka does; per broker scope (the cluster-wide default or node 0) the same with
 * the server's dynamic keys. The operations of one resource apply together or not at all; checked,
 * persisted and applied as {@link ConfigAlteration} says. Writes a file: I/O threads.
 */
final class IncrementalAlterConfigsHandler implements ApiHandler
{
    private final Broker broker;
    private final ConfigAlteration alteration;

    IncrementalAlterConfigsHandler(final Broker broker)
    {
        this.broker = broker;
        this.alteration = new ConfigAlteration(broker);
    }

    @Override
    public CompletableFuture<ApiMessage> handle(final Request request)
    {
        final IncrementalAlterConfigsRequestData data = (IncrementalAlterConfigsRequestData)request.data();
        return broker.blocking(() ->
        {
            final IncrementalAlterConfigsResponseData response = new IncrementalAlterConfigsResponseData();
            for (final AlterConfigsResource resource : data.resources())
            {
                final ConfigAlteration.Outcome outcome = alter(request, resource, data.validateOnly());
                response.responses().add(new AlterConfigsResourceResponse()
                    .setResourceType(resource.resourceType())
                    .setResourceName(resource.resourceName())
                    .setErrorCode(outcome.error().code())
                    .setErrorMessage(outcome.message()));
            }
            return response;
        });
    }

    private ConfigAlteration.Outcome alter(final Request request, final AlterConfigsResource resource, final boolean validateOnly)
    {
        final List<String> keys = new ArrayList<>();
        for (final AlterableConfig config : resource.configs())
        {
            if (operation(config) == null)
            {
                return new ConfigAlteration.Outcome(Errors.INVALID_REQUEST, "unknown operation " + config.configOperation() + " on " +
                    config.name() + ": SET (0), DELETE (1), APPEND (2) or SUBTRACT (3)");
            }
            keys.add(config.name());
        }
        // A broker's keys are the server's, a topic's the log's.
        final ConfigTable table = resource.resourceType() == ConfigResource.Type.BROKER.id() ? BrokerConfig.KEYS : LogConfig.KEYS;
        return alteration.alter(request, resource.resourceType(), resource.resourceName(), keys, validateOnly, current ->
        {
            final Map<String, String> next = new TreeMap<>(current);
            for (final AlterableConfig config : resource.configs())
            {
                switch (operation(config))
                {
                    case SET -> next.put(config.name(), ConfigAlteration.required(config.name(), config.value()));
                    case DELETE ->
                    {
                        known(table, config.name());
                        next.remove(config.name());
                    }
                    case APPEND, SUBTRACT -> next.put(config.name(), changeList(table, next, config));
                }
            }
            return next;
        });
    }

    /** @return the operation, or null for an id Kafka does not define. */
    private static OpType operation(final AlterableConfig config)
    {
        return OpType.forId(config.configOperation());
    }

    private static ConfigKey known(final ConfigTable table, final String key)
    {
        final ConfigKey row = table.key(key);
        if (row == null)
        {
            throw table.unknown(key);
        }
        return row;
    }

    /** @return the list key's items after the APPEND or SUBTRACT, from its override or else its default. */
    private static String changeList(final ConfigTable table, final Map<String, String> overrides, final AlterableConfig config)
    {
        final ConfigKey row = known(table, config.name());
        final OpType op = operation(config);
        if (row.type() != ConfigType.LIST)
        {
            throw new InvalidConfigurationException("cannot " + op + " to " + config.name() + ": it is not a list");
        }
        final String current = (String)row.parse(overrides.getOrDefault(config.name(), row.defaultValue()));
        final Set<String> items = new LinkedHashSet<>(current.isEmpty() ? List.of() : List.of(current.split(",")));
        for (final String item : ConfigAlteration.required(config.name(), config.value()).split(","))
        {
            if (op == OpType.APPEND)
            {
                items.add(item.trim());
            }
            else
            {
                items.remove(item.trim());
            }
        }
        return String.join(",", items);
    }
}
