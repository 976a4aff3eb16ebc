package io.tidemark.log.consumer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import io.tidemark.log.IsolationLevel;
import io.tidemark.log.errors.InvalidConfigurationException;

import io.tidemark.log.group.PartitionAssignor;
import io.tidemark.log.group.RangeAssignor;
import io.tidemark.log.group.RoundRobinAssignor;
import io.tidemark.log.group.StickyAssignor;

/**
 * The consumer's settings, with Kafka's meanings.
 *
 * @param maxPollRecords {@code max.poll.records}: the most records one poll returns.
 * @param fetchMaxBytes {@code max.partition.fetch.bytes}: the bytes read from one partition
 *        at a time (a larger batch is still read whole).
 * @param autoOffsetReset {@code auto.offset.reset}.
 * @param checkCrcs {@code check.crcs}: whether to verify every batch's CRC before using it.
 * @param groupId {@code group.id}: the consumer group, or null for none (then offsets cannot
 *        be committed and {@link Consumer#subscribe} is not available).
 * @param clientId {@code client.id}: a name for the member ids and descriptions.
 * @param sessionTimeoutMs {@code session.timeout.ms}: how long the coordinator waits for a
 *        heartbeat before it removes this consumer from the group.
 * @param heartbeatIntervalMs {@code heartbeat.interval.ms}: how often the background thread
 *        sends one; a third of the session timeout or less.
 * @param maxPollIntervalMs {@code max.poll.interval.ms}: the longest time between polls
 *        before the consumer counts itself as stuck and leaves the group.
 * @param enableAutoCommit {@code enable.auto.commit}: commit the positions from poll.
 * @param autoCommitIntervalMs {@code auto.commit.interval.ms}: how often.
 * @param assignors {@code partition.assignment.strategy}: the assignors this consumer
 *        supports, most preferred first.
 * @param isolationLevel {@code isolation.level}: whether polls return records of open and
 *        aborted transactions (read_uncommitted) or only committed ones (read_committed).
 */
public record ConsumerConfig(int maxPollRecords, int fetchMaxBytes, OffsetReset autoOffsetReset, boolean checkCrcs,
    String groupId, String clientId, int sessionTimeoutMs, int heartbeatIntervalMs, int maxPollIntervalMs,
    boolean enableAutoCommit, int autoCommitIntervalMs, List<PartitionAssignor> assignors, IsolationLevel isolationLevel)
{
    private static final Set<String> KEYS = Set.of("group.id", "client.id", "auto.offset.reset", "max.poll.records",
        "max.partition.fetch.bytes", "check.crcs", "session.timeout.ms", "heartbeat.interval.ms", "max.poll.interval.ms",
        "enable.auto.commit", "auto.commit.interval.ms", "partition.assignment.strategy", "isolation.level");

    /**
     * Checks the settings.
     */
    public ConsumerConfig
    {
        if (maxPollRecords < 1)
        {
            throw new IllegalArgumentException("max.poll.records must be at least 1");
        }
        if (sessionTimeoutMs < 1 || heartbeatIntervalMs < 1 || heartbeatIntervalMs >= sessionTimeoutMs || maxPollIntervalMs < 1 ||
            autoCommitIntervalMs < 1)
        {
            throw new IllegalArgumentException("timeouts must be positive and heartbeat.interval.ms (" + heartbeatIntervalMs +
                ") below session.timeout.ms (" + sessionTimeoutMs + ")");
        }
        if (assignors.isEmpty())
        {
            throw new IllegalArgumentException("partition.assignment.strategy needs at least one assignor");
        }
        assignors = List.copyOf(assignors);
        Objects.requireNonNull(isolationLevel, "isolation.level");
    }

    /**
     * The settings of a consumer that reads uncommitted, as before {@code isolation.level} existed.
     *
     * @param maxPollRecords {@code max.poll.records}.
     * @param fetchMaxBytes {@code max.partition.fetch.bytes}.
     * @param autoOffsetReset {@code auto.offset.reset}.
     * @param checkCrcs {@code check.crcs}.
     * @param groupId {@code group.id}, or null.
     * @param clientId {@code client.id}.
     * @param sessionTimeoutMs {@code session.timeout.ms}.
     * @param heartbeatIntervalMs {@code heartbeat.interval.ms}.
     * @param maxPollIntervalMs {@code max.poll.interval.ms}.
     * @param enableAutoCommit {@code enable.auto.commit}.
     * @param autoCommitIntervalMs {@code auto.commit.interval.ms}.
     * @param assignors {@code partition.assignment.strategy}.
     */
    public ConsumerConfig(final int maxPollRecords, final int fetchMaxBytes, final OffsetReset autoOffsetReset, final boolean checkCrcs,
        final String groupId, final String clientId, final int sessionTimeoutMs, final int heartbeatIntervalMs, final int maxPollIntervalMs,
        final boolean enableAutoCommit, final int autoCommitIntervalMs, final List<PartitionAssignor> assignors)
    {
        this(maxPollRecords, fetchMaxBytes, autoOffsetReset, checkCrcs, groupId, clientId, sessionTimeoutMs, heartbeatIntervalMs,
            maxPollIntervalMs, enableAutoCommit, autoCommitIntervalMs, assignors, IsolationLevel.READ_UNCOMMITTED);
    }

    /**
     * @return Kafka's defaults: 500 records, 1 MiB, latest, CRCs checked, no group, 45 s
     *         sessions with 3 s heartbeats, 5 min between polls, auto-commit every 5 s, range
     *         then sticky assignment, read_uncommitted.
     */
    public static ConsumerConfig defaults()
    {
        return new ConsumerConfig(500, 1 << 20, OffsetReset.LATEST, true, null, "consumer", 45_000, 3_000, 300_000,
            true, 5_000, List.of(new RangeAssignor(), new StickyAssignor()));
    }

    /**
     * @param overrides Kafka's keys as text: {@code group.id}, {@code client.id},
     *        {@code auto.offset.reset}, {@code max.poll.records}, {@code max.partition.fetch.bytes},
     *        {@code check.crcs}, {@code session.timeout.ms}, {@code heartbeat.interval.ms},
     *        {@code max.poll.interval.ms}, {@code enable.auto.commit}, {@code auto.commit.interval.ms},
     *        {@code partition.assignment.strategy} (comma-separated: range, roundrobin, sticky,
     *        or the names of Kafka's classes for them), {@code isolation.level}.
     * @return the defaults with the overrides applied.
     * @throws InvalidConfigurationException for an unknown key or a bad value.
     */
    public static ConsumerConfig fromMap(final Map<String, String> overrides)
    {
        final Map<String, String> v = new HashMap<>();
        final ConsumerConfig d = defaults();
        overrides.forEach((key, value) -> v.put(key, value.trim()));
        for (final String key : v.keySet())
        {
            if (!KEYS.contains(key))
            {
                throw new InvalidConfigurationException("unknown consumer configuration key '" + key + "'; known keys: " + new TreeSet<>(KEYS));
            }
        }
        try
        {
            return new ConsumerConfig(
                Integer.parseInt(v.getOrDefault("max.poll.records", String.valueOf(d.maxPollRecords()))),
                Integer.parseInt(v.getOrDefault("max.partition.fetch.bytes", String.valueOf(d.fetchMaxBytes()))),
                OffsetReset.parse(v.getOrDefault("auto.offset.reset", "latest")),
                bool(v.getOrDefault("check.crcs", "true")),
                v.getOrDefault("group.id", d.groupId()),
                v.getOrDefault("client.id", d.clientId()),
                Integer.parseInt(v.getOrDefault("session.timeout.ms", String.valueOf(d.sessionTimeoutMs()))),
                Integer.parseInt(v.getOrDefault("heartbeat.interval.ms", String.valueOf(d.heartbeatIntervalMs()))),
                Integer.parseInt(v.getOrDefault("max.poll.interval.ms", String.valueOf(d.maxPollIntervalMs()))),
                bool(v.getOrDefault("enable.auto.commit", "true")),
                Integer.parseInt(v.getOrDefault("auto.commit.interval.ms", String.valueOf(d.autoCommitIntervalMs()))),
                v.containsKey("partition.assignment.strategy") ? assignors(v.get("partition.assignment.strategy")) : d.assignors(),
                v.containsKey("isolation.level") ? IsolationLevel.fromConfig(v.get("isolation.level")) : d.isolationLevel());
        }
        catch (final IllegalArgumentException e)
        {
            throw new InvalidConfigurationException("invalid consumer configuration " + overrides + ": " + e.getMessage());
        }
    }

    private static boolean bool(final String value)
    {
        return switch (value)
        {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("'" + value + "' is not true or false");
        };
    }

    private static List<PartitionAssignor> assignors(final String names)
    {
        final List<PartitionAssignor> assignors = new ArrayList<>();
        for (final String name : names.split(","))
        {
            assignors.add(switch (name.trim())
            {
                case "range", "org.apache.kafka.clients.consumer.RangeAssignor" -> new RangeAssignor();
                case "roundrobin", "org.apache.kafka.clients.consumer.RoundRobinAssignor" -> new RoundRobinAssignor();
                case "sticky", "org.apache.kafka.clients.consumer.StickyAssignor" -> new StickyAssignor();
                default -> throw new IllegalArgumentException("unknown assignor '" + name.trim() + "' (range, roundrobin, sticky)");
            });
        }
        return assignors;
    }

    /**
     * @param reset where to start without a position.
     * @return a copy with it set.
     */
    public ConsumerConfig withAutoOffsetReset(final OffsetReset reset)
    {
        return new ConsumerConfig(maxPollRecords, fetchMaxBytes, reset, checkCrcs, groupId, clientId, sessionTimeoutMs,
            heartbeatIntervalMs, maxPollIntervalMs, enableAutoCommit, autoCommitIntervalMs, assignors, isolationLevel);
    }

    /**
     * @param records the most records a poll returns, at least 1.
     * @return a copy with it set.
     */
    public ConsumerConfig withMaxPollRecords(final int records)
    {
        return new ConsumerConfig(records, fetchMaxBytes, autoOffsetReset, checkCrcs, groupId, clientId, sessionTimeoutMs,
            heartbeatIntervalMs, maxPollIntervalMs, enableAutoCommit, autoCommitIntervalMs, assignors, isolationLevel);
    }

    /**
     * @param group the consumer group.
     * @param client the client's name.
     * @return a copy with them set.
     */
    public ConsumerConfig withGroup(final String group, final String client)
    {
        return new ConsumerConfig(maxPollRecords, fetchMaxBytes, autoOffsetReset, checkCrcs, group, client, sessionTimeoutMs,
            heartbeatIntervalMs, maxPollIntervalMs, enableAutoCommit, autoCommitIntervalMs, assignors, isolationLevel);
    }

    /**
     * @param sessionMs {@code session.timeout.ms}.
     * @param heartbeatMs {@code heartbeat.interval.ms}.
     * @param maxPollMs {@code max.poll.interval.ms}.
     * @return a copy with them set.
     */
    public ConsumerConfig withTimeouts(final int sessionMs, final int heartbeatMs, final int maxPollMs)
    {
        return new ConsumerConfig(maxPollRecords, fetchMaxBytes, autoOffsetReset, checkCrcs, groupId, clientId, sessionMs,
            heartbeatMs, maxPollMs, enableAutoCommit, autoCommitIntervalMs, assignors, isolationLevel);
    }

    /**
     * @param enabled whether poll commits by itself.
     * @param intervalMs how often.
     * @return a copy with them set.
     */
    public ConsumerConfig withAutoCommit(final boolean enabled, final int intervalMs)
    {
        return new ConsumerConfig(maxPollRecords, fetchMaxBytes, autoOffsetReset, checkCrcs, groupId, clientId, sessionTimeoutMs,
            heartbeatIntervalMs, maxPollIntervalMs, enabled, intervalMs, assignors, isolationLevel);
    }

    /**
     * @param level {@code isolation.level}.
     * @return a copy with it set.
     */
    public ConsumerConfig withIsolationLevel(final IsolationLevel level)
    {
        return new ConsumerConfig(maxPollRecords, fetchMaxBytes, autoOffsetReset, checkCrcs, groupId, clientId, sessionTimeoutMs,
            heartbeatIntervalMs, maxPollIntervalMs, enableAutoCommit, autoCommitIntervalMs, assignors, level);
    }

    /**
     * @param strategies the assignors, most preferred first.
     * @return a copy with them set.
     */
    public ConsumerConfig withAssignors(final List<PartitionAssignor> strategies)
    {
        return new ConsumerConfig(maxPollRecords, fetchMaxBytes, autoOffsetReset, checkCrcs, groupId, clientId, sessionTimeoutMs,
            heartbeatIntervalMs, maxPollIntervalMs, enableAutoCommit, autoCommitIntervalMs, strategies, isolationLevel);
    }
}
