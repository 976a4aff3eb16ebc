package io.tidemark.log.consumer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.tidemark.log.TopicPartition;
import io.tidemark.log.errors.CommitFailedException;
import io.tidemark.log.errors.IllegalGenerationException;
import io.tidemark.log.errors.LogException;
import io.tidemark.log.errors.RebalanceInProgressException;
import io.tidemark.log.errors.UnknownMemberIdException;
import io.tidemark.log.errors.UnknownTopicOrPartitionException;
import io.tidemark.log.group.Assignment;
import io.tidemark.log.group.ConsumerProtocol;
import io.tidemark.log.group.GroupCoordinator;
import io.tidemark.log.group.JoinGroupRequest;
import io.tidemark.log.group.JoinGroupResult;
import io.tidemark.log.group.OffsetAndMetadata;
import io.tidemark.log.group.PartitionAssignor;
import io.tidemark.log.group.Subscription;
import io.tidemark.log.topic.LogManager;

/**
 * A subscribed consumer's side of the group protocol (Kafka's "consumer coordinator"): it
 * joins and syncs on the consumer's thread, during {@link Consumer#poll}, and heartbeats on a
 * background thread, which also notices a consumer that has not polled within
 * {@code max.poll.interval.ms} and takes it out of the group so that its partitions move on.
 *
 * <p>The two threads share the member id, generation and the rebalance in flight, guarded by
 * this object's monitor; the futures of a join or sync are awaited outside it.
 */
final class GroupMembership implements AutoCloseable
{
    private static final long METADATA_CHECK_NS = TimeUnit.SECONDS.toNanos(1);

    private final GroupCoordinator coordinator;
    private final LogManager logs;
    private final ConsumerConfig config;
    private final ScheduledExecutorService heartbeats;
    private List<String> topics = List.of();
    private String memberId = "";
    private int generation = -1;
    private boolean active;
    private boolean rejoinNeeded = true;
    private boolean lost;
    private CompletableFuture<JoinGroupResult> pendingJoin;
    private CompletableFuture<byte[]> pendingSync;
    private volatile long lastPollNanos = System.nanoTime();
    /** As leader: the partition count of each subscribed topic the last assignment was made for. */
    private Map<String, Integer> assignedFor = Map.of();
    private boolean leader;
    private long nextMetadataCheckNanos;

    GroupMembership(final GroupCoordinator coordinator, final LogManager logs, final ConsumerConfig config)
    {
        this.coordinator = coordinator;
        this.logs = logs;
        this.config = config;
        this.heartbeats = Executors.newSingleThreadScheduledExecutor(r ->
        {
            final Thread thread = new Thread(r, "tidemark-heartbeat-" + config.clientId());
            thread.setDaemon(true);
            return thread;
        });
        heartbeats.scheduleWithFixedDelay(this::heartbeat, config.heartbeatIntervalMs(), config.heartbeatIntervalMs(),
            TimeUnit.MILLISECONDS);
    }

    synchronized void subscribe(final List<String> topics)
    {
        this.topics = List.copyOf(topics);
        rejoinNeeded = true;
    }

    void polled()
    {
        lastPollNanos = System.nanoTime();
    }

    /**
     * @return whether the consumer must give up its partitions and join again: the group is
     *         rebalancing, or this consumer was removed from it.
     */
    synchronized boolean needsRejoin()
    {
        return rejoinNeeded && pendingJoin == null && pendingSync == null;
    }

    /**
     * @return whether the partitions were lost (taken from this consumer by the coordinator)
     *         rather than being revoked in an orderly rebalance.
     */
    synchronized boolean lost()
    {
        return lost;
    }

    /**
     * Sends a join with the partitions owned until now, for the sticky assignor.
     *
     * @param owned the partitions owned until now.
     */
    synchronized void startJoin(final List<TopicPartition> owned)
    {
        final List<JoinGroupRequest.Protocol> protocols = new ArrayList<>();
        final byte[] subscription = ConsumerProtocol.encodeSubscription(Subscription.of(topics, lost ? List.of() : owned, generation));
        for (final PartitionAssignor assignor : config.assignors())
        {
            protocols.add(new JoinGroupRequest.Protocol(assignor.name(), subscription));
        }
        active = false;
        lost = false;
        rejoinNeeded = false;
        try
        {
            pendingJoin = coordinator.joinGroup(new JoinGroupRequest(config.groupId(), memberId, config.clientId(),
                ConsumerProtocol.PROTOCOL_TYPE, protocols, config.sessionTimeoutMs(), config.maxPollIntervalMs()));
        }
        catch (final UnknownMemberIdException e)
        {
            reset(true);
        }
    }

    /**
     * Waits, until the deadline at most, for the rebalance in flight to give this consumer its
     * partitions; as leader, computes everyone's.
     *
     * @param deadlineNanos when to stop waiting.
     * @return the new assignment, or null if there is none yet.
     */
    List<TopicPartition> awaitAssignment(final long deadlineNanos)
    {
        final CompletableFuture<JoinGroupResult> join;
        synchronized (this)
        {
            join = pendingJoin;
        }
        if (join != null)
        {
            final JoinGroupResult result = await(join, deadlineNanos);
            if (result == null)
            {
                return null;
            }
            final Map<String, byte[]> assignments = result.isLeader() ? assign(result) : Map.of();
            leader = result.isLeader();
            synchronized (this)
            {
                if (pendingJoin != join)
                {
                    return null;
                }
                pendingJoin = null;
                memberId = result.memberId();
                generation = result.generationId();
                try
                {
                    pendingSync = coordinator.syncGroup(config.groupId(), generation, memberId, assignments);
                }
                catch (final LogException e)
                {
                    failed(e);
                    return null;
                }
            }
        }
        final CompletableFuture<byte[]> sync;
        synchronized (this)
        {
            sync = pendingSync;
        }
        if (sync == null)
        {
            return null;
        }
        final byte[] bytes = await(sync, deadlineNanos);
        if (bytes == null)
        {
            return null;
        }
        synchronized (this)
        {
            if (pendingSync != sync)
            {
                return null;
            }
            pendingSync = null;
            active = true;
            return ConsumerProtocol.decodeAssignment(bytes).partitions();
        }
    }

    /**
     * As the group's leader, looks (at most once a second) whether a subscribed topic has
     * appeared or changed its partition count since the last assignment, and if so asks for a
     * rebalance, as Kafka's leader does when its metadata refresh shows a change.
     */
    synchronized void checkMetadata()
    {
        final long now = System.nanoTime();
        if (!leader || !active || now - nextMetadataCheckNanos < 0)
        {
            return;
        }
        nextMetadataCheckNanos = now + METADATA_CHECK_NS;
        final Map<String, Integer> current = new HashMap<>();
        for (final String topic : topics)
        {
            try
            {
                current.put(topic, logs.partitions(topic).size());
            }
            catch (final UnknownTopicOrPartitionException e)
            {
                // not there (yet)
            }
        }
        if (!current.equals(assignedFor))
        {
            rejoinNeeded = true;
        }
    }

    synchronized ConsumerGroupMetadata metadata()
    {
        return new ConsumerGroupMetadata(config.groupId(), active ? generation : -1, memberId);
    }

    /**
     * @return whether this consumer owns its assignment in the current generation.
     */
    synchronized boolean isActive()
    {
        return active;
    }

    /**
     * Commits as a member of the current generation.
     *
     * @param offsets the offsets.
     * @throws CommitFailedException if the group has moved on without this consumer.
     * @throws RebalanceInProgressException if the group is assigning partitions: poll, then retry.
     */
    synchronized void commit(final Map<TopicPartition, OffsetAndMetadata> offsets)
    {
        if (!active)
        {
            throw new CommitFailedException("group " + config.groupId() + ": this consumer owns no partitions in the current " +
                "generation (it is rejoining after a rebalance); poll, then commit again", null);
        }
        try
        {
            coordinator.commitOffsets(config.groupId(), generation, memberId, offsets);
        }
        catch (final IllegalGenerationException | UnknownMemberIdException e)
        {
            failed(e);
            throw new CommitFailedException("group " + config.groupId() + " has rebalanced without this consumer (" +
                e.getMessage() + "): its partitions may be another member's now", e);
        }
    }

    private Map<String, byte[]> assign(final JoinGroupResult result)
    {
        final Map<String, Subscription> subscriptions = new HashMap<>();
        final Map<String, Integer> partitionsPerTopic = new HashMap<>();
        for (final JoinGroupResult.Member member : result.members())
        {
            final Subscription subscription = ConsumerProtocol.decodeSubscription(member.metadata());
            subscriptions.put(member.memberId(), subscription);
            for (final String topic : subscription.topics())
            {
                try
                {
                    partitionsPerTopic.put(topic, logs.partitions(topic).size());
                }
                catch (final UnknownTopicOrPartitionException e)
                {
                    // Kafka's consumer skips a subscribed topic that does not exist (yet).
                }
            }
        }
        assignedFor = Map.copyOf(partitionsPerTopic);
        PartitionAssignor chosen = null;
        for (final PartitionAssignor assignor : config.assignors())
        {
            if (assignor.name().equals(result.protocolName()))
            {
                chosen = assignor;
            }
        }
        final Map<String, byte[]> assignments = new HashMap<>();
        chosen.assign(partitionsPerTopic, subscriptions).forEach((member, partitions) ->
            assignments.put(member, ConsumerProtocol.encodeAssignment(new Assignment(partitions, null))));
        return assignments;
    }

    private <T> T await(final CompletableFuture<T> future, final long deadlineNanos)
    {
        try
        {
            return future.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
        catch (final TimeoutException e)
        {
            return null;
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            return null;
        }
        catch (final ExecutionException e)
        {
            synchronized (this)
            {
                if (future == pendingJoin || future == pendingSync)
                {
                    pendingJoin = null;
                    pendingSync = null;
                    failed(e.getCause());
                }
            }
            return null;
        }
    }

    /** Decides, after an error from the coordinator, how this member goes on. */
    private void failed(final Throwable error)
    {
        if (error instanceof UnknownMemberIdException || error instanceof IllegalGenerationException)
        {
            reset(true);
        }
        else if (error instanceof RebalanceInProgressException)
        {
            rejoinNeeded = true;
        }
        else if (error instanceof RuntimeException runtime)
        {
            throw runtime;
        }
        else
        {
            throw new IllegalStateException(error);
        }
    }

    private void reset(final boolean partitionsLost)
    {
        memberId = "";
        generation = -1;
        active = false;
        rejoinNeeded = true;
        lost = partitionsLost;
        pendingJoin = null;
        pendingSync = null;
    }

    private synchronized void heartbeat()
    {
        if (memberId.isEmpty() && pendingJoin == null)
        {
            return;
        }
        if (System.nanoTime() - lastPollNanos > config.maxPollIntervalMs() * 1_000_000L)
        {
            // The application is stuck between polls: let the others take over its partitions.
            leave();
            reset(true);
            return;
        }
        int heartbeatGeneration = generation;
        String heartbeatMember = memberId;
        if (pendingJoin != null)
        {
            final JoinGroupResult joined = pendingJoin.getNow(null);
            if (joined == null)
            {
                return; // waiting in the join: the coordinator does not expire it meanwhile
            }
            heartbeatGeneration = joined.generationId();
            heartbeatMember = joined.memberId();
        }
        try
        {
            coordinator.heartbeat(config.groupId(), heartbeatGeneration, heartbeatMember);
        }
        catch (final RebalanceInProgressException e)
        {
            rejoinNeeded = true;
        }
        catch (final IllegalGenerationException | UnknownMemberIdException e)
        {
            reset(true);
        }
    }

    private void leave()
    {
        if (!memberId.isEmpty())
        {
            try
            {
                coordinator.leaveGroup(config.groupId(), memberId);
            }
            catch (final UnknownMemberIdException e)
            {
                // already removed
            }
        }
    }

    /** Leaves the group and stops heartbeating. */
    @Override
    public void close()
    {
        heartbeats.shutdownNow();
        synchronized (this)
        {
            leave();
            reset(false);
        }
    }
}
