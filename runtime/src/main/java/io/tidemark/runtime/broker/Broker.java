package io.tidemark.runtime.broker;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

import io.tidemark.log.group.GroupCoordinator;
import io.tidemark.log.group.OffsetStore;
import io.tidemark.log.topic.LogManager;
import io.tidemark.log.txn.TransactionCoordinator;
import io.tidemark.runtime.broker.api.FetchSessions;

/**
 * What every API handler shares: the configuration, the log, the threads for blocking work,
 * the waiting fetches and fetch sessions, and how clients reach this broker. There is one broker, node 0, the
 * leader of every partition.
 *
 * @param config the server's configuration.
 * @param dynamicConfig the server keys changed at run time, over {@code config}.
 * @param logs the topics and their partitions' logs.
 * @param groups the group coordinator and the committed offsets.
 * @param transactions the transaction coordinator.
 * @param io threads for work that may block on the disk, off the event loops.
 * @param watchers long-polling fetches waiting for appends.
 * @param fetchSessions the incremental fetch sessions.
 * @param refusals where refused requests are logged, rate-limited, shared with the connections.
 * @param advertisedHost the host clients are told to connect to.
 * @param advertisedPort the port clients are told to connect to (the bound one).
 * @param clusterId the cluster id Metadata and DescribeCluster report, kept in the data directory.
 */
public record Broker(BrokerConfig config, DynamicBrokerConfig dynamicConfig, LogManager logs, GroupCoordinator groups, TransactionCoordinator transactions, Executor io, PartitionWatchers watchers,
    FetchSessions fetchSessions, RefusalLog refusals, String advertisedHost, int advertisedPort, String clusterId)
{
    /** The node id of the one broker. */
    public static final int NODE_ID = 0;
    /** The leader epoch of every partition, the one the log stamps on every batch. */
    public static final int LEADER_EPOCH = 0;

    /**
     * @param topic a topic name.
     * @return whether it is one of the coordinators' own topics ({@code __consumer_offsets},
     *         {@code __transaction_state}), which Kafka's tools hide unless asked and which only
     *         their coordinators write markers to.
     */
    public static boolean internalTopic(final String topic)
    {
        return OffsetStore.TOPIC.equals(topic) || TransactionCoordinator.TOPIC.equals(topic);
    }

    /**
     * Runs blocking work on the I/O threads.
     *
     * @param work what to run.
     * @param <T> its result.
     * @return its result, later.
     */
    public <T> CompletableFuture<T> blocking(final Supplier<T> work)
    {
        return CompletableFuture.supplyAsync(work, io);
    }
}
