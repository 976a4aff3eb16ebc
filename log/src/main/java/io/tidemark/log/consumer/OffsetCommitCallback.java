package io.tidemark.log.consumer;

import java.util.Map;

import io.tidemark.log.TopicPartition;
import io.tidemark.log.group.OffsetAndMetadata;

/**
 * Told how a {@link Consumer#commitAsync} ended, on the consumer's thread.
 */
@FunctionalInterface
public interface OffsetCommitCallback
{
    /**
     * @param offsets the offsets that were to be committed.
     * @param error null if they were committed, otherwise why not.
     */
    void onComplete(Map<TopicPartition, OffsetAndMetadata> offsets, Exception error);
}
