package io.tidemark.log.group;

import java.util.Set;

import io.tidemark.log.TopicPartition;

/**
 * The coordinator's answer to a {@link GroupHeartbeat}.
 *
 * @param memberId the member's id (chosen by the coordinator on a join without one).
 * @param memberEpoch the member's epoch now.
 * @param heartbeatIntervalMs when to heartbeat next.
 * @param assignment the partitions the member is to own now, or null when unchanged since the
 *        member last heard.
 */
public record GroupHeartbeatResult(String memberId, int memberEpoch, int heartbeatIntervalMs, Set<TopicPartition> assignment)
{
}
