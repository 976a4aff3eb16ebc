package io.tidemark.log.group;

import java.util.List;

import io.tidemark.log.errors.InvalidConfigurationException;

/**
 * The settings of the consumer group protocol (KIP-848), with the meaning of Kafka's broker
 * settings of the same names.
 *
 * @param heartbeatIntervalMs {@code group.consumer.heartbeat.interval.ms}: how often members heartbeat.
 * @param sessionTimeoutMs {@code group.consumer.session.timeout.ms}: a member silent this long is removed.
 * @param assignors {@code group.consumer.assignors}: the server-side assignors offered, the
 *        first being the default ({@code uniform}, {@code range}).
 */
public record ConsumerProtocolConfig(int heartbeatIntervalMs, int sessionTimeoutMs, List<String> assignors)
{
    /**
     * Checks the settings.
     */
    public ConsumerProtocolConfig
    {
        assignors = List.copyOf(assignors);
        if (heartbeatIntervalMs <= 0 || sessionTimeoutMs <= heartbeatIntervalMs)
        {
            throw new InvalidConfigurationException("group.consumer.heartbeat.interval.ms (" + heartbeatIntervalMs +
                ") must be positive and below group.consumer.session.timeout.ms (" + sessionTimeoutMs + ")");
        }
        if (assignors.isEmpty() || !TargetAssignor.NAMES.containsAll(assignors))
        {
            throw new InvalidConfigurationException("group.consumer.assignors must name at least one of " + TargetAssignor.NAMES +
                ", not " + assignors);
        }
    }

    /**
     * @return Kafka's defaults: 5 s heartbeats, 45 s sessions, {@code uniform} then {@code range}.
     */
    public static ConsumerProtocolConfig defaults()
    {
        return new ConsumerProtocolConfig(5_000, 45_000, List.of(TargetAssignor.UNIFORM, TargetAssignor.RANGE));
    }
}
