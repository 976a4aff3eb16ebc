package io.tidemark.log.topic;

import java.util.List;
import java.util.Map;

import io.tidemark.log.LogConfig;

/**
 * What {@code describe} tells about a topic.
 *
 * @param name the topic name.
 * @param topicId the id the topic was given when it was created (or, if it was made before
 *        topics had ids, when it was first opened since).
 * @param overrides the configuration keys set for this topic, as given at creation or last altered.
 * @param config the effective configuration: the defaults with the overrides applied.
 * @param partitions each partition's offsets and size, by partition number.
 */
public record TopicDescription(String name, TopicId topicId, Map<String, String> overrides, LogConfig config, List<PartitionDescription> partitions)
{
    /**
     * One partition's state.
     *
     * @param partition the partition number.
     * @param logStartOffset the first offset kept.
     * @param logEndOffset the offset the next record will get.
     * @param sizeInBytes the bytes stored.
     */
    public record PartitionDescription(int partition, long logStartOffset, long logEndOffset, long sizeInBytes)
    {
    }
}
