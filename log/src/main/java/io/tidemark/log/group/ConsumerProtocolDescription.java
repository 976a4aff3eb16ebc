package io.tidemark.log.group;

import java.util.List;
import java.util.Set;

import io.tidemark.log.TopicPartition;

/**
 * A snapshot of a consumer-protocol group: Kafka's ConsumerGroupDescribe answer, with the
 * group's rebalance statistics.
 *
 * @param groupId the group.
 * @param state Kafka's name of its state: Empty, Assigning, Reconciling or Stable.
 * @param groupEpoch the epoch of its membership and subscriptions.
 * @param assignmentEpoch the group epoch its target assignment was computed at.
 * @param assignor the assignor of that target.
 * @param rebalances how many target assignments were computed (one per assignment epoch).
 * @param lastRebalanceMs the time from the last group epoch bump until every member had
 *        reconciled to its target, or -1 if no rebalance has completed.
 * @param members its members.
 */
public record ConsumerProtocolDescription(String groupId, String state, int groupEpoch, int assignmentEpoch, String assignor,
    long rebalances, long lastRebalanceMs, List<Member> members)
{
    /**
     * One member.
     *
     * @param memberId its id.
     * @param instanceId its {@code group.instance.id}, or null.
     * @param rackId its rack, or null.
     * @param memberEpoch its epoch.
     * @param clientId its client id.
     * @param clientHost its address.
     * @param subscribedTopicNames the topics it names.
     * @param subscribedTopicRegex its regular expression, or null.
     * @param assignment the partitions it owns now.
     * @param targetAssignment the partitions it is to own once reconciled.
     */
    public record Member(String memberId, String instanceId, String rackId, int memberEpoch, String clientId, String clientHost,
        List<String> subscribedTopicNames, String subscribedTopicRegex, Set<TopicPartition> assignment, Set<TopicPartition> targetAssignment)
    {
    }
}
