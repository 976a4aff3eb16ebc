package io.tidemark.log.group;

import java.util.List;

/**
 * The answer to a join once the join phase of a rebalance completes: Kafka's JoinGroup
 * response.
 *
 * @param generationId the new generation.
 * @param protocolType the group's protocol type.
 * @param protocolName the assignor every member supports that the members voted for.
 * @param leaderId the member that must compute the assignment.
 * @param memberId this member's id (new members learn theirs here).
 * @param members every member's metadata for the chosen assignor; only the leader gets them,
 *        the others get an empty list.
 * @param skipAssignment whether the leader must not assign: a static leader that returned to a
 *        stable group, whose members keep their assignments (Kafka's JoinGroup 9).
 */
public record JoinGroupResult(int generationId, String protocolType, String protocolName, String leaderId, String memberId,
    List<Member> members, boolean skipAssignment)
{
    /**
     * @return whether this member is the leader.
     */
    public boolean isLeader()
    {
        return leaderId.equals(memberId);
    }

    /**
     * A member, as the leader sees it.
     *
     * @param memberId its id.
     * @param metadata its metadata for the chosen assignor.
     * @param groupInstanceId its {@code group.instance.id}, or null for a dynamic member.
     */
    public record Member(String memberId, byte[] metadata, String groupInstanceId)
    {
    }
}
