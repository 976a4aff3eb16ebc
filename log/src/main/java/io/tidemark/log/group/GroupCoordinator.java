package io.tidemark.log.group;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.tidemark.log.PartitionLog;
import io.tidemark.log.TopicPartition;
import io.tidemark.log.TransactionMarker;
import io.tidemark.log.errors.GroupIdNotFoundException;
import io.tidemark.log.errors.IllegalGenerationException;
import io.tidemark.log.errors.InconsistentGroupProtocolException;
import io.tidemark.log.errors.InvalidGroupIdException;
import io.tidemark.log.errors.InvalidSessionTimeoutException;
import io.tidemark.log.errors.NonEmptyGroupException;
import io.tidemark.log.errors.OffsetMetadataTooLargeException;
import io.tidemark.log.errors.StaleMemberEpochException;
import io.tidemark.log.errors.UnknownMemberIdException;
import io.tidemark.log.errors.UnknownTopicOrPartitionException;
import io.tidemark.log.topic.LogManager;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.SystemEpochClock;

/**
 * The group coordinator of the classic consumer group protocol: members join, the leader's
 * assignor splits the partitions and the coordinator hands each member its share, heartbeats
 * keep members in, a silent member is removed after its session timeout, and any change of
 * membership starts a rebalance with a new generation. It also keeps the groups' committed
 * offsets ({@link OffsetStore}), accepting a commit only from a member of the current
 * generation. Members with a {@code group.instance.id} are static: one that returns under its
 * instance id takes over its predecessor, which is fenced, without a rebalance if nothing it
 * affects changed (Kafka's static membership).
 * Beside the classic groups it keeps the groups of Kafka's consumer group protocol
 * (KIP-848, {@link #consumerGroupHeartbeat}), where the coordinator assigns; a group id belongs
 * to one protocol while it has members.
 *
 * <p>The methods are shaped like Kafka's JoinGroup, SyncGroup, Heartbeat, LeaveGroup,
 * OffsetCommit, OffsetFetch, DescribeGroups and ListGroups requests, so the embedded consumer
 * and the wire protocol's handlers drive the same object. Errors are the exceptions of
 * {@code io.tidemark.log.errors}, each matching one Kafka error code; join and sync answer
 * with futures because they wait for the other members. The futures may complete on the
 * coordinator's timer thread: callbacks on them must not block.
 */
public final class GroupCoordinator implements AutoCloseable
{
    private static final long TICK_MS = 10;

    private final LogManager logs;
    private final GroupConfig config;
    private final OffsetStore offsets;
    private final Map<String, ConsumerGroup> groups = new ConcurrentHashMap<>();
    private final ConsumerProtocolConfig consumerProtocol;
    private final Map<String, ConsumerProtocolGroup> consumerGroups = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer;
    private final AtomicBoolean ticking = new AtomicBoolean();

    /**
     * Opens the coordinator on a log manager, loading the committed offsets.
     *
     * @param logs where the offsets topic lives and the partitions are.
     * @param config the settings.
     */
    public GroupCoordinator(final LogManager logs, final GroupConfig config)
    {
        this(logs, config, SystemEpochClock.INSTANCE);
    }

    /**
     * @param logs where the offsets topic lives and the partitions are.
     * @param config the settings.
     * @param clock the wall clock, for commit times.
     */
    public GroupCoordinator(final LogManager logs, final GroupConfig config, final EpochClock clock)
    {
        this(logs, config, ConsumerProtocolConfig.defaults(), clock);
    }

    /**
     * @param logs where the offsets topic lives and the partitions are.
     * @param config the settings.
     * @param consumerProtocol the settings of the consumer group protocol (KIP-848).
     * @param clock the wall clock, for commit times.
     */
    public GroupCoordinator(final LogManager logs, final GroupConfig config, final ConsumerProtocolConfig consumerProtocol,
        final EpochClock clock)
    {
        this.logs = logs;
        this.config = config;
        this.consumerProtocol = consumerProtocol;
        this.offsets = new OffsetStore(logs, config.offsetsTopicPartitions(), clock);
        this.timer = Executors.newSingleThreadScheduledExecutor(r ->
        {
            final Thread thread = new Thread(r, "tidemark-group-coordinator");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Joins a member to a group, or rejoins it, starting a rebalance. The answer comes once
     * every member has rejoined, or the rebalance timeout has passed (members that did not
     * rejoin are then removed).
     *
     * @param request the join.
     * @return the new generation, the leader, and, for the leader, every member's metadata;
     *         completed exceptionally if the member is removed or joins again meanwhile.
     * @throws InvalidGroupIdException if the group id is empty.
     * @throws InvalidSessionTimeoutException if the session timeout is out of the allowed range.
     * @throws io.tidemark.log.errors.InconsistentGroupProtocolException if the member's
     *         protocol type or assignors do not match the group's.
     * @throws io.tidemark.log.errors.UnknownMemberIdException if a non-empty member id is unknown.
     * @throws io.tidemark.log.errors.FencedInstanceIdException if the member's instance id now
     *         maps to another member.
     */
    public CompletableFuture<JoinGroupResult> joinGroup(final JoinGroupRequest request)
    {
        validateGroupId(request.groupId());
        if (request.sessionTimeoutMs() < config.minSessionTimeoutMs() || request.sessionTimeoutMs() > config.maxSessionTimeoutMs())
        {
            throw new InvalidSessionTimeoutException("session timeout " + request.sessionTimeoutMs() + " ms is outside " +
                config.minSessionTimeoutMs() + ".." + config.maxSessionTimeoutMs() +
                " ms (group.min.session.timeout.ms, group.max.session.timeout.ms)");
        }
        if (request.protocols().isEmpty() || request.protocolType().isEmpty())
        {
            throw new InconsistentGroupProtocolException("a join needs a protocol type and at least one protocol");
        }
        final ConsumerProtocolGroup consumerGroup = consumerGroups.get(request.groupId());
        if (consumerGroup != null)
        {
            // An empty group of the consumer protocol becomes a classic one, as Kafka's default migration policy allows.
            if (!consumerGroup.deleteIfEmpty())
            {
                throw new InconsistentGroupProtocolException("group " + request.groupId() +
                    " is a group of the consumer protocol (group.protocol=consumer) with members");
            }
            consumerGroups.remove(request.groupId(), consumerGroup);
        }
        while (true)
        {
            final ConsumerGroup group = groups.computeIfAbsent(request.groupId(), id -> new ConsumerGroup(id, config.initialRebalanceDelayMs()));
            final CompletableFuture<JoinGroupResult> joined = group.join(request, System.nanoTime());
            if (joined != null)
            {
                startTicking();
                return joined;
            }
            groups.remove(request.groupId(), group); // deleted meanwhile: the join makes the group afresh
        }
    }

    /**
     * Completes a rebalance: the leader sends every member's assignment, the others send none
     * and wait for theirs.
     *
     * @param groupId the group.
     * @param generationId the generation from the join.
     * @param memberId the member.
     * @param assignments from the leader, each member's assignment by member id; empty otherwise.
     * @return this member's assignment bytes.
     * @throws io.tidemark.log.errors.UnknownMemberIdException if the member is not in the group.
     * @throws io.tidemark.log.errors.IllegalGenerationException if the generation is not current.
     * @throws io.tidemark.log.errors.RebalanceInProgressException if a new rebalance has begun.
     */
    public CompletableFuture<byte[]> syncGroup(final String groupId, final int generationId, final String memberId,
        final Map<String, byte[]> assignments)
    {
        return syncGroup(groupId, generationId, memberId, null, assignments);
    }

    /**
     * {@link #syncGroup(String, int, String, Map)} of a member that may be static.
     *
     * @param groupId the group.
     * @param generationId the generation from the join.
     * @param memberId the member.
     * @param groupInstanceId the member's {@code group.instance.id}, or null for a dynamic member.
     * @param assignments from the leader, each member's assignment by member id; empty otherwise.
     * @return this member's assignment bytes.
     * @throws io.tidemark.log.errors.FencedInstanceIdException if a newer member took over the instance id.
     */
    public CompletableFuture<byte[]> syncGroup(final String groupId, final int generationId, final String memberId, final String groupInstanceId,
        final Map<String, byte[]> assignments)
    {
        return group(groupId, memberId).sync(generationId, memberId, groupInstanceId, assignments, System.nanoTime());
    }

    /**
     * Keeps a member's session alive.
     *
     * @param groupId the group.
     * @param generationId the member's generation.
     * @param memberId the member.
     * @throws io.tidemark.log.errors.UnknownMemberIdException if the member is not in the group.
     * @throws io.tidemark.log.errors.IllegalGenerationException if the generation is not current.
     * @throws io.tidemark.log.errors.RebalanceInProgressException if the member must rejoin.
     */
    public void heartbeat(final String groupId, final int generationId, final String memberId)
    {
        heartbeat(groupId, generationId, memberId, null);
    }

    /**
     * {@link #heartbeat(String, int, String)} of a member that may be static.
     *
     * @param groupId the group.
     * @param generationId the member's generation.
     * @param memberId the member.
     * @param groupInstanceId the member's {@code group.instance.id}, or null for a dynamic member.
     * @throws io.tidemark.log.errors.FencedInstanceIdException if a newer member took over the instance id.
     */
    public void heartbeat(final String groupId, final int generationId, final String memberId, final String groupInstanceId)
    {
        group(groupId, memberId).heartbeat(generationId, memberId, groupInstanceId, System.nanoTime());
    }

    /**
     * Removes a member at once, starting a rebalance for the others.
     *
     * @param groupId the group.
     * @param memberId the member.
     * @throws io.tidemark.log.errors.UnknownMemberIdException if the member is not in the group.
     */
    public void leaveGroup(final String groupId, final String memberId)
    {
        leaveGroup(groupId, memberId, null);
    }

    /**
     * Removes a member at once, as {@link #leaveGroup(String, String)}; without a member id, the
     * static member of the instance id (an administrator's removal).
     *
     * @param groupId the group.
     * @param memberId the member, or "" to name it by its instance id.
     * @param groupInstanceId the member's {@code group.instance.id}, or null for a dynamic member.
     * @throws io.tidemark.log.errors.UnknownMemberIdException if no such member is in the group.
     * @throws io.tidemark.log.errors.FencedInstanceIdException if the instance id maps to another member id.
     */
    public void leaveGroup(final String groupId, final String memberId, final String groupInstanceId)
    {
        group(groupId, memberId).leave(memberId, groupInstanceId, System.nanoTime());
    }

    /**
     * Commits offsets durably for a group.
     *
     * @param groupId the group.
     * @param generationId the committer's generation (its member epoch in a consumer-protocol
     *        group), or -1 for a consumer outside the group (allowed only while the group has no members).
     * @param memberId the committer's member id, or "" outside the group.
     * @param committed the offsets.
     * @throws io.tidemark.log.errors.UnknownMemberIdException if a member commits that is not in the group.
     * @throws io.tidemark.log.errors.IllegalGenerationException if the generation is not current.
     * @throws StaleMemberEpochException if the member epoch of a consumer-protocol member is not its current one.
     * @throws io.tidemark.log.errors.RebalanceInProgressException during the assignment phase.
     * @throws io.tidemark.log.errors.UnknownTopicOrPartitionException for a partition that does not exist.
     * @throws OffsetMetadataTooLargeException if metadata is longer than {@code offset.metadata.max.bytes}.
     */
    public void commitOffsets(final String groupId, final int generationId, final String memberId,
        final Map<TopicPartition, OffsetAndMetadata> committed)
    {
        commitOffsets(groupId, generationId, memberId, null, committed);
    }

    /**
     * {@link #commitOffsets(String, int, String, Map)} of a member that may be static.
     *
     * @param groupId the group.
     * @param generationId the committer's generation, or -1 outside the group.
     * @param memberId the committer's member id, or "" outside the group.
     * @param groupInstanceId the member's {@code group.instance.id}, or null for a dynamic member.
     * @param committed the offsets.
     * @throws io.tidemark.log.errors.FencedInstanceIdException if a newer member took over the instance id.
     */
    public void commitOffsets(final String groupId, final int generationId, final String memberId, final String groupInstanceId,
        final Map<TopicPartition, OffsetAndMetadata> committed)
    {
        validateOffsets(groupId, committed);
        final ConsumerGroup group = groups.get(groupId);
        final ConsumerProtocolGroup consumerGroup = consumerGroups.get(groupId);
        if (consumerGroup != null)
        {
            consumerGroup.validateOffsets(memberId, generationId, true);
        }
        else if (group != null)
        {
            group.validateCommit(generationId, memberId, groupInstanceId, System.nanoTime());
        }
        else if (generationId >= 0 || !memberId.isEmpty() || groupInstanceId != null)
        {
            throw new UnknownMemberIdException("group " + groupId + " has no member " + memberId);
        }
        offsets.commit(groupId, committed);
    }

    /**
     * Kafka's TxnOffsetCommit: offsets a transaction commits, written to the offsets topic as
     * part of the producer's transaction and visible to {@link #fetchOffsets} only once it
     * commits ({@link #completeTransaction}); dropped if it aborts. Checked as
     * {@link #commitOffsets} checks, except that, as in Kafka, a producer that names no member
     * and no generation (-1 and "") may commit while the group has members: the transaction
     * coordinator, not the group, vouches for it. A member of a consumer-protocol group names its
     * member epoch as its generation; another epoch is a stale generation here, as TxnOffsetCommit
     * has no stale-epoch error.
     *
     * @param groupId the group.
     * @param producerId the transaction's producer id.
     * @param producerEpoch its epoch.
     * @param generationId the committer's generation, or -1 outside the group.
     * @param memberId the committer's member id, or "" outside the group.
     * @param committed the offsets.
     * @throws io.tidemark.log.errors.UnknownMemberIdException if a member commits that is not in the group.
     * @throws io.tidemark.log.errors.IllegalGenerationException if the generation is not current.
     * @throws io.tidemark.log.errors.RebalanceInProgressException during the assignment phase.
     * @throws io.tidemark.log.errors.UnknownTopicOrPartitionException for a partition that does not exist.
     * @throws OffsetMetadataTooLargeException if metadata is longer than {@code offset.metadata.max.bytes}.
     * @throws io.tidemark.log.errors.ProducerFencedException if the epoch is older than the
     *         producer's current one.
     */
    public void commitTransactionalOffsets(final String groupId, final long producerId, final short producerEpoch, final int generationId,
        final String memberId, final Map<TopicPartition, OffsetAndMetadata> committed)
    {
        commitTransactionalOffsets(groupId, producerId, producerEpoch, generationId, memberId, null, committed);
    }

    /**
     * {@link #commitTransactionalOffsets(String, long, short, int, String, Map)} of a member
     * that may be static.
     *
     * @param groupId the group.
     * @param producerId the transaction's producer id.
     * @param producerEpoch its epoch.
     * @param generationId the committer's generation, or -1 outside the group.
     * @param memberId the committer's member id, or "" outside the group.
     * @param groupInstanceId the member's {@code group.instance.id}, or null for a dynamic member.
     * @param committed the offsets.
     * @throws io.tidemark.log.errors.FencedInstanceIdException if a newer member took over the instance id.
     */
    public void commitTransactionalOffsets(final String groupId, final long producerId, final short producerEpoch, final int generationId,
        final String memberId, final String groupInstanceId, final Map<TopicPartition, OffsetAndMetadata> committed)
    {
        validateOffsets(groupId, committed);
        final ConsumerProtocolGroup consumerGroup = consumerGroups.get(groupId);
        if (consumerGroup != null && (generationId >= 0 || !memberId.isEmpty()))
        {
            try
            {
                consumerGroup.validateOffsets(memberId, generationId, true);
            }
            catch (final StaleMemberEpochException e)
            {
                // TxnOffsetCommit has no STALE_MEMBER_EPOCH: the producer learns of it as a stale generation.
                throw new IllegalGenerationException(e.getMessage());
            }
        }
        else if (generationId >= 0 || !memberId.isEmpty() || groupInstanceId != null)
        {
            group(groupId, memberId).validateCommit(generationId, memberId, groupInstanceId, System.nanoTime());
        }
        offsets.commitTransactional(groupId, producerId, producerEpoch, committed);
    }

    /**
     * Ends a transaction's offsets of a group: writes the marker to the group's partition of
     * the offsets topic, then makes the offsets visible (commit) or drops them (abort). Called
     * by the transaction coordinator; repeating it is harmless.
     *
     * @param groupId the group the transaction committed offsets of.
     * @param marker the producer, its epoch and the result.
     */
    public void completeTransaction(final String groupId, final TransactionMarker marker)
    {
        offsets.completeTransaction(groupId, marker);
    }

    /**
     * @param groupId the group.
     * @return the partitions whose offsets an open transaction has committed but not ended:
     *         what a read-committed consumer ({@code require_stable}) must not trust yet.
     */
    public Set<TopicPartition> pendingTransactionalOffsets(final String groupId)
    {
        return offsets.pending(groupId);
    }

    /**
     * @param groupId the group.
     * @return the partition of the offsets topic that holds the group's offsets: the one a
     *         transaction that commits offsets of the group writes to.
     */
    public TopicPartition offsetsPartition(final String groupId)
    {
        validateGroupId(groupId);
        return offsets.partitionFor(groupId).topicPartition();
    }

    /**
     * @param groupId the group.
     * @param partitions the partitions to look up, or null for every partition the group committed.
     * @return the committed offsets of those that have one.
     */
    public Map<TopicPartition, OffsetAndMetadata> fetchOffsets(final String groupId, final Collection<TopicPartition> partitions)
    {
        validateGroupId(groupId);
        return offsets.fetch(groupId, partitions);
    }

    /**
     * How far a group is behind, per partition it has committed: the log end offset minus the
     * committed offset.
     *
     * @param groupId the group.
     * @return the lag per partition, sorted by topic and partition.
     * @throws GroupIdNotFoundException if the group has neither members nor committed offsets.
     */
    public Map<TopicPartition, Long> lag(final String groupId)
    {
        final Map<TopicPartition, OffsetAndMetadata> committed = fetchOffsets(groupId, null);
        if (committed.isEmpty() && !groups.containsKey(groupId) && !consumerGroups.containsKey(groupId))
        {
            throw new GroupIdNotFoundException("no group " + groupId + " is known");
        }
        final Map<TopicPartition, Long> lag = new TreeMap<>((a, b) ->
            a.topic().equals(b.topic()) ? Integer.compare(a.partition(), b.partition()) : a.topic().compareTo(b.topic()));
        committed.forEach((partition, offset) ->
        {
            final PartitionLog log = logs.partition(partition);
            lag.put(partition, Math.max(0, log.logEndOffset() - offset.offset()));
        });
        return lag;
    }

    /**
     * @param groupId the group.
     * @return its state and members; a group never seen is described as {@link GroupState#DEAD}, as Kafka does.
     */
    public GroupDescription describeGroup(final String groupId)
    {
        validateGroupId(groupId);
        final ConsumerGroup group = groups.get(groupId);
        if (group == null)
        {
            final GroupState state = offsets.fetch(groupId, null).isEmpty() ? GroupState.DEAD : GroupState.EMPTY;
            return new GroupDescription(groupId, state, "", "", 0, 0, List.of());
        }
        return group.describe();
    }

    /**
     * @return every group with members or committed offsets, and its state.
     */
    public Map<String, GroupState> listGroups()
    {
        final Map<String, GroupState> listed = new TreeMap<>();
        offsets.groups().forEach(id -> listed.put(id, GroupState.EMPTY));
        groups.forEach((id, group) -> listed.put(id, group.state()));
        consumerGroups.keySet().forEach(listed::remove);
        return listed;
    }

    /**
     * Kafka's ConsumerGroupHeartbeat (KIP-848): a member of a consumer-protocol group joins,
     * heartbeats or leaves, and learns the partitions it is to own. An empty classic group of
     * the same id becomes a consumer-protocol group; committed offsets stay.
     *
     * @param request the heartbeat.
     * @return the member's id, epoch and, when it changed, assignment.
     * @throws InvalidGroupIdException if the group id is empty.
     * @throws GroupIdNotFoundException if the group is a classic group with members.
     * @throws UnknownMemberIdException if the member is not in the group.
     * @throws io.tidemark.log.errors.FencedMemberEpochException if the member's epoch is not its current one.
     * @throws io.tidemark.log.errors.UnsupportedAssignorException for an assignor not offered.
     * @throws io.tidemark.log.errors.UnreleasedInstanceIdException if a live member holds the instance id.
     * @throws io.tidemark.log.errors.InvalidRegularExpressionException for a regex that does not compile.
     */
    public GroupHeartbeatResult consumerGroupHeartbeat(final GroupHeartbeat request)
    {
        validateGroupId(request.groupId());
        final ConsumerGroup classic = groups.get(request.groupId());
        if (classic != null)
        {
            if (!classic.deleteIfEmpty())
            {
                throw new GroupIdNotFoundException("group " + request.groupId() + " is a classic group with members, not a consumer group");
            }
            groups.remove(request.groupId(), classic);
        }
        while (true)
        {
            final ConsumerProtocolGroup group = consumerGroups.computeIfAbsent(request.groupId(),
                id -> new ConsumerProtocolGroup(id, consumerProtocol, this::partitionCounts));
            final GroupHeartbeatResult result = group.heartbeat(request, System.nanoTime());
            if (result != null)
            {
                startTicking();
                return result;
            }
            consumerGroups.remove(request.groupId(), group); // deleted meanwhile: the heartbeat makes the group afresh
        }
    }

    /**
     * Checks an OffsetFetch that names a member (OffsetFetch 9 and later) of a consumer-protocol
     * group; one naming none, or of another group, passes.
     *
     * @param groupId the group.
     * @param memberId the member, or null.
     * @param memberEpoch its epoch, or -1.
     * @throws UnknownMemberIdException if the member is not in the group.
     * @throws io.tidemark.log.errors.StaleMemberEpochException if the epoch is not the member's current one.
     */
    public void validateOffsetFetch(final String groupId, final String memberId, final int memberEpoch)
    {
        final ConsumerProtocolGroup group = consumerGroups.get(groupId);
        if (group != null && memberId != null)
        {
            group.validateOffsets(memberId, memberEpoch, false);
        }
    }

    /**
     * @param groupId the group.
     * @return its description if it is a group of the consumer protocol, else null.
     */
    public ConsumerProtocolDescription describeConsumerGroup(final String groupId)
    {
        final ConsumerProtocolGroup group = consumerGroups.get(groupId);
        return group == null ? null : group.describe();
    }

    /**
     * @return every group of the consumer protocol with Kafka's name of its state.
     */
    public Map<String, String> listConsumerGroups()
    {
        final Map<String, String> listed = new TreeMap<>();
        consumerGroups.forEach((id, group) -> listed.put(id, group.state()));
        return listed;
    }

    private Map<String, Integer> partitionCounts()
    {
        final Map<String, Integer> counts = new HashMap<>();
        for (final String topic : logs.listTopics())
        {
            try
            {
                counts.put(topic, logs.partitions(topic).size());
            }
            catch (final UnknownTopicOrPartitionException deleted)
            {
                // Deleted since it was listed: not a topic to assign.
            }
        }
        return counts;
    }

    /**
     * Kafka's DeleteGroups for one group: forgets a group that has no members, with its
     * committed offsets (tombstones in the offsets topic, so the deletion survives a restart).
     * A member that joins after it finds a new, empty group.
     *
     * @param groupId the group.
     * @throws io.tidemark.log.errors.InvalidGroupIdException if the group id is empty.
     * @throws NonEmptyGroupException if it has members.
     * @throws GroupIdNotFoundException if it has neither members nor committed offsets.
     */
    public void deleteGroup(final String groupId)
    {
        validateGroupId(groupId);
        final ConsumerProtocolGroup consumerGroup = consumerGroups.get(groupId);
        if (consumerGroup != null)
        {
            if (!consumerGroup.deleteIfEmpty())
            {
                throw new NonEmptyGroupException("group " + groupId + " still has members");
            }
            consumerGroups.remove(groupId, consumerGroup);
            if (offsets.fetch(groupId, null).isEmpty())
            {
                return;
            }
        }
        final ConsumerGroup group = groups.get(groupId);
        if (group != null && !group.deleteIfEmpty())
        {
            throw new NonEmptyGroupException("group " + groupId + " still has members");
        }
        if (group == null && offsets.fetch(groupId, null).isEmpty())
        {
            throw new GroupIdNotFoundException("no group " + groupId + " is known");
        }
        if (group != null)
        {
            groups.remove(groupId, group);
        }
        offsets.delete(groupId, null);
    }

    /**
     * Kafka's OffsetDelete: forgets a group's committed offsets of some partitions, durably
     * (tombstones), except those of topics a member of the group subscribes to, which the
     * member may still commit.
     *
     * @param groupId the group.
     * @param partitions the partitions whose offsets to forget; those without one are left as they are.
     * @return the partitions whose offsets were kept because a member subscribes to their topic
     *         (Kafka's GROUP_SUBSCRIBED_TO_TOPIC).
     * @throws io.tidemark.log.errors.InvalidGroupIdException if the group id is empty.
     * @throws GroupIdNotFoundException if it has neither members nor committed offsets.
     * @throws NonEmptyGroupException if it has members and is not a consumer group.
     */
    public Set<TopicPartition> deleteOffsets(final String groupId, final Collection<TopicPartition> partitions)
    {
        validateGroupId(groupId);
        final ConsumerGroup group = groups.get(groupId);
        if (group == null && !consumerGroups.containsKey(groupId) && offsets.fetch(groupId, null).isEmpty())
        {
            throw new GroupIdNotFoundException("no group " + groupId + " is known");
        }
        final ConsumerProtocolGroup consumerGroup = consumerGroups.get(groupId);
        final Set<String> subscribed = consumerGroup != null ? consumerGroup.subscribedTopics()
            : group == null ? Set.of() : group.subscribedTopics();
        final Set<TopicPartition> kept = new HashSet<>();
        final List<TopicPartition> deleted = new ArrayList<>();
        for (final TopicPartition partition : partitions)
        {
            if (subscribed.contains(partition.topic()))
            {
                kept.add(partition);
            }
            else
            {
                deleted.add(partition);
            }
        }
        offsets.delete(groupId, deleted);
        return kept;
    }

    private void validateOffsets(final String groupId, final Map<TopicPartition, OffsetAndMetadata> committed)
    {
        validateGroupId(groupId);
        for (final Map.Entry<TopicPartition, OffsetAndMetadata> entry : committed.entrySet())
        {
            logs.partition(entry.getKey());
            if (entry.getValue().metadata().length() > config.maxMetadataBytes())
            {
                throw new OffsetMetadataTooLargeException("the metadata committed for " + entry.getKey() + " has " +
                    entry.getValue().metadata().length() + " characters, more than offset.metadata.max.bytes=" + config.maxMetadataBytes());
            }
        }
    }

    private ConsumerGroup group(final String groupId, final String memberId)
    {
        validateGroupId(groupId);
        final ConsumerGroup group = groups.get(groupId);
        if (group == null)
        {
            throw new UnknownMemberIdException("group " + groupId + " has no member " + memberId);
        }
        return group;
    }

    private static void validateGroupId(final String groupId)
    {
        if (groupId == null || groupId.isEmpty())
        {
            throw new InvalidGroupIdException("a group id must not be empty");
        }
    }

    /**
     * The timer ticks only while groups exist: a broker that serves no group should not wake
     * a hundred times a second (on a small machine each wake-up can delay a request).
     */
    private void startTicking()
    {
        if (ticking.compareAndSet(false, true))
        {
            schedule();
        }
    }

    private void schedule()
    {
        try
        {
            timer.schedule(this::tick, TICK_MS, TimeUnit.MILLISECONDS);
        }
        catch (final RejectedExecutionException e)
        {
            // Closed: nothing is left to expire.
        }
    }

    private void tick()
    {
        try
        {
            final long now = System.nanoTime();
            for (final ConsumerGroup group : new ArrayList<>(groups.values()))
            {
                group.tick(now);
            }
            for (final ConsumerProtocolGroup group : new ArrayList<>(consumerGroups.values()))
            {
                group.tick(now);
            }
        }
        finally
        {
            if (!groups.isEmpty() || !consumerGroups.isEmpty())
            {
                schedule();
            }
            else
            {
                ticking.set(false);
                // A join that came after the emptiness check saw the timer still ticking.
                if (!groups.isEmpty() || !consumerGroups.isEmpty())
                {
                    startTicking();
                }
            }
        }
    }

    /** Stops the timer; committed offsets are already in the log. */
    @Override
    public void close()
    {
        timer.shutdownNow();
    }
}
