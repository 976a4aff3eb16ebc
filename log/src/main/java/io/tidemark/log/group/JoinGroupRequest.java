package io.tidemark.log.group;

import java.util.List;

/**
 * A member asking to join, or rejoin, a group: Kafka's JoinGroup request.
 *
 * @param groupId the group.
 * @param memberId the id the coordinator gave this member before, or "" for a new member.
 * @param clientId the client's name, for descriptions.
 * @param protocolType the kind of group ({@link ConsumerProtocol#PROTOCOL_TYPE} for consumers).
 * @param protocols the assignors this member supports, in its order of preference, each
 *        with the member's metadata (for consumers, its encoded {@link Subscription}).
 * @param sessionTimeoutMs how long the coordinator waits for a heartbeat before removing it.
 * @param rebalanceTimeoutMs how long the coordinator waits for it to rejoin in a rebalance
 *        (Kafka's consumer sends its {@code max.poll.interval.ms}).
 * @param clientHost the client's address as Kafka describes it ({@code /127.0.0.1}), or "" for
 *        a member in this process.
 * @param groupInstanceId the member's {@code group.instance.id}, or null for a dynamic member.
 *        A static member joining without a member id takes over the member its instance id
 *        names, fencing that one.
 * @param supportsSkippingAssignment whether the member, returning as the static leader of a
 *        stable group, can be told it leads without assigning (Kafka's JoinGroup 9); if not, it
 *        is told the previous leader id and follows.
 */
public record JoinGroupRequest(String groupId, String memberId, String clientId, String protocolType,
    List<Protocol> protocols, int sessionTimeoutMs, int rebalanceTimeoutMs, String clientHost, String groupInstanceId,
    boolean supportsSkippingAssignment)
{
    /**
     * A request of a member in this process, which has no address.
     *
     * @param groupId the group.
     * @param memberId the id the coordinator gave this member before, or "" for a new member.
     * @param clientId the client's name, for descriptions.
     * @param protocolType the kind of group.
     * @param protocols the assignors this member supports, each with its metadata.
     * @param sessionTimeoutMs how long the coordinator waits for a heartbeat before removing it.
     * @param rebalanceTimeoutMs how long the coordinator waits for it to rejoin in a rebalance.
     */
    public JoinGroupRequest(final String groupId, final String memberId, final String clientId, final String protocolType,
        final List<Protocol> protocols, final int sessionTimeoutMs, final int rebalanceTimeoutMs)
    {
        this(groupId, memberId, clientId, protocolType, protocols, sessionTimeoutMs, rebalanceTimeoutMs, "", null, false);
    }

    /**
     * One assignor a member supports, with its metadata for that assignor.
     *
     * @param name the assignor's name.
     * @param metadata the member's metadata.
     */
    public record Protocol(String name, byte[] metadata)
    {
    }
}
