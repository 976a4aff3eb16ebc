package io.tidemark.connector.log;

import io.tidemark.engine.functions.SerializedCopy;
import io.tidemark.engine.source.Source;
import io.tidemark.engine.state.Serializers;
import io.tidemark.engine.state.TypeSerializer;
import io.tidemark.log.IsolationLevel;
import io.tidemark.log.PartitionLog;
import io.tidemark.log.TimestampOffset;
import io.tidemark.log.TopicPartition;
import io.tidemark.log.topic.LogManager;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Reads a topic of the embedded log: one {@link LogSplit} per partition, partition {@code p}
 * read by source subtask {@code p % parallelism}. Watermarks are generated per partition and
 * a subtask forwards their minimum over the partitions that are not idle, so one partition
 * running ahead never turns another partition's records late. A subtask that owns no
 * partition (parallelism above the partition count) is idle from the start and sends no
 * watermark; in a bounded read it finishes at once with the final watermark, which the
 * channels downstream never let drive event time alone (see
 * {@link io.tidemark.engine.time.WatermarkValve}).
 *
 * <ul>
 *   <li>{@link #bounded}: reads each partition up to the log end offset it had when the job
 *       started, then ends; a job of bounded sources finishes.</li>
 *   <li>{@link #unbounded}: follows each partition as it grows, until the job is
 *       cancelled.</li>
 * </ul>
 *
 * <p>Records are read in place, from the segments' bytes ({@link LogSplitReader}): a
 * deserializer that overrides {@link LogDeserializer#deserialize(java.nio.ByteBuffer, int, int, int, int)}
 * to read its fields by index allocates nothing per record but the record itself.
 *
 * <p>It reads uncommitted by default, as Kafka's consumer does; with
 * {@link #withIsolationLevel read_committed} it sees only committed transactions, and a bounded
 * read ends at each partition's last stable offset at job start instead of its end.
 *
 * <pre>{@code
 * env.fromSource(LogSource.bounded(logs, "clicks", Click::fromBytes),
 *     WatermarkStrategy.<Click>forBoundedOutOfOrderness(Duration.ofSeconds(2)).withIdleness(Duration.ofMinutes(1)),
 *     "clicks");
 * }</pre>
 *
 * @param <T> the record type.
 */
public final class LogSource<T> implements Source<T, LogSplit>
{
    private static final int BATCH = 256;

    /** Stores a split as its topic (UTF-8), partition and two offsets. */
    private static final TypeSerializer<LogSplit> SPLIT_SERIALIZER = new TypeSerializer<>()
    {
        @Override
        public void serialize(final LogSplit split, final DataOutput out) throws IOException
        {
            Serializers.STRING.serialize(split.partition().topic(), out);
            out.writeInt(split.partition().partition());
            out.writeLong(split.startingOffset());
            out.writeLong(split.stoppingOffset());
        }

        @Override
        public LogSplit deserialize(final DataInput in) throws IOException
        {
            return new LogSplit(new TopicPartition(Serializers.STRING.deserialize(in), in.readInt()), in.readLong(), in.readLong());
        }
    };

    private enum Start
    {
        EARLIEST, LATEST, TIMESTAMP
    }

    private final LogManager logs;
    private final String topic;
    private final SerializedCopy<LogDeserializer<T>> deserializer;
    private final boolean bounded;
    private final Start start;
    private final long startTimestamp;
    private final IsolationLevel isolation;

    private LogSource(final LogManager logs, final String topic, final SerializedCopy<LogDeserializer<T>> deserializer, final boolean bounded, final Start start,
        final long startTimestamp, final IsolationLevel isolation)
    {
        this.isolation = isolation;
        this.logs = logs;
        this.topic = topic;
        this.deserializer = deserializer;
        this.bounded = bounded;
        this.start = start;
        this.startTimestamp = startTimestamp;
    }

    /**
     * @param logs         the log manager that holds the topic.
     * @param topic        the topic.
     * @param deserializer turns key and value bytes into records.
     * @param <T>          the record type.
     * @return a source that reads every partition from its start up to its end at job start.
     * @throws io.tidemark.log.errors.UnknownTopicOrPartitionException if there is no such topic.
     */
    public static <T> LogSource<T> bounded(final LogManager logs, final String topic, final LogDeserializer<T> deserializer)
    {
        return create(logs, topic, deserializer, true);
    }

    /**
     * @param logs         the log manager that holds the topic.
     * @param topic        the topic.
     * @param deserializer turns key and value bytes into records.
     * @param <T>          the record type.
     * @return a source that reads every partition from its start and follows it.
     * @throws io.tidemark.log.errors.UnknownTopicOrPartitionException if there is no such topic.
     */
    public static <T> LogSource<T> unbounded(final LogManager logs, final String topic, final LogDeserializer<T> deserializer)
    {
        return create(logs, topic, deserializer, false);
    }

    private static <T> LogSource<T> create(final LogManager logs, final String topic, final LogDeserializer<T> deserializer, final boolean bounded)
    {
        Objects.requireNonNull(logs, "logs");
        logs.partitions(topic);
        return new LogSource<>(logs, topic, SerializedCopy.of(deserializer, "log deserializer"), bounded, Start.EARLIEST, 0, IsolationLevel.READ_UNCOMMITTED);
    }

    /**
     * @return a copy of this source that starts at each partition's end: only records
     * written after the job starts.
     */
    public LogSource<T> startingAtLatest()
    {
        return new LogSource<>(logs, topic, deserializer, bounded, Start.LATEST, 0, isolation);
    }

    /**
     * @param timestamp a time in milliseconds.
     * @return a copy of this source that starts, in each partition, at the first record
     * whose timestamp is at or after {@code timestamp} (the partition's end if none is).
     */
    public LogSource<T> startingAtTimestamp(final long timestamp)
    {
        return new LogSource<>(logs, topic, deserializer, bounded, Start.TIMESTAMP, timestamp, isolation);
    }

    /**
     * @param level what the source sees of transactions: {@code READ_COMMITTED} for only the
     *        records of committed ones.
     * @return a copy of this source that reads at that isolation level.
     */
    public LogSource<T> withIsolationLevel(final IsolationLevel level)
    {
        return new LogSource<>(logs, topic, deserializer, bounded, start, startTimestamp, Objects.requireNonNull(level, "level"));
    }

    /**
     * @return the topic read.
     */
    public String topic()
    {
        return topic;
    }

    @Override
    public List<LogSplit> createSplits(final int parallelism)
    {
        final List<PartitionLog> partitions = logs.partitions(topic);
        final List<LogSplit> splits = new ArrayList<>(partitions.size());
        for (final PartitionLog log : partitions)
        {
            final long end = end(log);
            final long first = Math.min(startingOffset(log), end);
            splits.add(new LogSplit(log.topicPartition(), first, bounded ? end : LogSplit.UNBOUNDED));
        }
        return splits;
    }

    /** The end as Kafka's ListOffsets answers it at this isolation: a read-committed reader's is the last stable offset. */
    private long end(final PartitionLog log)
    {
        return isolation == IsolationLevel.READ_COMMITTED ? log.lastStableOffset() : log.logEndOffset();
    }

    private long startingOffset(final PartitionLog log)
    {
        return switch (start)
        {
            case EARLIEST -> log.logStartOffset();
            case LATEST -> end(log);
            case TIMESTAMP ->
            {
                final TimestampOffset found = log.offsetForTimestamp(startTimestamp);
                yield found == null ? log.logEndOffset() : found.offset();
            }
        };
    }

    @Override
    public LogSplitReader<T> createReader(final LogSplit split)
    {
        return new LogSplitReader<>(logs, split, deserializer.newCopy(), BATCH, isolation);
    }

    @Override
    public TypeSerializer<LogSplit> splitSerializer()
    {
        return SPLIT_SERIALIZER;
    }

    @Override
    public boolean isBounded()
    {
        return bounded;
    }
}
