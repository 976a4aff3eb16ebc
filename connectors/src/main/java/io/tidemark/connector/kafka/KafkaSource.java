package io.tidemark.connector.kafka;

import io.tidemark.connector.log.LogDeserializer;
import io.tidemark.engine.functions.SerializedCopy;
import io.tidemark.engine.source.Source;
import io.tidemark.engine.source.SourceContext;
import io.tidemark.engine.source.SplitReader;
import io.tidemark.engine.state.TypeSerializer;
import io.tidemark.log.IsolationLevel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads Kafka topics (from Apache Kafka or {@code tidemark server}) through kafka-clients:
 * one {@link KafkaSplit} per partition, one {@link KafkaConsumer} per source subtask shared by
 * that subtask's split readers, each record emitted with its Kafka timestamp and turned into a
 * value by a {@link LogDeserializer}.
 *
 * <ul>
 *   <li><b>Splits.</b> At job start the partitions of the topics (or of every topic matching
 *       the pattern) are listed by topic and partition and dealt as the engine deals splits:
 *       the {@code i}-th to subtask {@code i % parallelism}. A partition found later (a topic
 *       that grew, a new topic matching the pattern) belongs to subtask
 *       {@code (((topic.hashCode() * 31) & 0x7FFFFFFF) + partition) % parallelism} and starts
 *       at its earliest offset.</li>
 *   <li><b>Discovery</b> asks the cluster on an {@link Admin} of the subtask's own every
 *       {@link Builder#partitionDiscovery interval} (30 s by default) and takes the answer
 *       over at the next round, so the task never waits for the network. A bounded source does
 *       not discover.</li>
 *   <li><b>Positions.</b> A fresh job starts where its {@link KafkaStartPosition} says; the
 *       splits then hold concrete offsets, and a resumed job reads on from those its
 *       checkpoint stored. The consumer is assigned its partitions (no subscription, no group
 *       membership); with {@link Builder#commitOffsetsOnCheckpoint} the offsets of every
 *       completed checkpoint are committed to the group, for monitoring only.</li>
 *   <li><b>Isolation.</b> read_committed by default: aborted transactions are never seen, and
 *       a {@link Builder#bounded() bounded} read ends at each partition's last stable offset
 *       at job start.</li>
 *   <li><b>Idleness.</b> Watermarks are generated per partition. Unless the watermark
 *       strategy sets an idle timeout of its own, a partition without records for
 *       {@link #DEFAULT_IDLE_TIMEOUT} stops holding event time back
 *       ({@link Builder#idleTimeout} changes or, with zero, disables it): a topic with a quiet
 *       partition is common, and without this every event-time window of the job would wait
 *       for it.</li>
 * </ul>
 *
 * <pre>{@code
 * KafkaSource<Click> source = KafkaSource.<Click>builder("127.0.0.1:9092", Click::fromBytes)
 *     .topics("clicks")
 *     .startingAt(KafkaStartPosition.earliest())
 *     .build();
 * env.fromSource(source, WatermarkStrategy.forBoundedOutOfOrderness(Duration.ofSeconds(2)), "clicks");
 * }</pre>
 *
 * <p>A subtask's consumer and Admin live from its first reader or discovery to
 * {@link #closeSubtask}; they are found by the subtask's thread, on which the engine makes all
 * those calls, so one source object may serve jobs one after another or side by side.
 *
 * @param <T> the record type.
 */
public final class KafkaSource<T> implements Source<T, KafkaSplit>
{
    /** How long a partition goes without records before it is idle, unless set otherwise. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);
    /** How often subtasks look for new partitions, unless set otherwise. */
    public static final Duration DEFAULT_DISCOVERY_INTERVAL = Duration.ofSeconds(30);

    private static final int BATCH = 256;
    private static final long ADMIN_TIMEOUT_SECONDS = 60;
    /** Consumer keys the builder sets itself, each by the method named. */
    private static final Map<String, String> RESERVED = Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "builder(bootstrap, ...)",
        ConsumerConfig.GROUP_ID_CONFIG, "groupId(...)",
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "isolationLevel(...)",
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "commitOffsetsOnCheckpoint(...)",
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, "the LogDeserializer",
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, "the LogDeserializer");

    private final String bootstrap;
    private final SerializedCopy<LogDeserializer<T>> deserializer;
    private final List<String> topics;
    private final Pattern pattern;
    private final KafkaStartPosition start;
    private final String groupId;
    private final boolean commitOffsets;
    private final IsolationLevel isolation;
    private final Duration discovery;
    private final boolean bounded;
    private final Map<String, String> properties;
    private final Duration idleTimeout;
    /** Each running subtask's fetcher, by the subtask's thread. */
    private final Map<Thread, KafkaFetcher> fetchers = new ConcurrentHashMap<>();

    private KafkaSource(final Builder<T> builder)
    {
        this.bootstrap = builder.bootstrap;
        this.deserializer = SerializedCopy.of(builder.deserializer, "Kafka deserializer");
        this.topics = builder.topics;
        this.pattern = builder.pattern;
        this.start = builder.start;
        this.groupId = builder.groupId;
        this.commitOffsets = builder.commitOffsets;
        this.isolation = builder.isolation;
        this.discovery = builder.bounded ? Duration.ZERO : builder.discovery;
        this.bounded = builder.bounded;
        this.properties = Map.copyOf(builder.properties);
        this.idleTimeout = builder.idleTimeout;
    }

    /**
     * @param bootstrap    the cluster's bootstrap servers, {@code host:port[,host:port...]}.
     * @param deserializer turns key and value bytes into records.
     * @param <T>          the record type.
     * @return a builder; name the topics or a pattern, the rest has defaults.
     */
    public static <T> Builder<T> builder(final String bootstrap, final LogDeserializer<T> deserializer)
    {
        return new Builder<>(bootstrap, deserializer);
    }

    /**
     * The subtask that owns a partition found while the job runs.
     *
     * @param topic       the partition's topic.
     * @param partition   the partition.
     * @param parallelism the source's parallelism.
     * @return the owning subtask.
     */
    static int owner(final String topic, final int partition, final int parallelism)
    {
        return (((topic.hashCode() * 31) & 0x7FFFFFFF) + partition) % parallelism;
    }

    @Override
    public List<KafkaSplit> createSplits(final int parallelism)
    {
        try (Admin admin = Admin.create(adminProperties()))
        {
            final KafkaTopics cluster = topics(admin);
            final List<TopicPartition> partitions = await(cluster.partitions());
            final Map<TopicPartition, Long> first = startOffsets(cluster, partitions);
            final Map<TopicPartition, Long> end = bounded ? await(cluster.offsets(partitions, OffsetSpec.latest())) : Map.of();
            final List<KafkaSplit> splits = new ArrayList<>(partitions.size());
            for (final TopicPartition partition : partitions)
            {
                final long stop = bounded ? end.get(partition) : KafkaSplit.UNBOUNDED;
                splits.add(new KafkaSplit(partition.topic(), partition.partition(), Math.min(first.get(partition), stop), stop));
            }
            return splits;
        }
    }

    private Map<TopicPartition, Long> startOffsets(final KafkaTopics cluster, final List<TopicPartition> partitions)
    {
        return switch (start.kind())
        {
            case EARLIEST -> await(cluster.offsets(partitions, OffsetSpec.earliest()));
            case LATEST -> await(cluster.offsets(partitions, OffsetSpec.latest()));
            case TIMESTAMP ->
            {
                final Map<TopicPartition, Long> found = new HashMap<>(await(cluster.offsets(partitions, OffsetSpec.forTimestamp(start.timestamp()))));
                final Map<TopicPartition, Long> ends = await(cluster.offsets(partitions, OffsetSpec.latest()));
                // No record at or after the timestamp: the partition's end.
                found.replaceAll((partition, offset) -> offset < 0 ? ends.get(partition) : offset);
                yield found;
            }
            case COMMITTED ->
            {
                final Map<TopicPartition, Long> committed = await(cluster.committed(groupId));
                final OffsetSpec fallback = start.fallback().kind() == KafkaStartPosition.Kind.EARLIEST ? OffsetSpec.earliest() : OffsetSpec.latest();
                final Map<TopicPartition, Long> offsets = new HashMap<>(await(cluster.offsets(partitions, fallback)));
                offsets.replaceAll((partition, offset) -> committed.getOrDefault(partition, offset));
                yield offsets;
            }
            case OFFSETS ->
            {
                final Map<TopicPartition, Long> offsets = new HashMap<>(await(cluster.offsets(partitions, OffsetSpec.earliest())));
                offsets.replaceAll((partition, offset) -> start.offsets().getOrDefault(partition, offset));
                yield offsets;
            }
        };
    }

    private <V> V await(final CompletableFuture<V> answer)
    {
        try
        {
            return answer.get(ADMIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking " + bootstrap + " about " + describeTopics(), e);
        }
        catch (final ExecutionException | java.util.concurrent.TimeoutException e)
        {
            final Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new IllegalStateException("cannot read the partitions and offsets of " + describeTopics() + " at " + bootstrap + ": " + cause, cause);
        }
    }

    /**
     * Asks the cluster, on the Admin's thread, for partitions this subtask owns and does not
     * know yet, each with its earliest offset.
     */
    CompletableFuture<List<KafkaSplit>> newPartitions(final Admin admin, final int subtask, final int parallelism, final Set<String> known)
    {
        final KafkaTopics cluster = topics(admin);
        return cluster.partitions().thenCompose(partitions ->
        {
            final List<TopicPartition> mine = new ArrayList<>();
            for (final TopicPartition partition : partitions)
            {
                if (!known.contains(KafkaSplit.id(partition.topic(), partition.partition())) && owner(partition.topic(), partition.partition(), parallelism) == subtask)
                {
                    mine.add(partition);
                }
            }
            return cluster.offsets(mine, OffsetSpec.earliest()).thenApply(earliest ->
            {
                final List<KafkaSplit> splits = new ArrayList<>(mine.size());
                for (final TopicPartition partition : mine)
                {
                    splits.add(new KafkaSplit(partition.topic(), partition.partition(), earliest.get(partition), KafkaSplit.UNBOUNDED));
                }
                return splits;
            });
        });
    }

    private KafkaTopics topics(final Admin admin)
    {
        return new KafkaTopics(admin, topics, pattern, kafkaIsolation());
    }

    private org.apache.kafka.common.IsolationLevel kafkaIsolation()
    {
        return org.apache.kafka.common.IsolationLevel.valueOf(isolation.name());
    }

    @Override
    public SplitReader<T> createReader(final KafkaSplit split)
    {
        throw new UnsupportedOperationException("a Kafka split is read by its subtask's consumer: createReader(split, context)");
    }

    @Override
    public SplitReader<T> createReader(final KafkaSplit split, final SourceContext context)
    {
        return new KafkaSplitReader<>(split, deserializer.newCopy(), fetcher(), BATCH, commitOffsets);
    }

    @Override
    public Duration discoveryInterval()
    {
        return discovery;
    }

    @Override
    public List<KafkaSplit> discoverSplits(final SourceContext context, final Set<String> known)
    {
        return fetcher().discover(context.subtask(), context.parallelism(), known);
    }

    @Override
    public void closeSubtask(final SourceContext context)
    {
        final KafkaFetcher fetcher = fetchers.remove(Thread.currentThread());
        if (fetcher != null)
        {
            fetcher.close();
        }
    }

    private KafkaFetcher fetcher()
    {
        return fetchers.computeIfAbsent(Thread.currentThread(), thread -> new KafkaFetcher(this, new KafkaConsumer<>(consumerProperties())));
    }

    @Override
    public Duration defaultIdleTimeout()
    {
        return idleTimeout;
    }

    @Override
    public TypeSerializer<KafkaSplit> splitSerializer()
    {
        return KafkaSplit.SERIALIZER;
    }

    @Override
    public boolean isBounded()
    {
        return bounded;
    }

    /**
     * @return the group offsets are read from and committed to, or {@code null}.
     */
    public String groupId()
    {
        return groupId;
    }

    /**
     * @return the topics read, or the pattern they match, for messages.
     */
    String describeTopics()
    {
        return pattern == null ? "topics " + topics : "topics matching " + pattern.pattern();
    }

    Properties consumerProperties()
    {
        final Properties config = new Properties();
        config.putAll(properties);
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation.configValue());
        // A position that retention removed reads on from the earliest record kept.
        config.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        if (groupId != null)
        {
            config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        }
        return config;
    }

    Properties adminProperties()
    {
        final Properties config = new Properties();
        properties.forEach((key, value) ->
        {
            if (AdminClientConfig.configNames().contains(key))
            {
                config.put(key, value);
            }
        });
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return config;
    }

    /**
     * Builds a {@link KafkaSource}.
     *
     * @param <T> the record type.
     */
    public static final class Builder<T>
    {
        private final String bootstrap;
        private final LogDeserializer<T> deserializer;
        private List<String> topics;
        private Pattern pattern;
        private KafkaStartPosition start = KafkaStartPosition.earliest();
        private String groupId;
        private boolean commitOffsets;
        private IsolationLevel isolation = IsolationLevel.READ_COMMITTED;
        private Duration discovery = DEFAULT_DISCOVERY_INTERVAL;
        private boolean bounded;
        private final Map<String, String> properties = new LinkedHashMap<>();
        private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;

        private Builder(final String bootstrap, final LogDeserializer<T> deserializer)
        {
            this.bootstrap = Objects.requireNonNull(bootstrap, "bootstrap");
            this.deserializer = Objects.requireNonNull(deserializer, "deserializer");
        }

        /**
         * @param names the topics to read; each must exist when the job starts.
         * @return this builder.
         */
        public Builder<T> topics(final String... names)
        {
            if (names.length == 0)
            {
                throw new IllegalArgumentException("name at least one topic");
            }
            this.topics = List.of(names);
            return this;
        }

        /**
         * @param topicPattern the topics to read: every topic whose whole name matches, also
         *                     those created while the job runs (found by partition discovery).
         * @return this builder.
         */
        public Builder<T> topicPattern(final Pattern topicPattern)
        {
            this.pattern = Objects.requireNonNull(topicPattern, "topicPattern");
            return this;
        }

        /**
         * @param position where a fresh job starts in each partition; {@link KafkaStartPosition#earliest()}
         *                 by default.
         * @return this builder.
         */
        public Builder<T> startingAt(final KafkaStartPosition position)
        {
            this.start = Objects.requireNonNull(position, "position");
            return this;
        }

        /**
         * @param group the consumer group whose committed offsets {@link KafkaStartPosition#committed}
         *              reads and to which {@link #commitOffsetsOnCheckpoint} commits. The
         *              source never joins the group.
         * @return this builder.
         */
        public Builder<T> groupId(final String group)
        {
            this.groupId = Objects.requireNonNull(group, "group");
            return this;
        }

        /**
         * @param commit whether the offsets of every completed checkpoint are committed to the
         *               group (off by default). For monitoring (lag) only: a resumed job reads
         *               on from its checkpoint, not from the group.
         * @return this builder.
         */
        public Builder<T> commitOffsetsOnCheckpoint(final boolean commit)
        {
            this.commitOffsets = commit;
            return this;
        }

        /**
         * @param level {@code READ_COMMITTED} (the default) to see committed transactions only,
         *              {@code READ_UNCOMMITTED} to see every record.
         * @return this builder.
         */
        public Builder<T> isolationLevel(final IsolationLevel level)
        {
            this.isolation = Objects.requireNonNull(level, "level");
            return this;
        }

        /**
         * @param interval how often each subtask looks for new partitions and topics;
         *                 {@link Duration#ZERO} for never. 30 s by default.
         * @return this builder.
         */
        public Builder<T> partitionDiscovery(final Duration interval)
        {
            if (interval.isNegative())
            {
                throw new IllegalArgumentException("the discovery interval must not be negative: " + interval);
            }
            this.discovery = interval;
            return this;
        }

        /**
         * Makes the source end at each partition's end offset at job start (its last stable
         * offset under read_committed), so that the job finishes. A bounded source does not
         * discover partitions.
         *
         * @return this builder.
         */
        public Builder<T> bounded()
        {
            this.bounded = true;
            return this;
        }

        /**
         * @param timeout how long a partition goes without records before it stops holding
         *                event time back, when the watermark strategy sets no idle timeout;
         *                {@link Duration#ZERO} to never declare it idle. {@link #DEFAULT_IDLE_TIMEOUT}
         *                by default.
         * @return this builder.
         */
        public Builder<T> idleTimeout(final Duration timeout)
        {
            if (timeout.isNegative())
            {
                throw new IllegalArgumentException("the idle timeout must not be negative: " + timeout);
            }
            this.idleTimeout = timeout;
            return this;
        }

        /**
         * @param key   a consumer configuration key (security, fetch sizes, ...).
         * @param value its value.
         * @return this builder.
         * @throws IllegalArgumentException for a key the builder sets itself, naming the
         *         method to use instead.
         */
        public Builder<T> property(final String key, final String value)
        {
            final String instead = RESERVED.get(key);
            if (instead != null)
            {
                throw new IllegalArgumentException("the Kafka source sets " + key + " itself: use " + instead);
            }
            properties.put(key, Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * @return the source.
         * @throws IllegalStateException if neither topics nor a pattern were named, or both,
         *         or committed offsets are asked for without a group id.
         */
        public KafkaSource<T> build()
        {
            if ((topics == null) == (pattern == null))
            {
                throw new IllegalStateException("name the topics or a topic pattern, one of them");
            }
            if (groupId == null && (commitOffsets || start.kind() == KafkaStartPosition.Kind.COMMITTED))
            {
                throw new IllegalStateException("committed offsets need a group id: groupId(...)");
            }
            return new KafkaSource<>(this);
        }
    }
}
