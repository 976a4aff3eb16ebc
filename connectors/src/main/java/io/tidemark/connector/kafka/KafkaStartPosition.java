package io.tidemark.connector.kafka;

import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.TopicPartition;

/**
 * Where a {@link KafkaSource} starts reading each partition when the job starts afresh. A job
 * resumed from a checkpoint (or an at-most-once job from its recorded positions) reads on from
 * there instead, whatever its start position says. Partitions found while the job runs start
 * at their earliest offset.
 */
public final class KafkaStartPosition
{
    /** How the position is found. */
    enum Kind
    {
        EARLIEST, LATEST, COMMITTED, TIMESTAMP, OFFSETS
    }

    private final Kind kind;
    private final KafkaStartPosition fallback;
    private final long timestamp;
    private final Map<TopicPartition, Long> offsets;

    private KafkaStartPosition(final Kind kind, final KafkaStartPosition fallback, final long timestamp, final Map<TopicPartition, Long> offsets)
    {
        this.kind = kind;
        this.fallback = fallback;
        this.timestamp = timestamp;
        this.offsets = offsets;
    }

    /**
     * @return each partition's earliest offset still kept.
     */
    public static KafkaStartPosition earliest()
    {
        return new KafkaStartPosition(Kind.EARLIEST, null, 0, Map.of());
    }

    /**
     * @return each partition's end at job start (its last stable offset under
     * read_committed): only records written after the job starts.
     */
    public static KafkaStartPosition latest()
    {
        return new KafkaStartPosition(Kind.LATEST, null, 0, Map.of());
    }

    /**
     * @param fallback where a partition for which the group committed no offset starts:
     *                 {@link #earliest()} or {@link #latest()}.
     * @return the offsets the source's group committed; needs a group id.
     */
    public static KafkaStartPosition committed(final KafkaStartPosition fallback)
    {
        Objects.requireNonNull(fallback, "fallback");
        if (fallback.kind != Kind.EARLIEST && fallback.kind != Kind.LATEST)
        {
            throw new IllegalArgumentException("the fallback of committed offsets is earliest() or latest(), not " + fallback);
        }
        return new KafkaStartPosition(Kind.COMMITTED, fallback, 0, Map.of());
    }

    /**
     * @param timestamp a time in milliseconds since the epoch.
     * @return in each partition, the first record whose timestamp is at or after
     * {@code timestamp} (Kafka's offsetsForTimes), or the partition's end if none is.
     */
    public static KafkaStartPosition timestamp(final long timestamp)
    {
        return new KafkaStartPosition(Kind.TIMESTAMP, null, timestamp, Map.of());
    }

    /**
     * @param offsets the offset to start at, per partition; a partition not named starts at
     *                its earliest offset.
     * @return explicit offsets.
     */
    public static KafkaStartPosition offsets(final Map<TopicPartition, Long> offsets)
    {
        return new KafkaStartPosition(Kind.OFFSETS, null, 0, Map.copyOf(offsets));
    }

    Kind kind()
    {
        return kind;
    }

    KafkaStartPosition fallback()
    {
        return fallback;
    }

    long timestamp()
    {
        return timestamp;
    }

    Map<TopicPartition, Long> offsets()
    {
        return offsets;
    }

    @Override
    public String toString()
    {
        return switch (kind)
        {
            case EARLIEST -> "earliest";
            case LATEST -> "latest";
            case COMMITTED -> "committed (else " + fallback + ")";
            case TIMESTAMP -> "timestamp " + timestamp;
            case OFFSETS -> "offsets " + offsets;
        };
    }
}
