package io.tidemark.runtime.broker.api;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

import io.tidemark.log.errors.InvalidConfigurationException;
import io.tidemark.log.errors.LogException;
import io.tidemark.runtime.broker.Broker;
import io.tidemark.runtime.broker.DynamicBrokerConfig;
import io.tidemark.runtime.broker.KafkaErrors;
import io.tidemark.runtime.broker.RefusalLog;
import io.tidemark.runtime.broker.Request;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.protocol.Errors;

/**
 * What AlterConfigs and IncrementalAlterConfigs share: one resource's change checked and, unless
 * the request only validates, applied. A topic's change goes to
 * {@code LogManager.alterTopicConfig}, which persists the new overrides and hands the new
 * configuration to the open logs; a bad key or value is {@code INVALID_CONFIG} naming it (and
 * logged as a refusal), an unknown topic {@code UNKNOWN_TOPIC_OR_PARTITION}, a key named twice
 * {@code INVALID_REQUEST}, as from Kafka. The coordinators' internal topics keep the
 * configuration their coordinators gave them (their compaction by rewriting needs retention
 * off). A broker's change goes to {@link DynamicBrokerConfig#alter}: the keys that set topic
 * defaults are dynamic, for the cluster-wide default (the empty name) or node 0, as in Kafka.
 */
final class ConfigAlteration
{
    /**
     * The answer for one resource.
     *
     * @param error the error, {@link Errors#NONE} if the change was made (or would be).
     * @param message why, or null.
     */
    record Outcome(Errors error, String message)
    {
    }

    private static final Outcome DONE = new Outcome(Errors.NONE, null);

    private final Broker broker;

    ConfigAlteration(final Broker broker)
    {
        this.broker = broker;
    }

    /**
     * Checks and, unless {@code validateOnly}, makes one resource's change.
     *
     * @param request the request, for the log of refusals.
     * @param resourceType the resource's type, Kafka's id.
     * @param resourceName the topic, or the broker's id (empty for the cluster-wide default).
     * @param keys the keys the request names for this resource, in order.
     * @param validateOnly whether only to check.
     * @param change given the topic's overrides (or the broker scope's dynamic keys), the new
     *        ones; may throw a {@link LogException}.
     * @return the answer for the resource.
     */
    Outcome alter(final Request request, final byte resourceType, final String resourceName, final List<String> keys,
        final boolean validateOnly, final UnaryOperator<Map<String, String>> change)
    {
        final ConfigResource.Type type = ConfigResource.Type.forId(resourceType);
        if (type == ConfigResource.Type.BROKER)
        {
            return alterBroker(request, resourceName, keys, validateOnly, change);
        }
        if (type != ConfigResource.Type.TOPIC)
        {
            return new Outcome(Errors.INVALID_REQUEST, "configurations of resource type " + type + " cannot be altered");
        }
        final Outcome repeated = repeatedKey(keys, "topic '" + resourceName + "'");
        if (repeated != null)
        {
            return repeated;
        }
        if (Broker.internalTopic(resourceName))
        {
            return new Outcome(Errors.INVALID_REQUEST, "topic '" + resourceName + "' is internal: its configuration is its coordinator's");
        }
        try
        {
            if (validateOnly)
            {
                broker.logs().checkTopicConfig(resourceName, change);
            }
            else
            {
                broker.logs().alterTopicConfig(resourceName, change);
            }
            return DONE;
        }
        catch (final InvalidConfigurationException e)
        {
            broker.refusals().refused(RefusalLog.Reason.INVALID_CONFIG, request, "topic '" + resourceName + "': " + e.getMessage());
            return new Outcome(KafkaErrors.forException(e), e.getMessage());
        }
        catch (final LogException e)
        {
            return new Outcome(KafkaErrors.forException(e), e.getMessage());
        }
    }

    /**
     * A change of the broker's dynamic keys (the cluster-wide default, the empty name, or node
     * 0's own): every refusal is {@code INVALID_REQUEST}, as from Kafka, whose broker reports a
     * key that is not dynamic and an invalid value so.
     */
    private Outcome alterBroker(final Request request, final String resourceName, final List<String> keys, final boolean validateOnly,
        final UnaryOperator<Map<String, String>> change)
    {
        if (!resourceName.equals(DynamicBrokerConfig.CLUSTER_DEFAULT) && !resourceName.equals(Integer.toString(Broker.NODE_ID)))
        {
            return new Outcome(Errors.INVALID_REQUEST, "Unexpected broker id, expected " + Broker.NODE_ID + ", but received " + resourceName);
        }
        final Outcome repeated = repeatedKey(keys, "broker '" + resourceName + "'");
        if (repeated != null)
        {
            return repeated;
        }
        try
        {
            broker.dynamicConfig().alter(resourceName, change, validateOnly, broker.logs());
            return DONE;
        }
        catch (final InvalidConfigurationException e)
        {
            broker.refusals().refused(RefusalLog.Reason.INVALID_CONFIG, request, "broker '" + resourceName + "': " + e.getMessage());
            return new Outcome(Errors.INVALID_REQUEST, e.getMessage());
        }
        catch (final LogException e)
        {
            return new Outcome(KafkaErrors.forException(e), e.getMessage());
        }
    }

    /** @return the refusal of a key named twice, or null if none is. */
    private static Outcome repeatedKey(final List<String> keys, final String resource)
    {
        final Set<String> seen = new HashSet<>();
        for (final String key : keys)
        {
            if (!seen.add(key))
            {
                return new Outcome(Errors.INVALID_REQUEST, "the request names configuration key '" + key + "' of " + resource + " more than once");
            }
        }
        return null;
    }

    /**
     * @param key a key a request sets.
     * @param value the value it gives.
     * @return the value.
     * @throws InvalidConfigurationException if the value is missing, which Kafka refuses too.
     */
    static String required(final String key, final String value)
    {
        if (value == null)
        {
            throw new InvalidConfigurationException("no value given for " + key);
        }
        return value;
    }
}
