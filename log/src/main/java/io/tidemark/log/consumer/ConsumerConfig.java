package io.tidemark.log.consumer;

import java.util.List;

import io.tidemark.log.group.PartitionAssignor;
import io.tidemark.log.group.RangeAssignor;
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
 */
public record ConsumerConfig(int maxPollRecords, int fetchMaxBytes, OffsetReset autoOffsetReset, boolean checkCrcs,
    String groupId, String clientId, int sessionTimeoutMs, int heartbeatIntervalMs, int maxPollIntervalMs,
    boolean enableAutoCommit, int autoCommitIntervalMs, List<PartitionAssignor> assignors)
{
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
    }

    /**
     * @return Kafka's defaults: 500 records, 1 MiB, latest, CRCs checked, no group, 45 s
     *         sessions with 3 s heartbeats, 5 min between polls, auto-commit every 5 s, range
     *         then sticky assignment.
     */
    public static ConsumerConfig defaults()
    {
        return new ConsumerConfig(500, 1 << 20, OffsetReset.LATEST, true, null, "consumer", 45_000, 3_000, 300_000,
            true, 5_000, List.of(new RangeAssignor(), new StickyAssignor()));
    }

    /**
     * @param reset where to start without a position.
     * @return a copy with it set.
     */
    public ConsumerConfig withAutoOffsetReset(final OffsetReset reset)
    {
        return new ConsumerConfig(maxPollRecords, fetchMaxBytes, reset, checkCrcs, groupId, clientId, sessionTimeoutMs,
            heartbeatIntervalMs, maxPollIntervalMs, enableAutoCommit, autoCommitIntervalMs, assignors);
    }

    /**
     * @param records the most records a poll returns, at least 1.
     * @return a copy with it set.
     */
    public ConsumerConfig withMaxPollRecords(final int records)
    {
        return new ConsumerConfig(records, fetchMaxBytes, autoOffsetReset, checkCrcs, groupId, clientId, sessionTimeoutMs,
            heartbeatIntervalMs, maxPollIntervalMs, enableAutoCommit, autoCommitIntervalMs, assignors);
    }

    /**
     * @param group the consumer group.
     * @param client the client's name.
     * @return a copy with them set.
     */
    public ConsumerConfig withGroup(final String group, final String client)
    {
        return new ConsumerConfig(maxPollRecords, fetchMaxBytes, autoOffsetReset, checkCrcs, group, client, sessionTimeoutMs,
            heartbeatIntervalMs, maxPollIntervalMs, enableAutoCommit, autoCommitIntervalMs, assignors);
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
            heartbeatMs, maxPollMs, enableAutoCommit, autoCommitIntervalMs, assignors);
    }

    /**
     * @param enabled whether poll commits by itself.
     * @param intervalMs how often.
     * @return a copy with them set.
     */
    public ConsumerConfig withAutoCommit(final boolean enabled, final int intervalMs)
    {
        return new ConsumerConfig(maxPollRecords, fetchMaxBytes, autoOffsetReset, checkCrcs, groupId, clientId, sessionTimeoutMs,
            heartbeatIntervalMs, maxPollIntervalMs, enabled, intervalMs, assignors);
    }

    /**
     * @param strategies the assignors, most preferred first.
     * @return a copy with them set.
     */
    public ConsumerConfig withAssignors(final List<PartitionAssignor> strategies)
    {
        return new ConsumerConfig(maxPollRecords, fetchMaxBytes, autoOffsetReset, checkCrcs, groupId, clientId, sessionTimeoutMs,
            heartbeatIntervalMs, maxPollIntervalMs, enableAutoCommit, autoCommitIntervalMs, strategies);
    }
}
