package io.tidemark.log.group;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import io.tidemark.log.TopicPartition;
import io.tidemark.log.errors.FencedMemberEpochException;
import io.tidemark.log.errors.InvalidRegularExpressionException;
import io.tidemark.log.errors.StaleMemberEpochException;
import io.tidemark.log.errors.UnknownMemberIdException;
import io.tidemark.log.errors.UnreleasedInstanceIdException;
import io.tidemark.log.errors.UnsupportedAssignorException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A group of Kafka's consumer group protocol (KIP-848): the coordinator assigns. Three epochs
 * drive it. The group epoch moves whenever membership, a subscription or the partitions of a
 * subscribed topic change; the target assignment is then recomputed by the server-side
 * assignor and takes the group epoch as its assignment epoch; each member then reconciles to
 * its target at its own pace, its member epoch reaching the assignment epoch. A partition
 * moves in two steps: its owner is first told to give it up (it keeps its epoch until a
 * heartbeat reports the partition gone, or is removed at its rebalance timeout), and only
 * then is it given to its new owner: no partition is ever owned by two members.
 *
 * <p>Membership is in memory only: after a restart members get {@code UNKNOWN_MEMBER_ID} and
 * join again.
 */
final class ConsumerProtocolGroup
{
    private static final Logger LOG = LoggerFactory.getLogger(ConsumerProtocolGroup.class);

    private final String groupId;
    private final ConsumerProtocolConfig config;
    private final Supplier<Map<String, Integer>> topics;
    private final Map<String, ConsumerProtocolMember> members = new LinkedHashMap<>();
    /** The member owning each partition now, its assignment or pending revocation. */
    private final Map<TopicPartition, String> owners = new HashMap<>();
    private Map<String, Set<TopicPartition>> targets = new TreeMap<>();
    private Map<String, Integer> subscribedPartitions = Map.of();
    private int groupEpoch;
    private int assignmentEpoch;
    private String assignor;
    private long rebalances;
    private long rebalanceStartNanos = -1;
    private long lastRebalanceMs = -1;
    private boolean deleted;

    /**
     * @param groupId the group.
     * @param config the protocol's settings.
     * @param topics every topic's partition count now, read on each heartbeat to notice new
     *        topics and partitions.
     */
    ConsumerProtocolGroup(final String groupId, final ConsumerProtocolConfig config, final Supplier<Map<String, Integer>> topics)
    {
        this.groupId = groupId;
        this.config = config;
        this.topics = topics;
        this.assignor = config.assignors().get(0);
    }

    /**
     * Handles one heartbeat: a join, a leave or a member's regular call.
     *
     * @return the answer, or null if the group was deleted meanwhile (the caller makes it afresh).
     */
    synchronized GroupHeartbeatResult heartbeat(final GroupHeartbeat request, final long nowNanos)
    {
        if (deleted)
        {
            return null;
        }
        if (request.serverAssignor() != null && !config.assignors().contains(request.serverAssignor()))
        {
            throw new UnsupportedAssignorException("assignor '" + request.serverAssignor() + "' is not one of " + config.assignors() +
                " (group.consumer.assignors)");
        }
        if (request.memberEpoch() == GroupHeartbeat.LEAVE_EPOCH || request.memberEpoch() == GroupHeartbeat.STATIC_LEAVE_EPOCH)
        {
            return leave(request, nowNanos);
        }
        // Checked before any change, so a refused join leaves no member behind.
        final Pattern regex = request.subscribedTopicRegex() == null || request.subscribedTopicRegex().isEmpty()
            ? null : compile(request.subscribedTopicRegex());
        final ConsumerProtocolMember member = request.memberEpoch() == GroupHeartbeat.JOIN_EPOCH
            ? join(request, nowNanos) : existing(request);
        member.lastHeartbeatNanos = nowNanos;
        member.clientId = request.clientId();
        member.clientHost = request.clientHost();
        boolean changed = update(member, request, regex);
        if (request.ownedPartitions() != null)
        {
            member.owned = Set.copyOf(request.ownedPartitions());
        }
        changed |= refreshSubscribedPartitions();
        if (changed || request.memberEpoch() == GroupHeartbeat.JOIN_EPOCH)
        {
            bumpGroupEpoch(nowNanos);
        }
        reconcile(member, nowNanos);
        checkRebalanceDone(nowNanos);
        final boolean send = request.memberEpoch() == GroupHeartbeat.JOIN_EPOCH || !member.assigned.equals(member.lastSent) ||
            (request.ownedPartitions() != null && !member.owned.equals(member.assigned));
        if (send)
        {
            member.lastSent = Set.copyOf(member.assigned);
        }
        return new GroupHeartbeatResult(member.id, member.epoch, config.heartbeatIntervalMs(), send ? Set.copyOf(member.assigned) : null);
    }

    private GroupHeartbeatResult leave(final GroupHeartbeat request, final long nowNanos)
    {
        final ConsumerProtocolMember member = members.get(request.memberId());
        if (member == null)
        {
            throw new UnknownMemberIdException("group " + groupId + " has no member " + request.memberId());
        }
        if (request.memberEpoch() == GroupHeartbeat.STATIC_LEAVE_EPOCH && member.instanceId != null)
        {
            // Kept with its partitions for its session: the instance coming back takes them over without a rebalance.
            member.departed = true;
            member.lastHeartbeatNanos = nowNanos;
        }
        else
        {
            remove(member, "left", nowNanos);
        }
        return new GroupHeartbeatResult(member.id, request.memberEpoch(), config.heartbeatIntervalMs(), null);
    }

    private ConsumerProtocolMember join(final GroupHeartbeat request, final long nowNanos)
    {
        final String memberId = request.memberId().isEmpty() ? UUID.randomUUID().toString() : request.memberId();
        final ConsumerProtocolMember rejoining = members.get(memberId);
        if (rejoining != null)
        {
            // A member joining again has given up what it owned: its partitions are free for the new target.
            remove(rejoining, "joined again", nowNanos);
        }
        final ConsumerProtocolMember member = new ConsumerProtocolMember(memberId, request.instanceId());
        final ConsumerProtocolMember predecessor = request.instanceId() == null ? null : members.values().stream()
            .filter(m -> request.instanceId().equals(m.instanceId)).findFirst().orElse(null);
        if (predecessor != null)
        {
            if (!predecessor.departed)
            {
                throw new UnreleasedInstanceIdException("instance id " + request.instanceId() + " of group " + groupId +
                    " is held by member " + predecessor.id + ", which has not left");
            }
            // The static member's new incarnation takes over its predecessor's partitions and epoch.
            members.remove(predecessor.id);
            member.epoch = predecessor.epoch;
            member.assigned.addAll(predecessor.assigned);
            member.pendingRevocation.addAll(predecessor.pendingRevocation);
            member.reconciliation = predecessor.reconciliation;
            member.revocationDeadlineNanos = predecessor.revocationDeadlineNanos;
            owners.replaceAll((partition, owner) -> owner.equals(predecessor.id) ? member.id : owner);
            final Set<TopicPartition> target = targets.remove(predecessor.id);
            if (target != null)
            {
                targets.put(member.id, target);
            }
        }
        members.put(member.id, member);
        return member;
    }

    private ConsumerProtocolMember existing(final GroupHeartbeat request)
    {
        final ConsumerProtocolMember member = members.get(request.memberId());
        if (member == null || member.departed)
        {
            throw new UnknownMemberIdException("group " + groupId + " has no member " + request.memberId() +
                ": it left, its session expired or it never joined");
        }
        if (request.memberEpoch() != member.epoch)
        {
            // A member that missed the answer that moved it on may still speak at its previous epoch,
            // as long as it owns nothing it was not given.
            final boolean missedAnswer = request.memberEpoch() == member.previousEpoch && request.ownedPartitions() != null &&
                member.assigned.containsAll(request.ownedPartitions());
            if (!missedAnswer)
            {
                throw new FencedMemberEpochException("member " + member.id + " of group " + groupId + " sent epoch " +
                    request.memberEpoch() + ", its epoch is " + member.epoch);
            }
        }
        return member;
    }

    /** @return whether the member's subscription changed. */
    private boolean update(final ConsumerProtocolMember member, final GroupHeartbeat request, final Pattern regex)
    {
        if (request.rackId() != null)
        {
            member.rackId = request.rackId();
        }
        if (request.rebalanceTimeoutMs() >= 0)
        {
            member.rebalanceTimeoutMs = request.rebalanceTimeoutMs();
        }
        if (request.serverAssignor() != null)
        {
            member.serverAssignor = request.serverAssignor();
        }
        boolean changed = false;
        if (request.subscribedTopicNames() != null && !request.subscribedTopicNames().equals(member.topicNames))
        {
            member.topicNames = List.copyOf(request.subscribedTopicNames());
            changed = true;
        }
        if (request.subscribedTopicRegex() != null && !request.subscribedTopicRegex().equals(member.topicRegex == null ? "" : member.topicRegex))
        {
            member.topicRegex = request.subscribedTopicRegex().isEmpty() ? null : request.subscribedTopicRegex();
            member.compiledRegex = regex;
            changed = true;
        }
        return changed;
    }

    private static Pattern compile(final String regex)
    {
        try
        {
            return Pattern.compile(regex);
        }
        catch (final PatternSyntaxException e)
        {
            throw new InvalidRegularExpressionException("the subscribed topic regex '" + regex + "' is not valid: " + e.getDescription());
        }
    }

    /** @return whether the partitions of the subscribed topics changed (a topic or partitions added, a topic deleted). */
    private boolean refreshSubscribedPartitions()
    {
        final Map<String, Integer> now = new TreeMap<>();
        final Map<String, Integer> all = topics.get();
        for (final ConsumerProtocolMember member : members.values())
        {
            subscribedTopics(member, all).forEach(topic -> now.put(topic, all.get(topic)));
        }
        if (now.equals(subscribedPartitions))
        {
            return false;
        }
        subscribedPartitions = now;
        return true;
    }

    /** The member's topics that exist; an expression matches no internal topic, as in Kafka. */
    private static Set<String> subscribedTopics(final ConsumerProtocolMember member, final Map<String, Integer> all)
    {
        final Set<String> subscribed = new TreeSet<>();
        member.topicNames.stream().filter(all::containsKey).forEach(subscribed::add);
        if (member.compiledRegex != null)
        {
            all.keySet().stream().filter(t -> !t.startsWith("__") && member.compiledRegex.matcher(t).matches()).forEach(subscribed::add);
        }
        return subscribed;
    }

    private void bumpGroupEpoch(final long nowNanos)
    {
        groupEpoch++;
        if (rebalanceStartNanos < 0)
        {
            rebalanceStartNanos = nowNanos;
        }
        final Map<String, Set<String>> subscriptions = new TreeMap<>();
        final Map<String, Integer> votes = new HashMap<>();
        for (final ConsumerProtocolMember member : members.values())
        {
            subscriptions.put(member.id, subscribedTopics(member, subscribedPartitions));
            if (member.serverAssignor != null)
            {
                votes.merge(member.serverAssignor, 1, Integer::sum);
            }
        }
        // The assignor most members ask for, else the first configured, as Kafka chooses.
        assignor = votes.entrySet().stream().max(Map.Entry.<String, Integer>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
            .map(Map.Entry::getKey).orElse(config.assignors().get(0));
        targets = TargetAssignor.named(assignor).assign(subscriptions, subscribedPartitions, targets);
        assignmentEpoch = groupEpoch;
        rebalances++;
    }

    /**
     * Moves a member towards its target, at its own heartbeat: revocation first, then the
     * partitions that are free; a member waiting for partitions takes those released since.
     */
    private void reconcile(final ConsumerProtocolMember member, final long nowNanos)
    {
        if (member.departed)
        {
            return;
        }
        if (member.reconciliation == ConsumerProtocolMember.Reconciliation.UNREVOKED)
        {
            if (member.pendingRevocation.stream().anyMatch(member.owned::contains))
            {
                return;
            }
            member.pendingRevocation.forEach(partition -> owners.remove(partition, member.id));
            member.pendingRevocation.clear();
            member.reconciliation = ConsumerProtocolMember.Reconciliation.STABLE;
        }
        if (member.reconciledTo(assignmentEpoch))
        {
            return;
        }
        final Set<TopicPartition> target = targets.getOrDefault(member.id, Set.of());
        final List<TopicPartition> revoked = member.assigned.stream().filter(p -> !target.contains(p)).toList();
        if (!revoked.isEmpty())
        {
            revoked.forEach(member.assigned::remove);
            member.pendingRevocation.addAll(revoked);
            member.reconciliation = ConsumerProtocolMember.Reconciliation.UNREVOKED;
            member.revocationDeadlineNanos = nowNanos + member.rebalanceTimeoutMs * 1_000_000L;
            return;
        }
        boolean waiting = false;
        for (final TopicPartition partition : target)
        {
            final String owner = owners.putIfAbsent(partition, member.id);
            if (owner == null || owner.equals(member.id))
            {
                member.assigned.add(partition);
            }
            else
            {
                waiting = true;
            }
        }
        member.reconciliation = waiting ? ConsumerProtocolMember.Reconciliation.UNRELEASED : ConsumerProtocolMember.Reconciliation.STABLE;
        if (member.epoch != assignmentEpoch)
        {
            member.previousEpoch = member.epoch;
            member.epoch = assignmentEpoch;
        }
    }

    private void checkRebalanceDone(final long nowNanos)
    {
        if (rebalanceStartNanos >= 0 && groupEpoch == assignmentEpoch &&
            members.values().stream().allMatch(m -> m.departed || m.reconciledTo(assignmentEpoch)))
        {
            lastRebalanceMs = (nowNanos - rebalanceStartNanos) / 1_000_000L;
            rebalanceStartNanos = -1;
        }
    }

    private void remove(final ConsumerProtocolMember member, final String why, final long nowNanos)
    {
        LOG.info("group {}: member {} (client {}) {}", groupId, member.id, member.clientId, why);
        members.remove(member.id);
        owners.values().removeIf(member.id::equals);
        targets.remove(member.id);
        refreshSubscribedPartitions();
        bumpGroupEpoch(nowNanos);
        checkRebalanceDone(nowNanos);
    }

    /** Removes members whose session expired and those that did not revoke within their rebalance timeout. */
    synchronized void tick(final long nowNanos)
    {
        final long sessionNanos = config.sessionTimeoutMs() * 1_000_000L;
        for (final ConsumerProtocolMember member : new ArrayList<>(members.values()))
        {
            if (nowNanos - member.lastHeartbeatNanos > sessionNanos)
            {
                remove(member, "expired: no heartbeat for " + (nowNanos - member.lastHeartbeatNanos) / 1_000_000L + " ms", nowNanos);
            }
            else if (member.reconciliation == ConsumerProtocolMember.Reconciliation.UNREVOKED && nowNanos > member.revocationDeadlineNanos)
            {
                remove(member, "fenced: it did not revoke " + member.pendingRevocation + " within its rebalance timeout", nowNanos);
            }
        }
    }

    /**
     * Checks an offset commit or fetch of a member: a request from outside the group (epoch
     * below 0) is taken only while the group has no members, as in Kafka.
     *
     * @param commit whether it is a commit (a fetch from outside is always taken).
     */
    synchronized void validateOffsets(final String memberId, final int memberEpoch, final boolean commit)
    {
        if (memberEpoch < 0 && (!commit || members.isEmpty()))
        {
            return;
        }
        final ConsumerProtocolMember member = members.get(memberId);
        if (member == null)
        {
            throw new UnknownMemberIdException("group " + groupId + " has no member " + memberId);
        }
        if (memberEpoch != member.epoch)
        {
            throw new StaleMemberEpochException("member " + memberId + " of group " + groupId + " sent epoch " + memberEpoch +
                ", its epoch is " + member.epoch);
        }
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

    /** @return the topics the members subscribe to now (expressions resolved). */
    synchronized Set<String> subscribedTopics()
    {
        return Set.copyOf(subscribedPartitions.keySet());
    }

    /** @return Kafka's name of the group's state. */
    synchronized String state()
    {
        if (members.isEmpty())
        {
            return "Empty";
        }
        if (groupEpoch != assignmentEpoch)
        {
            return "Assigning";
        }
        return members.values().stream().allMatch(m -> m.departed || m.reconciledTo(assignmentEpoch)) ? "Stable" : "Reconciling";
    }

    synchronized ConsumerProtocolDescription describe()
    {
        final List<ConsumerProtocolDescription.Member> described = new ArrayList<>();
        for (final ConsumerProtocolMember member : members.values())
        {
            final Set<TopicPartition> target = new TreeSet<>(TargetAssignor.ORDER);
            target.addAll(targets.getOrDefault(member.id, Set.of()));
            final Set<TopicPartition> assigned = new TreeSet<>(TargetAssignor.ORDER);
            assigned.addAll(member.assigned);
            described.add(new ConsumerProtocolDescription.Member(member.id, member.instanceId, member.rackId, member.epoch, member.clientId,
                member.clientHost, member.topicNames, member.topicRegex, assigned, target));
        }
        return new ConsumerProtocolDescription(groupId, state(), groupEpoch, assignmentEpoch, assignor, rebalances, lastRebalanceMs, described);
    }
}
