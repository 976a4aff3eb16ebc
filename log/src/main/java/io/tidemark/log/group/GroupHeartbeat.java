package io.tidemark.log.group;

import java.util.List;
import java.util.Set;

import io.tidemark.log.TopicPartition;

/**
 * One ConsumerGroupHeartbeat of the consumer group protocol (KIP-848). Fields a member leaves
 * unchanged since its previous heartbeat are null (or -1), as on the wire.
 *
 * @param groupId the group.
 * @param memberId the member's id; empty on a first join for the coordinator to choose one.
 * @param memberEpoch 0 to join, -1 to leave, -2 for a static member leaving for a while, else
 *        the member's current epoch.
 * @param instanceId the member's {@code group.instance.id}, or null for a dynamic member.
 * @param rackId the member's rack, or null.
 * @param rebalanceTimeoutMs how long the member may take to revoke partitions, or -1 if unchanged.
 * @param subscribedTopicNames the topics subscribed to, or null if unchanged.
 * @param subscribedTopicRegex a regular expression of topics subscribed to, or null if unchanged
 *        (an empty one ends a subscription by expression).
 * @param serverAssignor the assignor asked for, or null if unchanged or none.
 * @param ownedPartitions the partitions the member owns now, or null if unchanged.
 * @param clientId the member's client id.
 * @param clientHost the member's address.
 */
public record GroupHeartbeat(String groupId, String memberId, int memberEpoch, String instanceId, String rackId, int rebalanceTimeoutMs,
    List<String> subscribedTopicNames, String subscribedTopicRegex, String serverAssignor, Set<TopicPartition> ownedPartitions,
    String clientId, String clientHost)
{
    /** The epoch of a first join. */
    public static final int JOIN_EPOCH = 0;
    /** The epoch of a member leaving the group. */
    public static final int LEAVE_EPOCH = -1;
    /** The epoch of a static member leaving for a while, to come back with the same instance id. */
    public static final int STATIC_LEAVE_EPOCH = -2;
}
