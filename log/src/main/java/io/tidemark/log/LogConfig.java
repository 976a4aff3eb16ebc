package io.tidemark.log;

import static io.tidemark.log.config.Applies.TOPIC;

import java.util.List;
import java.util.Map;

import io.tidemark.log.config.ConfigKey;
import io.tidemark.log.config.ConfigTable;
import io.tidemark.log.config.ConfigValues;
import io.tidemark.log.errors.InvalidConfigurationException;
import io.tidemark.log.record.RecordBatchLayout;
import io.tidemark.log.record.TimestampType;

/**
 * The configuration of a partition's log, with Kafka's topic-level keys and defaults so that a
 * Kafka user's settings mean the same here. Immutable; {@link #withOverrides} validates.
 *
 * <p>Durability is set by the two flush keys: {@code flush.messages=1} forces every write to
 * disk before it is acknowledged (survives power loss), a larger count or {@code flush.ms}
 * flushes periodically, and the defaults leave it to the operating system (survives a killed
 * process, since the data is in the page cache, but not a power cut).
 */
public final class LogConfig
{
    /** Size at which the active segment is rolled. */
    public static final String SEGMENT_BYTES = "segment.bytes";
    /** Age at which the active segment is rolled, measured from its first append. */
    public static final String SEGMENT_MS = "segment.ms";
    /** Bytes between two entries of the sparse offset and time indexes. */
    public static final String INDEX_INTERVAL_BYTES = "index.interval.bytes";
    /** Age after which a closed segment is deleted, by its largest timestamp; -1 keeps forever. */
    public static final String RETENTION_MS = "retention.ms";
    /** Size above which the oldest closed segments are deleted; -1 for no limit. */
    public static final String RETENTION_BYTES = "retention.bytes";
    /** Records between two forced flushes; 1 flushes every write. */
    public static final String FLUSH_MESSAGES = "flush.messages";
    /** Milliseconds between two forced flushes. */
    public static final String FLUSH_MS = "flush.ms";
    /** The largest batch accepted, in bytes. */
    public static final String MAX_MESSAGE_BYTES = "max.message.bytes";
    /** {@code CreateTime} or {@code LogAppendTime}. */
    public static final String MESSAGE_TIMESTAMP_TYPE = "message.timestamp.type";
    /** Only {@code delete} for now. */
    public static final String CLEANUP_POLICY = "cleanup.policy";

    /**
     * Every topic key: its type, valid values, Kafka's default and what it does. Adding a key is
     * one row here (and a field where the log reads it).
     */
    public static final ConfigTable KEYS = new ConfigTable("topic", List.of(
        ConfigKey.ofInt(TOPIC, SEGMENT_BYTES, RecordBatchLayout.HEADER_SIZE, Integer.MAX_VALUE, 1 << 30, "Size at which the active segment is rolled."),
        ConfigKey.ofLong(TOPIC, SEGMENT_MS, 1, Long.MAX_VALUE, 7 * 24 * 3600 * 1000L, "Age at which the active segment is rolled, from its first append."),
        ConfigKey.ofInt(TOPIC, INDEX_INTERVAL_BYTES, 0, Integer.MAX_VALUE, 4096, "Bytes between two entries of the sparse offset and time indexes."),
        ConfigKey.ofLong(TOPIC, RETENTION_MS, -1, Long.MAX_VALUE, 7 * 24 * 3600 * 1000L, "Age after which a closed segment is deleted; -1 keeps forever."),
        ConfigKey.ofLong(TOPIC, RETENTION_BYTES, -1, Long.MAX_VALUE, -1, "Size above which the oldest closed segments are deleted; -1 for no limit."),
        ConfigKey.ofLong(TOPIC, FLUSH_MESSAGES, 1, Long.MAX_VALUE, Long.MAX_VALUE, "Records between two forced flushes; 1 flushes every write."),
        ConfigKey.ofLong(TOPIC, FLUSH_MS, 0, Long.MAX_VALUE, Long.MAX_VALUE, "Milliseconds between two forced flushes."),
        ConfigKey.ofInt(TOPIC, MAX_MESSAGE_BYTES, RecordBatchLayout.HEADER_SIZE, Integer.MAX_VALUE, 1024 * 1024 + 12, "The largest batch accepted, in bytes."),
        ConfigKey.ofString(TOPIC, MESSAGE_TIMESTAMP_TYPE, "CreateTime", "Whose clock stamps the records.", "CreateTime", "LogAppendTime"),
        ConfigKey.ofString(TOPIC, CLEANUP_POLICY, "delete", "What happens to old segments: they are deleted.", "delete")));

    /** Kafka's defaults. */
    public static final LogConfig DEFAULTS = new LogConfig(KEYS.parse(Map.of(), ConfigValues.DEFAULT));

    private final ConfigValues values;
    private final int segmentBytes;
    private final long segmentMs;
    private final int indexIntervalBytes;
    private final long retentionMs;
    private final long retentionBytes;
    private final long flushMessages;
    private final long flushMs;
    private final int maxMessageBytes;
    private final TimestampType timestampType;

    private LogConfig(final ConfigValues values)
    {
        this.values = values;
        this.segmentBytes = values.getInt(SEGMENT_BYTES);
        this.segmentMs = values.getLong(SEGMENT_MS);
        this.indexIntervalBytes = values.getInt(INDEX_INTERVAL_BYTES);
        this.retentionMs = values.getLong(RETENTION_MS);
        this.retentionBytes = values.getLong(RETENTION_BYTES);
        this.flushMessages = values.getLong(FLUSH_MESSAGES);
        this.flushMs = values.getLong(FLUSH_MS);
        this.maxMessageBytes = values.getInt(MAX_MESSAGE_BYTES);
        this.timestampType = TimestampType.fromConfigName(values.getString(MESSAGE_TIMESTAMP_TYPE));
    }

    /**
     * A copy with some keys set from text, each checked against {@link #KEYS}.
     *
     * @param overrides keys from this class's constants, mapped to their values as text.
     * @return the new configuration.
     * @throws InvalidConfigurationException naming the first unknown key (and the nearest known
     *         one) or invalid value.
     */
    public LogConfig withOverrides(final Map<String, String> overrides)
    {
        ConfigValues merged = values;
        for (final Map.Entry<String, String> e : overrides.entrySet())
        {
            merged = merged.with(e.getKey(), e.getValue(), "topic");
        }
        return new LogConfig(merged);
    }

    /**
     * @return every key with its value as text, in a stable order.
     */
    public Map<String, String> toMap()
    {
        return values.toMap();
    }

    /** @return the size at which the active segment rolls. */
    public int segmentBytes()
    {
        return segmentBytes;
    }

    /** @return the age in milliseconds at which the active segment rolls. */
    public long segmentMs()
    {
        return segmentMs;
    }

    /** @return the bytes between two sparse index entries. */
    public int indexIntervalBytes()
    {
        return indexIntervalBytes;
    }

    /** @return the retention time in milliseconds, or -1 for forever. */
    public long retentionMs()
    {
        return retentionMs;
    }

    /** @return the retained size in bytes, or -1 for no limit. */
    public long retentionBytes()
    {
        return retentionBytes;
    }

    /** @return records between forced flushes; 1 flushes every write. */
    public long flushMessages()
    {
        return flushMessages;
    }

    /** @return milliseconds between forced flushes. */
    public long flushMs()
    {
        return flushMs;
    }

    /** @return true if every append is forced to disk before it returns. */
    public boolean flushesEveryWrite()
    {
        return flushMessages == 1;
    }

    /**
     * @return true if an append may force the disk (a flush by count or by time), so that its
     * caller can wait on the device; false if flushing is left to the operating system and an
     * append only writes to the page cache.
     */
    public boolean forcesFlushes()
    {
        return flushMessages != Long.MAX_VALUE || flushMs != Long.MAX_VALUE;
    }

    /** @return the largest batch accepted, in bytes. */
    public int maxMessageBytes()
    {
        return maxMessageBytes;
    }

    /** @return whose clock stamps the records. */
    public TimestampType timestampType()
    {
        return timestampType;
    }

    @Override
    public boolean equals(final Object o)
    {
        return o instanceof LogConfig other && toMap().equals(other.toMap());
    }

    @Override
    public int hashCode()
    {
        return toMap().hashCode();
    }

    @Override
    public String toString()
    {
        return "LogConfig" + toMap();
    }
}
