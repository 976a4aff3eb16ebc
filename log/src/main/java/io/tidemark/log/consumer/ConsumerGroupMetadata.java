package io.tidemark.log.consumer;

/**
 * A subscribed consumer's place in its group, as Kafka's consumer reports it.
 *
 * @param groupId the group.
 * @param generationId the generation of its current assignment, or -1 if it has none.
 * @param memberId its member id, or "" before it has joined.
 */
public record ConsumerGroupMetadata(String groupId, int generationId, String memberId)
{
}
