package io.tidemark.log.group;

import java.util.List;

/**
 * A snapshot of a group: Kafka's DescribeGroups answer.
 *
 * @param groupId the group.
 * @param state its state.
 * @param protocolType its protocol type ("consumer" for consumers); "" for a group that never had
 *        members (one of committed offsets only). An empty group keeps the type of its last members.
 * @param protocolName the chosen assignor, or "" when not stable.
 * @param generationId the current generation.
 * @param rebalances the rebalances completed (generations begun) since the group was loaded in this process.
 * @param members its members.
 */
public record GroupDescription(String groupId, GroupState state, String protocolType, String protocolName, int generationId,
    long rebalances, List<Member> members)
{
    /**
     * One member.
     *
     * @param memberId its id.
     * @param clientId its client's name.
     * @param metadata its metadata for the chosen assignor (empty unless the group is stable).
     * @param assignment its assignment bytes (empty unless stable).
     * @param clientHost its client's address ({@code /127.0.0.1}), or "" for a member in this process.
     * @param groupInstanceId its {@code group.instance.id}, or null for a dynamic member.
     */
    public record Member(String memberId, String clientId, byte[] metadata, byte[] assignment, String clientHost, String groupInstanceId)
    {
    }
}
