package io.tidemark.runtime.metrics;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.tidemark.log.PartitionLog;
import io.tidemark.log.errors.UnknownTopicOrPartitionException;
import io.tidemark.log.topic.LogManager;

/**
 * The offsets of every partition of the log, read at scrape time as ListOffsets reads them.
 */
public final class LogMetrics implements MultiCollector
{
    private final LogManager logs;

    /**
     * @param logs the server's log.
     */
    public LogMetrics(final LogManager logs)
    {
        this.logs = logs;
    }

    @Override
    public MetricSnapshots collect()
    {
        final MetricFamily start = MetricFamily.gauge("tidemark_log_start_offset", "The partition's log start offset: its first record kept");
        final MetricFamily end = MetricFamily.gauge("tidemark_log_end_offset", "The partition's log end offset: the offset of its next record");
        final MetricFamily stable = MetricFamily.gauge("tidemark_log_last_stable_offset",
            "The partition's last stable offset: below it no transaction is open (read_committed reads stop there)");
        final MetricFamily size = MetricFamily.gauge("tidemark_log_size_bytes", "The partition's bytes on disk");
        for (final String topic : logs.listTopics())
        {
            try
            {
                for (final PartitionLog log : logs.partitions(topic))
                {
                    final String[] labels = {"topic", topic, "partition", Integer.toString(log.topicPartition().partition())};
                    start.add(log.logStartOffset(), labels);
                    end.add(log.logEndOffset(), labels);
                    stable.add(log.lastStableOffset(), labels);
                    size.add(log.sizeInBytes(), labels);
                }
            }
            catch (final UnknownTopicOrPartitionException deleted)
            {
                // Deleted since it was listed.
            }
        }
        return MetricSnapshots.of(start.build(), end.build(), stable.build(), size.build());
    }
}
