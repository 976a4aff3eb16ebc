package io.tidemark.runtime.http;

import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tidemark.log.TopicPartition;
import io.tidemark.log.errors.LogException;
import io.tidemark.log.group.ConsumerProtocol;
import io.tidemark.log.group.ConsumerProtocolDescription;
import io.tidemark.log.group.GroupCoordinator;
import io.tidemark.log.group.GroupDescription;
import io.tidemark.log.group.GroupState;
import io.tidemark.log.group.OffsetAndMetadata;
import io.tidemark.log.topic.LogManager;

/**
 * {@code /api/groups}: the consumer groups of the server, read from its
 * {@link GroupCoordinator} as the ListGroups, DescribeGroups and OffsetFetch handlers read
 * them, with each committed partition's lag behind the log end.
 */
final class GroupsResource
{
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final Comparator<TopicPartition> BY_TOPIC_AND_PARTITION =
        Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition);

    private final GroupCoordinator groups;
    private final LogManager logs;

    /**
     * @param groups the server's group coordinator.
     * @param logs   the server's log, for the log end offsets.
     */
    GroupsResource(final GroupCoordinator groups, final LogManager logs)
    {
        this.groups = groups;
        this.logs = logs;
    }

    /**
     * @return {@code {"groups": [...]}}: each group with members or committed offsets, its
     *         state, members and total lag.
     */
    ObjectNode list()
    {
        final ArrayNode listed = JSON.arrayNode();
        for (final String groupId : groups.listGroups().keySet())
        {
            try
            {
                final GroupDescription group = groups.describeGroup(groupId);
                listed.addObject().put("groupId", groupId).put("state", group.state().kafkaName()).put("protocol", group.protocolName())
                    .put("members", group.members().size()).put("totalLag", totalLag(offsets(groupId)));
            }
            catch (final LogException gone)
            {
                // Removed since it was listed: the list is of the groups there are.
            }
        }
        groups.listConsumerGroups().forEach((groupId, state) ->
        {
            final ConsumerProtocolDescription group = groups.describeConsumerGroup(groupId);
            if (group != null)
            {
                listed.addObject().put("groupId", groupId).put("state", group.state()).put("protocol", group.assignor())
                    .put("members", group.members().size()).put("totalLag", totalLag(offsets(groupId)));
            }
        });
        final ObjectNode answer = JSON.objectNode();
        answer.set("groups", listed);
        return answer;
    }

    /**
     * @param groupId a group.
     * @return its state, protocol, generation, rebalances since the server loaded it, members (client id and host, assigned partitions), and per
     *         partition it committed or is assigned: the committed offset, the log end offset and
     *         the lag (null where nothing is committed); and the total lag.
     * @throws ApiException 404 if the group has neither members nor committed offsets.
     */
    ObjectNode describe(final String groupId)
    {
        final ConsumerProtocolDescription consumerGroup = groups.describeConsumerGroup(groupId);
        if (consumerGroup != null)
        {
            return describe(consumerGroup);
        }
        final GroupDescription group;
        try
        {
            group = groups.describeGroup(groupId);
        }
        catch (final LogException e)
        {
            throw ApiException.notFound("no group '" + groupId + "': " + e.getMessage());
        }
        if (group.state() == GroupState.DEAD)
        {
            throw ApiException.notFound("no group '" + groupId + "'");
        }
        final Map<TopicPartition, PartitionOffsets> offsets = offsets(groupId);
        final ArrayNode members = JSON.arrayNode();
        for (final GroupDescription.Member member : group.members())
        {
            final ArrayNode assignment = JSON.arrayNode();
            if (ConsumerProtocol.PROTOCOL_TYPE.equals(group.protocolType()))
            {
                for (final TopicPartition partition : ConsumerProtocol.decodeAssignment(member.assignment()).partitions())
                {
                    assignment.addObject().put("topic", partition.topic()).put("partition", partition.partition());
                    offsets.computeIfAbsent(partition, p -> new PartitionOffsets(null, logEnd(p)));
                }
            }
            members.addObject().put("memberId", member.memberId()).put("clientId", member.clientId()).put("clientHost", member.clientHost())
                .set("assignment", assignment);
        }
        final ObjectNode answer = JSON.objectNode().put("groupId", groupId).put("state", group.state().kafkaName())
            .put("protocolType", group.protocolType()).put("protocol", group.protocolName()).put("generation", group.generationId())
            .put("rebalances", group.rebalances());
        answer.set("members", members);
        answer.set("offsets", offsetRows(offsets));
        answer.put("totalLag", totalLag(offsets));
        return answer;
    }

    /**
     * A group of the consumer protocol: as a classic one, its generation the group epoch, with
     * its assignment epoch, each member's epoch, and its rebalance statistics (targets computed,
     * the last rebalance's time until every member had reconciled).
     */
    private ObjectNode describe(final ConsumerProtocolDescription group)
    {
        final Map<TopicPartition, PartitionOffsets> offsets = offsets(group.groupId());
        final ArrayNode members = JSON.arrayNode();
        for (final ConsumerProtocolDescription.Member member : group.members())
        {
            final ArrayNode assignment = JSON.arrayNode();
            for (final TopicPartition partition : member.assignment())
            {
                assignment.addObject().put("topic", partition.topic()).put("partition", partition.partition());
                offsets.computeIfAbsent(partition, p -> new PartitionOffsets(null, logEnd(p)));
            }
            members.addObject().put("memberId", member.memberId()).put("clientId", member.clientId()).put("clientHost", member.clientHost())
                .put("memberEpoch", member.memberEpoch()).set("assignment", assignment);
        }
        final ObjectNode answer = JSON.objectNode().put("groupId", group.groupId()).put("state", group.state())
            .put("protocolType", ConsumerProtocol.PROTOCOL_TYPE).put("protocol", group.assignor()).put("generation", group.groupEpoch())
            .put("assignmentEpoch", group.assignmentEpoch()).put("rebalances", group.rebalances())
            .put("lastRebalanceMs", group.lastRebalanceMs());
        answer.set("members", members);
        answer.set("offsets", offsetRows(offsets));
        answer.put("totalLag", totalLag(offsets));
        return answer;
    }

    private static ArrayNode offsetRows(final Map<TopicPartition, PartitionOffsets> offsets)
    {
        final ArrayNode partitions = JSON.arrayNode();
        offsets.forEach((partition, offset) ->
        {
            final ObjectNode row = partitions.addObject().put("topic", partition.topic()).put("partition", partition.partition());
            row.put("committedOffset", offset.committed()).put("logEndOffset", offset.logEnd()).put("lag", offset.lag());
        });
        return partitions;
    }

    private Map<TopicPartition, PartitionOffsets> offsets(final String groupId)
    {
        final Map<TopicPartition, PartitionOffsets> offsets = new TreeMap<>(BY_TOPIC_AND_PARTITION);
        for (final Map.Entry<TopicPartition, OffsetAndMetadata> committed : groups.fetchOffsets(groupId, null).entrySet())
        {
            offsets.put(committed.getKey(), new PartitionOffsets(committed.getValue().offset(), logEnd(committed.getKey())));
        }
        return offsets;
    }

    /** The partition's log end offset, or null if its topic is gone (offsets outlive topics). */
    private Long logEnd(final TopicPartition partition)
    {
        try
        {
            return logs.partition(partition).logEndOffset();
        }
        catch (final LogException e)
        {
            return null;
        }
    }

    private static long totalLag(final Map<TopicPartition, PartitionOffsets> offsets)
    {
        long total = 0;
        for (final PartitionOffsets offset : offsets.values())
        {
            final Long lag = offset.lag();
            total += lag == null ? 0 : lag;
        }
        return total;
    }

    /**
     * @param committed the committed offset, or null if none.
     * @param logEnd    the partition's log end offset, or null if the topic is gone.
     */
    private record PartitionOffsets(Long committed, Long logEnd)
    {
        /** @return how far the committed offset is behind the log end, or null if either is unknown. */
        Long lag()
        {
            return committed == null || logEnd == null ? null : Math.max(0, logEnd - committed);
        }
    }
}
