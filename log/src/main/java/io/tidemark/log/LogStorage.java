package io.tidemark.log;

import java.nio.file.Path;

/**
 * A storage backend: how a partition's log is kept in its directory. The log manager and
 * everything above it see only {@link PartitionLog}, so a backend (segment files today, a
 * Chronicle Queue tomorrow) is chosen in one place.
 */
@FunctionalInterface
public interface LogStorage
{
    /**
     * Opens, recovering if needed, or creates the log of one partition.
     *
     * @param topicPartition the partition.
     * @param dir the partition's own directory; the backend may put anything in it.
     * @param config the topic's configuration.
     * @return the open log.
     */
    PartitionLog open(TopicPartition topicPartition, Path dir, LogConfig config);
}
