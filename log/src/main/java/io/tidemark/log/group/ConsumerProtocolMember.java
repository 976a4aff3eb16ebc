package io.tidemark.log.group;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import io.tidemark.log.TopicPartition;

/**
 * One member of a {@link ConsumerProtocolGroup}, guarded by the group's lock. Its epoch is that
 * of the target assignment it has reconciled to; while it still owns partitions the target
 * gave to others, it stays at its epoch with those pending revocation.
 */
final class ConsumerProtocolMember
{
    /** Where the member is in reaching its target. */
    enum Reconciliation
    {
        /** It owns its target (or what of it was free). */
        STABLE,
        /** It must first give up partitions of its current assignment. */
        UNREVOKED,
        /** It waits for partitions of its target that others still own. */
        UNRELEASED
    }

    final String id;
    final String instanceId;
    String rackId;
    String clientId;
    String clientHost;
    int rebalanceTimeoutMs;
    List<String> topicNames = List.of();
    String topicRegex;
    Pattern compiledRegex;
    String serverAssignor;
    int epoch;
    int previousEpoch = -1;
    Reconciliation reconciliation = Reconciliation.STABLE;
    final Set<TopicPartition> assigned = new TreeSet<>(TargetAssignor.ORDER);
    final Set<TopicPartition> pendingRevocation = new TreeSet<>(TargetAssignor.ORDER);
    /** The owned partitions the member last reported. */
    Set<TopicPartition> owned = Set.of();
    /** What the member was last sent, to send an assignment only when it changes. */
    Set<TopicPartition> lastSent;
    long lastHeartbeatNanos;
    long revocationDeadlineNanos;
    /** A static member that left with epoch -2: it keeps its partitions until its session ends. */
    boolean departed;

    ConsumerProtocolMember(final String id, final String instanceId)
    {
        this.id = id;
        this.instanceId = instanceId;
    }

    boolean reconciledTo(final int assignmentEpoch)
    {
        return epoch == assignmentEpoch && reconciliation == Reconciliation.STABLE;
    }
}
