package io.tidemark.log;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.LongPredicate;

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

    private static final Set<String> KEYS = Set.of(SEGMENT_BYTES, SEGMENT_MS, INDEX_INTERVAL_BYTES, RETENTION_MS,
        RETENTION_BYTES, FLUSH_MESSAGES, FLUSH_MS, MAX_MESSAGE_BYTES, MESSAGE_TIMESTAMP_TYPE, CLEANUP_POLICY);

    /** Kafka's defaults. */
    public static final LogConfig DEFAULTS = new LogConfig(1 << 30, 7 * 24 * 3600 * 1000L, 4096,
        7 * 24 * 3600 * 1000L, -1, Long.MAX_VALUE, Long.MAX_VALUE, 1024 * 1024 + 12, TimestampType.CREATE_TIME, "delete");

    private final int segmentBytes;
    private final long segmentMs;
    private final int indexIntervalBytes;
    private final long retentionMs;
    private final long retentionBytes;
    private final long flushMessages;
    private final long flushMs;
    private final int maxMessageBytes;
    private final TimestampType timestampType;
    private final String cleanupPolicy;

    private LogConfig(
        final int segmentBytes,
        final long segmentMs,
        final int indexIntervalBytes,
        final long retentionMs,
        final long retentionBytes,
        final long flushMessages,
        final long flushMs,
        final int maxMessageBytes,
        final TimestampType timestampType,
        final String cleanupPolicy)
    {
        this.segmentBytes = segmentBytes;
        this.segmentMs = segmentMs;
        this.indexIntervalBytes = indexIntervalBytes;
        this.retentionMs = retentionMs;
        this.retentionBytes = retentionBytes;
        this.flushMessages = flushMessages;
        this.flushMs = flushMs;
        this.maxMessageBytes = maxMessageBytes;
        this.timestampType = timestampType;
        this.cleanupPolicy = cleanupPolicy;
    }

    /**
     * A copy with some keys set from text, each checked.
     *
     * @param overrides keys from this class's constants, mapped to their values as text.
     * @return the new configuration.
     * @throws InvalidConfigurationException naming the first unknown key or invalid value.
     */
    public LogConfig withOverrides(final Map<String, String> overrides)
    {
        int segmentBytes = this.segmentBytes;
        long segmentMs = this.segmentMs;
        int indexIntervalBytes = this.indexIntervalBytes;
        long retentionMs = this.retentionMs;
        long retentionBytes = this.retentionBytes;
        long flushMessages = this.flushMessages;
        long flushMs = this.flushMs;
        int maxMessageBytes = this.maxMessageBytes;
        TimestampType timestampType = this.timestampType;
        String cleanupPolicy = this.cleanupPolicy;
        for (final Map.Entry<String, String> e : overrides.entrySet())
        {
            final String key = e.getKey();
            final String value = e.getValue() == null ? "" : e.getValue().trim();
            switch (key)
            {
                case SEGMENT_BYTES -> segmentBytes = (int)number(key, value, v -> v >= RecordBatchLayout.HEADER_SIZE && v <= Integer.MAX_VALUE,
                    "between " + RecordBatchLayout.HEADER_SIZE + " and " + Integer.MAX_VALUE);
                case SEGMENT_MS -> segmentMs = number(key, value, v -> v >= 1, "at least 1");
                case INDEX_INTERVAL_BYTES -> indexIntervalBytes = (int)number(key, value, v -> v >= 0 && v <= Integer.MAX_VALUE,
                    "between 0 and " + Integer.MAX_VALUE);
                case RETENTION_MS -> retentionMs = number(key, value, v -> v >= -1, "-1 (forever) or more");
                case RETENTION_BYTES -> retentionBytes = number(key, value, v -> v >= -1, "-1 (no limit) or more");
                case FLUSH_MESSAGES -> flushMessages = number(key, value, v -> v >= 1, "at least 1");
                case FLUSH_MS -> flushMs = number(key, value, v -> v >= 0, "0 or more");
                case MAX_MESSAGE_BYTES -> maxMessageBytes = (int)number(key, value, v -> v >= RecordBatchLayout.HEADER_SIZE && v <= Integer.MAX_VALUE,
                    "between " + RecordBatchLayout.HEADER_SIZE + " and " + Integer.MAX_VALUE);
                case MESSAGE_TIMESTAMP_TYPE ->
                {
                    try
                    {
                        timestampType = TimestampType.fromConfigName(value);
                    }
                    catch (final IllegalArgumentException ex)
                    {
                        throw new InvalidConfigurationException("invalid value '" + value + "' for " + key + ": CreateTime or LogAppendTime");
                    }
                }
                case CLEANUP_POLICY ->
                {
                    if (!"delete".equals(value))
                    {
                        throw new InvalidConfigurationException("invalid value '" + value + "' for " + key + ": only 'delete' is supported");
                    }
                    cleanupPolicy = value;
                }
                default -> throw new InvalidConfigurationException("unknown topic configuration key '" + key + "'; known keys: " +
                    String.join(", ", KEYS.stream().sorted().toList()));
            }
        }
        return new LogConfig(segmentBytes, segmentMs, indexIntervalBytes, retentionMs, retentionBytes, flushMessages,
            flushMs, maxMessageBytes, timestampType, cleanupPolicy);
    }

    private static long number(final String key, final String value, final LongPredicate valid, final String range)
    {
        final long parsed;
        try
        {
            parsed = Long.parseLong(value);
        }
        catch (final NumberFormatException e)
        {
            throw new InvalidConfigurationException("invalid value '" + value + "' for " + key + ": not a whole number");
        }
        if (!valid.test(parsed))
        {
            throw new InvalidConfigurationException("invalid value " + parsed + " for " + key + ": must be " + range);
        }
        return parsed;
    }

    /**
     * @return every key with its value as text, in a stable order.
     */
    public Map<String, String> toMap()
    {
        final Map<String, String> map = new LinkedHashMap<>();
        map.put(SEGMENT_BYTES, Integer.toString(segmentBytes));
        map.put(SEGMENT_MS, Long.toString(segmentMs));
        map.put(INDEX_INTERVAL_BYTES, Integer.toString(indexIntervalBytes));
        map.put(RETENTION_MS, Long.toString(retentionMs));
        map.put(RETENTION_BYTES, Long.toString(retentionBytes));
        map.put(FLUSH_MESSAGES, Long.toString(flushMessages));
        map.put(FLUSH_MS, Long.toString(flushMs));
        map.put(MAX_MESSAGE_BYTES, Integer.toString(maxMessageBytes));
        map.put(MESSAGE_TIMESTAMP_TYPE, timestampType.configName());
        map.put(CLEANUP_POLICY, cleanupPolicy);
        return map;
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
