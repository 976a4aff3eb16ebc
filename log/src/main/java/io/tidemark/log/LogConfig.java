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
    /**
     * A list of {@code delete} (retention deletes old segments) and {@code compact} (the log cleaner keeps the latest record per
     * key); empty, as in Kafka 4, the log keeps every record: no retention, no cleaning.
     */
    public static final String CLEANUP_POLICY = "cleanup.policy";
    /** How long the cleaner keeps a tombstone after the segment holding it was first cleaned. */
    public static final String DELETE_RETENTION_MS = "delete.retention.ms";
    /** The least age of a record the cleaner may remove. */
    public static final String MIN_COMPACTION_LAG_MS = "min.compaction.lag.ms";
    /** The age of the oldest uncleaned data that makes a log due for cleaning whatever its dirty ratio. */
    public static final String MAX_COMPACTION_LAG_MS = "max.compaction.lag.ms";
    /** The share of uncleaned bytes in the sealed segments that makes a log due for cleaning. */
    public static final String MIN_CLEANABLE_DIRTY_RATIO = "min.cleanable.dirty.ratio";
    /** How long a segment file the log cleaner replaced stays for the readers still using it. */
    public static final String FILE_DELETE_DELAY_MS = "file.delete.delay.ms";
    /** Kafka's codec for the topic's batches; stored and described, batches are kept as written. */
    public static final String COMPRESSION_TYPE = "compression.type";

    /** The value of {@link #CLEANUP_POLICY} that deletes old segments. */
    private static final String DELETE = "delete";
    /** The value of {@link #CLEANUP_POLICY} that compacts the log. */
    private static final String COMPACT = "compact";

    private static final String KEPT_NOT_APPLIED = " Stored and described as in Kafka; ";
    private static final String THROTTLED_FORMAT = "(\\*|[0-9]+:[0-9]+(,[0-9]+:[0-9]+)*)?";
    private static final String THROTTLED_FORMAT_DOC = "'*' or partition:broker pairs such as 0:0,1:0";

    /**
     * Every topic key of Apache Kafka 4.x, with Kafka's type, valid values and default and what
     * it does here. The first rows are the keys the log honours; the rest are kept and described
     * exactly as Kafka would, so that tools creating topics with Kafka's settings work, but mean
     * nothing (yet) to a log with one replica, no compaction and no tiered storage. Adding a key
     * is one row here (and a field where the log reads it).
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
        ConfigKey.ofList(TOPIC, CLEANUP_POLICY, DELETE, "What happens to old segments: deleted by retention (delete), or " +
            "compacted to the latest record per key (compact), or both; empty, nothing: every record is kept.", DELETE, COMPACT),
        ConfigKey.ofString(TOPIC, COMPRESSION_TYPE, "producer", "The codec of the topic's batches." + KEPT_NOT_APPLIED +
            "batches are kept as the producer wrote them, never recompressed.", "uncompressed", "zstd", "lz4", "snappy", "gzip", "producer"),
        ConfigKey.ofInt(TOPIC, "compression.gzip.level", -1, 9, -1, "The gzip level (-1: the codec's default, or 1 to 9)." + KEPT_NOT_APPLIED +
            "batches are not recompressed."),
        ConfigKey.ofInt(TOPIC, "compression.lz4.level", 1, 17, 9, "The lz4 level." + KEPT_NOT_APPLIED + "batches are not recompressed."),
        ConfigKey.ofInt(TOPIC, "compression.zstd.level", -131072, 22, 3, "The zstd level." + KEPT_NOT_APPLIED + "batches are not recompressed."),
        ConfigKey.ofLong(TOPIC, DELETE_RETENTION_MS, 0, Long.MAX_VALUE, 24 * 3600 * 1000L,
            "How long compaction keeps a tombstone after the segment holding it was first cleaned."),
        ConfigKey.ofLong(TOPIC, MIN_COMPACTION_LAG_MS, 0, Long.MAX_VALUE, 0,
            "The least age of a record compaction may remove: a segment whose newest record is younger is not cleaned."),
        ConfigKey.ofLong(TOPIC, MAX_COMPACTION_LAG_MS, 1, Long.MAX_VALUE, Long.MAX_VALUE,
            "The age of the oldest uncleaned segment's newest record that makes a log due whatever its dirty ratio."),
        ConfigKey.ofDouble(TOPIC, MIN_CLEANABLE_DIRTY_RATIO, 0, 1, "0.5",
            "The share of the sealed segments' bytes not yet compacted that makes a log due."),
        ConfigKey.ofInt(TOPIC, "min.insync.replicas", 1, Integer.MAX_VALUE, 1, "Replicas that must have a write acknowledged with acks=all." +
            KEPT_NOT_APPLIED + "the broker holds the only replica and acknowledges alone."),
        ConfigKey.ofBoolean(TOPIC, "unclean.leader.election.enable", false, "Whether a replica out of sync may lead." + KEPT_NOT_APPLIED +
            "the broker holds the only replica."),
        ConfigKey.ofFormattedList(TOPIC, "leader.replication.throttled.replicas", "", "Replicas whose replication is throttled on the leader." +
            KEPT_NOT_APPLIED + "there is no replication.", THROTTLED_FORMAT, THROTTLED_FORMAT_DOC),
        ConfigKey.ofFormattedList(TOPIC, "follower.replication.throttled.replicas", "", "Replicas whose replication is throttled on the follower." +
            KEPT_NOT_APPLIED + "there is no replication.", THROTTLED_FORMAT, THROTTLED_FORMAT_DOC),
        ConfigKey.ofBoolean(TOPIC, "preallocate", false, "Whether a new segment file is made full size at once." + KEPT_NOT_APPLIED +
            "segments grow as they are written."),
        ConfigKey.ofInt(TOPIC, "segment.index.bytes", 4, Integer.MAX_VALUE, 10 * 1024 * 1024, "The size of a segment's offset index file." +
            KEPT_NOT_APPLIED + "the indexes are sparse, in memory, and as large as their entries."),
        ConfigKey.ofLong(TOPIC, "segment.jitter.ms", 0, Long.MAX_VALUE, 0, "A random amount taken off segment.ms per segment." +
            KEPT_NOT_APPLIED + "segments roll at segment.ms exactly."),
        ConfigKey.ofLong(TOPIC, FILE_DELETE_DELAY_MS, 0, Long.MAX_VALUE, 60_000, "How long a deleted segment's files wait before removal: " +
            "applied to the files the log cleaner replaced; retention's go once no reader holds them."),
        ConfigKey.ofLong(TOPIC, "message.timestamp.before.max.ms", 0, Long.MAX_VALUE, Long.MAX_VALUE,
            "How far a record's CreateTime may lie behind the broker's clock." + KEPT_NOT_APPLIED + "timestamps are not checked."),
        ConfigKey.ofLong(TOPIC, "message.timestamp.after.max.ms", 0, Long.MAX_VALUE, 3600 * 1000L,
            "How far a record's CreateTime may lie ahead of the broker's clock." + KEPT_NOT_APPLIED + "timestamps are not checked."),
        ConfigKey.ofBoolean(TOPIC, "remote.storage.enable", false, "Whether old segments move to tiered storage, which there is none of here.",
            "false"),
        ConfigKey.ofLong(TOPIC, "local.retention.ms", -2, Long.MAX_VALUE, -2, "Local retention with tiered storage (-2: retention.ms)." +
            KEPT_NOT_APPLIED + "there is no tiered storage."),
        ConfigKey.ofLong(TOPIC, "local.retention.bytes", -2, Long.MAX_VALUE, -2, "Local retention with tiered storage (-2: retention.bytes)." +
            KEPT_NOT_APPLIED + "there is no tiered storage."),
        ConfigKey.ofBoolean(TOPIC, "remote.log.copy.disable", false, "Whether copying to tiered storage stops." + KEPT_NOT_APPLIED +
            "there is no tiered storage."),
        ConfigKey.ofBoolean(TOPIC, "remote.log.delete.on.disable", false, "Whether tiered data is deleted when tiering is turned off." +
            KEPT_NOT_APPLIED + "there is no tiered storage.")));

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
    private final boolean compact;
    private final boolean delete;
    private final long deleteRetentionMs;
    private final long minCompactionLagMs;
    private final long maxCompactionLagMs;
    private final double minCleanableDirtyRatio;
    private final long fileDeleteDelayMs;

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
        final List<String> policies = List.of(values.getString(CLEANUP_POLICY).split(","));
        this.compact = policies.contains(COMPACT);
        this.delete = policies.contains(DELETE);
        this.deleteRetentionMs = values.getLong(DELETE_RETENTION_MS);
        this.minCompactionLagMs = values.getLong(MIN_COMPACTION_LAG_MS);
        this.maxCompactionLagMs = values.getLong(MAX_COMPACTION_LAG_MS);
        this.minCleanableDirtyRatio = values.getDouble(MIN_CLEANABLE_DIRTY_RATIO);
        this.fileDeleteDelayMs = values.getLong(FILE_DELETE_DELAY_MS);
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

    /**
     * @return true if the log cleaner keeps the latest record per key ({@code cleanup.policy} holds {@code compact}).
     */
    public boolean compact()
    {
        return compact;
    }

    /**
     * @return true if retention deletes old segments ({@code cleanup.policy} holds {@code delete}).
     */
    public boolean delete()
    {
        return delete;
    }

    /**
     * @return how long a tombstone is kept after the segment holding it was first cleaned, in milliseconds.
     */
    public long deleteRetentionMs()
    {
        return deleteRetentionMs;
    }

    /**
     * @return the least age of a record the cleaner may remove, in milliseconds.
     */
    public long minCompactionLagMs()
    {
        return minCompactionLagMs;
    }

    /**
     * @return the age of uncleaned data that makes the log due for cleaning whatever its dirty ratio, in milliseconds.
     */
    public long maxCompactionLagMs()
    {
        return maxCompactionLagMs;
    }

    /**
     * @return the share of uncleaned bytes in the sealed segments that makes the log due for cleaning.
     */
    public double minCleanableDirtyRatio()
    {
        return minCleanableDirtyRatio;
    }

    /**
     * @return how long a segment file the log cleaner replaced is kept for the readers still using it, in milliseconds.
     */
    public long fileDeleteDelayMs()
    {
        return fileDeleteDelayMs;
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
