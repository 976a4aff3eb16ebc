package io.tidemark.log.group;

import java.util.List;

import io.tidemark.log.TopicPartition;

/**
 * The partitions the group leader gave one member.
 *
 * @param partitions the partitions, which this member alone reads in this generation.
 * @param userData assignor-specific bytes, or null.
 */
public record Assignment(List<TopicPartition> partitions, byte[] userData)
{
}
