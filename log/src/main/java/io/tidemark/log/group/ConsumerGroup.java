package io.tidemark.log.group;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import io.tidemark.log.errors.FencedInstanceIdException;
import io.tidemark.log.errors.IllegalGenerationException;
import io.tidemark.log.errors.InconsistentGroupProtocolException;
import io.tidemark.log.errors.NonEmptyGroupException;
import io.tidemark.log.errors.RebalanceInProgressException;
import io.tidemark.log.errors.UnknownMemberIdException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One group's membership and the classic rebalance protocol's state machine (see
 * {@link GroupState}). Every method runs under the group's monitor; answers that must wait
 * for other members (join, sync) are futures completed by a later call or by
 * {@link #tick}. Times are {@link System#nanoTime()} readings passed in, so the machine is
 * driven by its caller's clock.
 *
 * <p>Logs at INFO each member that joins, leaves or expires, each rebalance that starts (and
 * why) and each that completes (generation and members): the history an operator reads when
 * consumers stall.
 */
final class ConsumerGroup
{
    private static final Logger LOG = LoggerFactory.getLogger(ConsumerGroup.class);

    private final String groupId;
    private final int initialRebalanceDelayMs;
    private final Map<String, Member> members = new LinkedHashMap<>();
    /** Static members: group.instance.id to the member id it currently maps to. */
    private final Map<String, String> staticMembers = new HashMap<>();
    private GroupState state = GroupState.EMPTY;
    private int generationId;
    /** Rebalances completed since the group was loaded: the generations begun here. */
    private long rebalances;
    private String protocolType = "";
    private String protocolName = "";
    private String leaderId;
    private long rebalanceDeadlineNanos;
    private long joinNotBeforeNanos;
    /** Set by DeleteGroups: a join that comes after must go to a group made afresh. */
    private boolean deleted;

    ConsumerGroup(final String groupId, final int initialRebalanceDelayMs)
    {
        this.groupId = groupId;
        this.initialRebalanceDelayMs = initialRebalanceDelayMs;
    }

    /**
     * @return the join's answer, later; null if the group was deleted before the join came.
     */
    synchronized CompletableFuture<JoinGroupResult> join(final JoinGroupRequest request, final long nowNanos)
    {
        if (deleted)
        {
            return null;
        }
        final String instanceId = request.groupInstanceId();
        final String predecessor = request.memberId().isEmpty() && instanceId != null ? staticMembers.get(instanceId) : null;
        final String replaced = predecessor != null ? predecessor : request.memberId();
        if (!members.isEmpty() && !protocolType.equals(request.protocolType()))
        {
            throw new InconsistentGroupProtocolException("group " + groupId + " has protocol type '" + protocolType +
                "', the member asked for '" + request.protocolType() + "'");
        }
        if (!members.isEmpty() && commonProtocols(replaced, request.protocols()).isEmpty())
        {
            throw new InconsistentGroupProtocolException("group " + groupId + ": none of the member's assignors " +
                names(request.protocols()) + " is supported by every member " + commonProtocols(null, null));
        }
        protocolType = request.protocolType();
        if (predecessor != null)
        {
            return replaceStatic(members.get(predecessor), request, nowNanos);
        }
        if (request.memberId().isEmpty())
        {
            final Member member = new Member((instanceId != null ? instanceId : request.clientId()) + "-" + UUID.randomUUID());
            members.put(member.id, member);
            if (instanceId != null)
            {
                member.groupInstanceId = instanceId;
                staticMembers.put(instanceId, member.id);
            }
            LOG.info("group {}: member {} (client {}) joined", groupId, member.id, request.clientId());
            update(member, request, nowNanos);
            return awaitJoin(member, "member " + member.id + " joined", nowNanos);
        }
        final Member member = known(request.memberId(), instanceId);
        final boolean unchanged = member.sameProtocols(request.protocols());
        update(member, request, nowNanos);
        // As Kafka: a follower that rejoins unchanged (it missed its answer) gets the generation
        // in force; the leader rejoining, or changed metadata, rebalances.
        if (unchanged && (state == GroupState.COMPLETING_REBALANCE || state == GroupState.STABLE && !member.id.equals(leaderId)))
        {
            return CompletableFuture.completedFuture(result(member.id, leaderId, member.id.equals(leaderId), false));
        }
        return awaitJoin(member, "member " + member.id + " rejoined", nowNanos);
    }

    /**
     * A static member joins without a member id: it takes over its predecessor under a new id,
     * with its assignment, and the predecessor is fenced. In a stable group whose assignor
     * stays it gets the generation in force without a rebalance; as the leader, it is told to
     * skip the assignment, or, if it cannot be told, is given the previous leader id so that
     * it follows. During CompletingRebalance the leader may have assigned to the old id, so the
     * group rebalances.
     */
    private CompletableFuture<JoinGroupResult> replaceStatic(final Member predecessor, final JoinGroupRequest request, final long nowNanos)
    {
        final Member member = new Member(request.groupInstanceId() + "-" + UUID.randomUUID());
        final FencedInstanceIdException fenced = new FencedInstanceIdException("member " + predecessor.id + " of group " + groupId +
            " was replaced by member " + member.id + ", which joined with the same group.instance.id " + request.groupInstanceId());
        members.remove(predecessor.id);
        if (predecessor.pendingJoin != null)
        {
            predecessor.pendingJoin.completeExceptionally(fenced);
        }
        if (predecessor.pendingSync != null)
        {
            predecessor.pendingSync.completeExceptionally(fenced);
        }
        member.assignment = predecessor.assignment;
        member.groupInstanceId = predecessor.groupInstanceId;
        members.put(member.id, member);
        staticMembers.put(request.groupInstanceId(), member.id);
        final String previousLeader = leaderId;
        if (predecessor.id.equals(leaderId))
        {
            leaderId = member.id;
        }
        LOG.info("group {}: static member {} (client {}, group.instance.id {}) replaced member {}", groupId, member.id, request.clientId(),
            request.groupInstanceId(), predecessor.id);
        update(member, request, nowNanos);
        if (state == GroupState.STABLE && chooseProtocol().equals(protocolName))
        {
            final boolean leads = member.id.equals(leaderId) && request.supportsSkippingAssignment();
            return CompletableFuture.completedFuture(result(member.id, leads ? leaderId : previousLeader, leads, leads));
        }
        return awaitJoin(member, "static member " + member.id + " replaced member " + predecessor.id, nowNanos);
    }

    private void update(final Member member, final JoinGroupRequest request, final long nowNanos)
    {
        member.clientId = request.clientId();
        member.clientHost = request.clientHost();
        member.protocols = request.protocols();
        member.sessionTimeoutNanos = request.sessionTimeoutMs() * 1_000_000L;
        member.rebalanceTimeoutNanos = request.rebalanceTimeoutMs() * 1_000_000L;
        member.lastHeartbeatNanos = nowNanos;
    }

    /** The member waits in the join phase of a rebalance, which its join starts if none is under way. */
    private CompletableFuture<JoinGroupResult> awaitJoin(final Member member, final String reason, final long nowNanos)
    {
        if (member.pendingJoin != null)
        {
            member.pendingJoin.completeExceptionally(new RebalanceInProgressException("a newer join of member " + member.id + " replaced this one"));
        }
        final CompletableFuture<JoinGroupResult> result = new CompletableFuture<>();
        member.pendingJoin = result;
        switch (state)
        {
            case EMPTY, DEAD ->
            {
                prepareRebalance(reason, nowNanos);
                joinNotBeforeNanos = nowNanos + initialRebalanceDelayMs * 1_000_000L;
            }
            case STABLE, COMPLETING_REBALANCE -> prepareRebalance(reason, nowNanos);
            case PREPARING_REBALANCE ->
            {
                if (joinNotBeforeNanos - nowNanos > 0)
                {
                    // The initial delay restarts for each newcomer, up to the rebalance timeout.
                    joinNotBeforeNanos = Math.min(nowNanos + initialRebalanceDelayMs * 1_000_000L, rebalanceDeadlineNanos);
                }
                rebalanceDeadlineNanos = Math.max(rebalanceDeadlineNanos, nowNanos + member.rebalanceTimeoutNanos);
            }
        }
        tryCompleteJoin(nowNanos);
        return result;
    }

    synchronized CompletableFuture<byte[]> sync(final int generation, final String memberId, final String groupInstanceId,
        final Map<String, byte[]> assignments, final long nowNanos)
    {
        final Member member = member(memberId, groupInstanceId, generation, nowNanos);
        switch (state)
        {
            case PREPARING_REBALANCE -> throw rebalancing();
            case STABLE ->
            {
                return CompletableFuture.completedFuture(member.assignment);
            }
            default ->
            {
                final CompletableFuture<byte[]> result = new CompletableFuture<>();
                member.pendingSync = result;
                if (memberId.equals(leaderId))
                {
                    for (final Member m : members.values())
                    {
                        m.assignment = assignments.getOrDefault(m.id, new byte[0]);
                    }
                    state = GroupState.STABLE;
                    for (final Member m : members.values())
                    {
                        if (m.pendingSync != null)
                        {
                            m.pendingSync.complete(m.assignment);
                            m.pendingSync = null;
                        }
                    }
                }
                return result;
            }
        }
    }

    synchronized void heartbeat(final int generation, final String memberId, final String groupInstanceId, final long nowNanos)
    {
        member(memberId, groupInstanceId, generation, nowNanos);
        if (state == GroupState.PREPARING_REBALANCE)
        {
            throw rebalancing();
        }
    }

    /**
     * Removes a member that leaves, or, without a member id, the static member an
     * administrator names by its instance id.
     */
    synchronized void leave(final String memberId, final String groupInstanceId, final long nowNanos)
    {
        final Member member = known(memberId.isEmpty() && groupInstanceId != null ? staticMembers.getOrDefault(groupInstanceId, "") : memberId,
            groupInstanceId);
        LOG.info("group {}: member {} (client {}) left", groupId, member.id, member.clientId);
        remove(member, new UnknownMemberIdException("member " + member.id + " left group " + groupId), "member " + member.id + " left", nowNanos);
    }

    /**
     * Checks that a commit comes from the owner of the current assignment. A group without
     * members takes commits from anyone who is not a member (generation -1), as Kafka does for
     * consumers that assign their partitions themselves.
     */
    synchronized void validateCommit(final int generation, final String memberId, final String groupInstanceId, final long nowNanos)
    {
        if (generation < 0 && memberId.isEmpty() && groupInstanceId == null && members.isEmpty())
        {
            return;
        }
        member(memberId, groupInstanceId, generation, nowNanos);
        if (state == GroupState.COMPLETING_REBALANCE)
        {
            throw rebalancing();
        }
    }

    /** Expires silent members and completes a join phase whose time is up. */
    synchronized void tick(final long nowNanos)
    {
        for (final Member member : new ArrayList<>(members.values()))
        {
            if (member.pendingJoin == null && nowNanos - member.lastHeartbeatNanos > member.sessionTimeoutNanos)
            {
                LOG.info("group {}: member {} (client {}) expired: no heartbeat for {} ms", groupId, member.id, member.clientId,
                    (nowNanos - member.lastHeartbeatNanos) / 1_000_000L);
                remove(member, new UnknownMemberIdException("the session of member " + member.id + " in group " + groupId +
                    " expired"), "the session of member " + member.id + " expired", nowNanos);
            }
        }
        if (state == GroupState.PREPARING_REBALANCE)
        {
            tryCompleteJoin(nowNanos);
        }
    }

    /** As Kafka's: the assignor and the members' bytes only while stable, when they are the ones in force. */
    synchronized GroupDescription describe()
    {
        final boolean stable = state == GroupState.STABLE;
        final List<GroupDescription.Member> described = new ArrayList<>();
        for (final Member member : members.values())
        {
            described.add(new GroupDescription.Member(member.id, member.clientId, stable ? member.metadata(protocolName) : new byte[0],
                stable ? member.assignment : new byte[0], member.clientHost, member.groupInstanceId));
        }
        return new GroupDescription(groupId, state, protocolType, stable ? protocolName : "", generationId, rebalances, described);
    }

    synchronized boolean isEmpty()
    {
        return members.isEmpty();
    }

    /**
     * Deletes the group if it has no members; no member can join it after.
     *
     * @return whether it is deleted.
     */
    synchronized boolean deleteIfEmpty()
    {
        deleted |= members.isEmpty();
        return deleted;
    }

    /**
     * The topics whose committed offsets OffsetDelete must keep, by Kafka's rule: those the
     * members' subscriptions name. A group whose subscriptions cannot be read (one member's
     * bytes are not a consumer subscription) names none, as in Kafka.
     *
     * @return the topics; none for a group without members.
     * @throws NonEmptyGroupException if the group has members and is not a consumer group, so
     *         which topics it reads is unknown.
     */
    synchronized Set<String> subscribedTopics()
    {
        if (members.isEmpty())
        {
            return Set.of();
        }
        if (!ConsumerProtocol.PROTOCOL_TYPE.equals(protocolType))
        {
            throw new NonEmptyGroupException("group " + groupId + " has members and is a '" + protocolType +
                "' group, not a consumer group: its offsets are kept while it has members");
        }
        final Set<String> topics = new HashSet<>();
        try
        {
            for (final Member member : members.values())
            {
                // Every assignor a consumer lists carries the same subscription.
                topics.addAll(ConsumerProtocol.decodeSubscription(member.protocols.get(0).metadata()).topics());
            }
        }
        catch (final InconsistentGroupProtocolException e)
        {
            return Set.of();
        }
        return topics;
    }

    synchronized GroupState state()
    {
        return state;
    }

    private Member member(final String memberId, final String groupInstanceId, final int generation, final long nowNanos)
    {
        final Member member = known(memberId, groupInstanceId);
        member.lastHeartbeatNanos = nowNanos;
        if (generation != generationId)
        {
            throw new IllegalGenerationException("group " + groupId + " is at generation " + generationId + ", member " + memberId +
                " sent " + generation + ": the group rebalanced, join again");
        }
        return member;
    }

    /**
     * As Kafka checks a member: one that names an instance id must be the member it maps to,
     * else it was fenced by a newer one (or, unmapped, is unknown); one that names none must exist.
     */
    private Member known(final String memberId, final String groupInstanceId)
    {
        if (groupInstanceId != null)
        {
            final String current = staticMembers.get(groupInstanceId);
            if (current != null && !current.equals(memberId))
            {
                throw new FencedInstanceIdException("member '" + memberId + "' of group " + groupId + " was fenced: member " + current +
                    " joined with the same group.instance.id " + groupInstanceId + " (is another consumer using it?)");
            }
            if (current == null)
            {
                throw new UnknownMemberIdException("group " + groupId + " has no member with group.instance.id " + groupInstanceId +
                    " (it left, was removed, or its session expired): join again");
            }
        }
        final Member member = members.get(memberId);
        if (member == null)
        {
            throw new UnknownMemberIdException("member '" + memberId + "' is not in group " + groupId +
                " (it left, or its session expired): join again");
        }
        return member;
    }

    private void remove(final Member member, final RuntimeException why, final String reason, final long nowNanos)
    {
        members.remove(member.id);
        forgetInstance(member);
        if (member.pendingJoin != null)
        {
            member.pendingJoin.completeExceptionally(why);
        }
        if (member.pendingSync != null)
        {
            member.pendingSync.completeExceptionally(why);
        }
        if (member.id.equals(leaderId))
        {
            leaderId = null;
        }
        if (members.isEmpty())
        {
            becomeEmpty();
            return;
        }
        switch (state)
        {
            case STABLE, COMPLETING_REBALANCE -> prepareRebalance(reason, nowNanos);
            case PREPARING_REBALANCE -> tryCompleteJoin(nowNanos);
            default ->
            {
            }
        }
    }

    private void prepareRebalance(final String reason, final long nowNanos)
    {
        LOG.info("group {}: rebalance started at generation {}: {}", groupId, generationId, reason);
        for (final Member member : members.values())
        {
            if (member.pendingSync != null)
            {
                member.pendingSync.completeExceptionally(rebalancing());
                member.pendingSync = null;
            }
        }
        state = GroupState.PREPARING_REBALANCE;
        rebalanceDeadlineNanos = nowNanos + maxRebalanceTimeoutNanos();
        joinNotBeforeNanos = nowNanos;
    }

    private long maxRebalanceTimeoutNanos()
    {
        long timeout = 0;
        for (final Member member : members.values())
        {
            timeout = Math.max(timeout, member.rebalanceTimeoutNanos);
        }
        return timeout;
    }

    private void forgetInstance(final Member member)
    {
        if (member.groupInstanceId != null)
        {
            staticMembers.remove(member.groupInstanceId, member.id);
        }
    }

    /**
     * Ends the join phase once every member has rejoined, or at the rebalance timeout: dynamic
     * members that did not rejoin are dropped then, static ones stay (with their assignment)
     * until their session expires, as in Kafka; if none has rejoined, the phase waits another
     * rebalance timeout.
     */
    private void tryCompleteJoin(final long nowNanos)
    {
        final boolean expired = nowNanos - rebalanceDeadlineNanos >= 0;
        if (expired)
        {
            for (final Member member : new ArrayList<>(members.values()))
            {
                if (member.pendingJoin == null && member.groupInstanceId == null)
                {
                    LOG.info("group {}: member {} (client {}) expired: it did not rejoin within the rebalance timeout", groupId, member.id,
                        member.clientId);
                    members.remove(member.id);
                    if (member.id.equals(leaderId))
                    {
                        leaderId = null;
                    }
                }
            }
        }
        else
        {
            if (joinNotBeforeNanos - nowNanos > 0)
            {
                return;
            }
            for (final Member member : members.values())
            {
                if (member.pendingJoin == null)
                {
                    return;
                }
            }
        }
        if (members.isEmpty())
        {
            becomeEmpty();
            return;
        }
        final List<Member> joined = members.values().stream().filter(m -> m.pendingJoin != null).toList();
        if (joined.isEmpty())
        {
            rebalanceDeadlineNanos = nowNanos + maxRebalanceTimeoutNanos();
            return;
        }
        generationId++;
        rebalances++;
        protocolName = chooseProtocol();
        if (leaderId == null || !members.containsKey(leaderId) || members.get(leaderId).pendingJoin == null)
        {
            leaderId = joined.get(0).id;
        }
        state = GroupState.COMPLETING_REBALANCE;
        LOG.info("group {}: rebalance completed: generation {} with {} members {}, leader {}, assignor {}", groupId, generationId,
            members.size(), members.keySet(), leaderId, protocolName);
        for (final Member member : joined)
        {
            member.lastHeartbeatNanos = nowNanos;
            final CompletableFuture<JoinGroupResult> pending = member.pendingJoin;
            member.pendingJoin = null;
            pending.complete(result(member.id, leaderId, member.id.equals(leaderId), false));
        }
    }

    /** The answer to a join in the generation in force; the leader it names gets every member's metadata. */
    private JoinGroupResult result(final String memberId, final String leader, final boolean withMembers, final boolean skipAssignment)
    {
        final List<JoinGroupResult.Member> all = new ArrayList<>();
        if (withMembers)
        {
            for (final Member member : members.values())
            {
                all.add(new JoinGroupResult.Member(member.id, member.metadata(protocolName), member.groupInstanceId));
            }
        }
        return new JoinGroupResult(generationId, protocolType, protocolName, leader, memberId, all, skipAssignment);
    }

    /** The protocol type stays, as in Kafka: clients tell an idle consumer group from one of commits only by it. */
    private void becomeEmpty()
    {
        state = GroupState.EMPTY;
        protocolName = "";
        leaderId = null;
    }

    /** Each member votes for its most preferred assignor among those every member supports. */
    private String chooseProtocol()
    {
        final Set<String> common = commonProtocols(null, null);
        final Map<String, Integer> votes = new HashMap<>();
        for (final Member member : members.values())
        {
            for (final JoinGroupRequest.Protocol protocol : member.protocols)
            {
                if (common.contains(protocol.name()))
                {
                    votes.merge(protocol.name(), 1, Integer::sum);
                    break;
                }
            }
        }
        String chosen = null;
        for (final String name : common)
        {
            if (chosen == null || votes.getOrDefault(name, 0) > votes.getOrDefault(chosen, 0))
            {
                chosen = name;
            }
        }
        return chosen;
    }

    /**
     * The assignors every member supports, in the first member's order; with a joining member's
     * assignors given, those replace the ones of the member it is (or takes over), if any.
     */
    private Set<String> commonProtocols(final String joiningId, final List<JoinGroupRequest.Protocol> joining)
    {
        Set<String> common = null;
        for (final Member member : members.values())
        {
            if (joining != null && member.id.equals(joiningId))
            {
                continue;
            }
            common = intersect(common, member.protocols);
        }
        if (joining != null)
        {
            common = intersect(common, joining);
        }
        return common == null ? Set.of() : common;
    }

    private static Set<String> intersect(final Set<String> common, final List<JoinGroupRequest.Protocol> protocols)
    {
        final Set<String> names = new LinkedHashSet<>(names(protocols));
        if (common != null)
        {
            names.retainAll(common);
        }
        return names;
    }

    private static List<String> names(final List<JoinGroupRequest.Protocol> protocols)
    {
        return protocols.stream().map(JoinGroupRequest.Protocol::name).toList();
    }

    private RebalanceInProgressException rebalancing()
    {
        return new RebalanceInProgressException("group " + groupId + " is rebalancing: join again");
    }

    /** A member and what the coordinator is waiting for from it; its instance id is set once, when it joins. */
    private static final class Member
    {
        final String id;
        String clientId = "";
        String clientHost = "";
        String groupInstanceId;
        List<JoinGroupRequest.Protocol> protocols = List.of();
        long sessionTimeoutNanos;
        long rebalanceTimeoutNanos;
        long lastHeartbeatNanos;
        byte[] assignment = new byte[0];
        CompletableFuture<JoinGroupResult> pendingJoin;
        CompletableFuture<byte[]> pendingSync;

        Member(final String id)
        {
            this.id = id;
        }

        /** Whether a join brings the same assignors with the same metadata, in the same order. */
        boolean sameProtocols(final List<JoinGroupRequest.Protocol> others)
        {
            if (others.size() != protocols.size())
            {
                return false;
            }
            for (int i = 0; i < others.size(); i++)
            {
                if (!others.get(i).name().equals(protocols.get(i).name()) || !Arrays.equals(others.get(i).metadata(), protocols.get(i).metadata()))
                {
                    return false;
                }
            }
            return true;
        }

        byte[] metadata(final String protocol)
        {
            for (final JoinGroupRequest.Protocol p : protocols)
            {
                if (p.name().equals(protocol))
                {
                    return p.metadata();
                }
            }
            return new byte[0];
        }
    }
}
