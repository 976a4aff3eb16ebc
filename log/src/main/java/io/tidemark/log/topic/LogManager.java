package io.tidemark.log.topic;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.tidemark.log.LogConfig;
import io.tidemark.log.LogStorage;
import io.tidemark.log.PartitionLog;
import io.tidemark.log.RecoveryReport;
import io.tidemark.log.TopicPartition;
import io.tidemark.log.errors.InvalidConfigurationException;
import io.tidemark.log.errors.InvalidPartitionsException;
import io.tidemark.log.errors.InvalidTopicException;
import io.tidemark.log.errors.LogException;
import io.tidemark.log.errors.LogStorageException;
import io.tidemark.log.errors.TopicExistsException;
import io.tidemark.log.errors.UnknownTopicOrPartitionException;
import io.tidemark.log.storage.SegmentedLog;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.SystemEpochClock;

/**
 * The topics of one data directory and the logs of their partitions: create, list, describe
 * and delete topics, look up a partition's log, and run the background work (retention, timed
 * flushes). One log manager holds a data directory at a time, enforced by a file lock.
 *
 * <p>Topic metadata (partition count, configuration overrides) is a small properties file in
 * the topic's directory; see {@link DataDirectory} for the layout and why creation and
 * deletion cannot leave half a topic behind.
 */
public final class LogManager implements AutoCloseable
{
    private static final String TOPIC_FILE = "topic.properties";
    private static final String PARTITIONS_KEY = "partitions";

    private final DataDirectory dataDir;
    private final LogConfig defaults;
    private final EpochClock clock;
    private final long producerIdExpirationMs;
    private final LogStorage storage;
    private final Map<String, Topic> topics = new ConcurrentHashMap<>();
    private final ProducerIdManager producerIds;
    private final ScheduledExecutorService background;

    private record Topic(String name, Map<String, String> overrides, LogConfig config, List<PartitionLog> partitions)
    {
    }

    private LogManager(final DataDirectory dataDir, final LogConfig defaults, final EpochClock clock, final LogStorage storage,
        final Duration retentionCheckInterval, final Duration flushCheckInterval, final Duration producerIdExpiration)
    {
        this.dataDir = dataDir;
        this.defaults = defaults;
        this.clock = clock;
        this.producerIdExpirationMs = producerIdExpiration.toMillis();
        this.storage = storage;
        this.producerIds = new ProducerIdManager(dataDir.root());
        this.background = Executors.newSingleThreadScheduledExecutor(r ->
        {
            final Thread thread = new Thread(r, "tidemark-log-background");
            thread.setDaemon(true);
            return thread;
        });
        background.scheduleWithFixedDelay(this::runRetention, retentionCheckInterval.toMillis(), retentionCheckInterval.toMillis(),
            TimeUnit.MILLISECONDS);
        background.scheduleWithFixedDelay(this::runTimedFlushes, flushCheckInterval.toMillis(), flushCheckInterval.toMillis(),
            TimeUnit.MILLISECONDS);
    }

    /** How long an idempotent producer may stay silent and still be remembered, by default (Kafka's: a day). */
    public static final Duration DEFAULT_PRODUCER_ID_EXPIRATION = Duration.ofDays(1);

    /**
     * Opens a data directory with segment-file storage, the system clock, a retention check
     * every five minutes, a timed-flush check every second, and producer ids expiring after a
     * day of silence (Kafka's defaults).
     *
     * @param dataDir the data directory, created if missing.
     * @param defaults the configuration of topics that do not override it.
     * @return the log manager, holding the directory's lock.
     * @see #open(Path, LogConfig, EpochClock, Duration, Duration, Duration)
     */
    public static LogManager open(final Path dataDir, final LogConfig defaults)
    {
        return open(dataDir, defaults, SystemEpochClock.INSTANCE, Duration.ofMinutes(5), Duration.ofSeconds(1), DEFAULT_PRODUCER_ID_EXPIRATION);
    }

    /**
     * Opens a data directory: locks it, loads every topic and recovers every partition's log.
     *
     * @param dataDir the data directory, created if missing.
     * @param defaults the configuration of topics that do not override it.
     * @param clock the wall clock for rolling, retention and flushes.
     * @param retentionCheckInterval how often retention runs in the background.
     * @param flushCheckInterval how often {@code flush.ms} is checked in the background.
     * @param producerIdExpiration how long an idempotent producer may stay silent before its
     *        state is forgotten (Kafka's {@code producer.id.expiration.ms}); checked with retention.
     * @return the log manager, holding the directory's lock.
     * @throws io.tidemark.log.errors.DataDirectoryLockedException if another log manager, in
     *         this process or another, has the directory open.
     * @throws LogStorageException if a topic's files cannot be read; nothing is deleted.
     */
    public static LogManager open(final Path dataDir, final LogConfig defaults, final EpochClock clock,
        final Duration retentionCheckInterval, final Duration flushCheckInterval, final Duration producerIdExpiration)
    {
        final DataDirectory dir = DataDirectory.open(dataDir);
        final LogStorage storage = (tp, partitionDir, config) -> SegmentedLog.open(tp, partitionDir, config, clock);
        final LogManager manager;
        try
        {
            manager = new LogManager(dir, defaults, clock, storage, retentionCheckInterval, flushCheckInterval, producerIdExpiration);
        }
        catch (final RuntimeException e)
        {
            try
            {
                dir.close();
            }
            catch (final IOException closing)
            {
                e.addSuppressed(closing);
            }
            throw e;
        }
        try
        {
            manager.loadTopics();
            return manager;
        }
        catch (final RuntimeException e)
        {
            manager.close();
            throw e;
        }
    }

    private void loadTopics()
    {
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(dataDir.topics()))
        {
            for (final Path topicDir : dirs)
            {
                final String name = topicDir.getFileName().toString();
                final Properties properties = new Properties();
                final Path file = topicDir.resolve(TOPIC_FILE);
                try (InputStream in = Files.newInputStream(file))
                {
                    properties.load(in);
                }
                final int partitions;
                final Map<String, String> overrides = new TreeMap<>();
                final LogConfig config;
                try
                {
                    TopicName.validate(name);
                    partitions = Integer.parseInt(properties.getProperty(PARTITIONS_KEY, "missing"));
                    properties.stringPropertyNames().stream().filter(k -> !k.equals(PARTITIONS_KEY))
                        .forEach(k -> overrides.put(k, properties.getProperty(k)));
                    config = defaults.withOverrides(overrides);
                }
                catch (final NumberFormatException | LogException e)
                {
                    throw new LogStorageException("topic metadata " + file + " is invalid (" + e.getMessage() +
                        "); fix or remove the topic's directory", e);
                }
                topics.put(name, new Topic(name, Collections.unmodifiableMap(overrides), config, openPartitions(name, partitions, config)));
            }
        }
        catch (final IOException e)
        {
            throw new LogStorageException("cannot load topics from " + dataDir.topics() + ": " + e.getMessage(), e);
        }
    }

    private List<PartitionLog> openPartitions(final String topic, final int count, final LogConfig config)
    {
        final List<PartitionLog> logs = new ArrayList<>(count);
        for (int p = 0; p < count; p++)
        {
            logs.add(storage.open(new TopicPartition(topic, p), dataDir.topic(topic).resolve(Integer.toString(p)), config));
        }
        return List.copyOf(logs);
    }

    /**
     * Creates a topic. The topic is complete on disk before this returns, or absent.
     *
     * @param name a valid topic name ({@link TopicName}).
     * @param partitions the number of partitions, at least 1.
     * @param overrides configuration keys of {@link LogConfig} to set for this topic.
     * @return the new topic's description.
     * @throws InvalidTopicException if the name is invalid or collides with another's.
     * @throws TopicExistsException if the topic exists.
     * @throws InvalidPartitionsException if {@code partitions} is below 1.
     * @throws InvalidConfigurationException if an override is unknown or invalid.
     */
    public synchronized TopicDescription createTopic(final String name, final int partitions, final Map<String, String> overrides)
    {
        TopicName.validate(name);
        if (topics.containsKey(name))
        {
            throw new TopicExistsException("topic '" + name + "' already exists");
        }
        for (final String existing : topics.keySet())
        {
            if (TopicName.collisionForm(existing).equals(TopicName.collisionForm(name)))
            {
                throw new InvalidTopicException("topic '" + name + "' collides with existing topic '" + existing +
                    "': names may not differ only by '.' and '_'");
            }
        }
        if (partitions < 1)
        {
            throw new InvalidPartitionsException("a topic needs at least 1 partition, not " + partitions);
        }
        final Map<String, String> sorted = Collections.unmodifiableMap(new TreeMap<>(overrides));
        final LogConfig config = defaults.withOverrides(sorted);
        try
        {
            // A bare UUID: a 249-character topic name plus a suffix would pass the file system's
            // 255-byte name limit.
            final Path staged = dataDir.staging().resolve(UUID.randomUUID().toString());
            Files.createDirectories(staged);
            final Properties properties = new Properties();
            properties.setProperty(PARTITIONS_KEY, Integer.toString(partitions));
            sorted.forEach(properties::setProperty);
            try (OutputStream out = Files.newOutputStream(staged.resolve(TOPIC_FILE)))
            {
                properties.store(out, "Tidemark topic " + name);
            }
            DataDirectory.syncDirectory(staged);
            Files.move(staged, dataDir.topic(name), StandardCopyOption.ATOMIC_MOVE);
            DataDirectory.syncDirectory(dataDir.topics());
        }
        catch (final IOException e)
        {
            throw new LogStorageException("cannot create topic '" + name + "': " + e.getMessage(), e);
        }
        final Topic topic = new Topic(name, sorted, config, openPartitions(name, partitions, config));
        topics.put(name, topic);
        return describe(topic);
    }

    /**
     * @return the names of all topics, sorted.
     */
    public List<String> listTopics()
    {
        return topics.keySet().stream().sorted().toList();
    }

    /**
     * @param name the topic.
     * @return its partitions, configuration and offsets.
     * @throws UnknownTopicOrPartitionException if there is no such topic.
     */
    public TopicDescription describeTopic(final String name)
    {
        return describe(topic(name));
    }

    private static TopicDescription describe(final Topic topic)
    {
        final List<TopicDescription.PartitionDescription> partitions = new ArrayList<>();
        for (final PartitionLog log : topic.partitions())
        {
            partitions.add(new TopicDescription.PartitionDescription(log.topicPartition().partition(), log.logStartOffset(),
                log.logEndOffset(), log.sizeInBytes()));
        }
        return new TopicDescription(topic.name(), topic.overrides(), topic.config(), List.copyOf(partitions));
    }

    /**
     * Deletes a topic and all its data. Its logs are closed; callers holding them get errors.
     *
     * @param name the topic.
     * @throws UnknownTopicOrPartitionException if there is no such topic.
     */
    public synchronized void deleteTopic(final String name)
    {
        final Topic topic = topic(name);
        topics.remove(name);
        topic.partitions().forEach(PartitionLog::close);
        try
        {
            final Path trashed = dataDir.trash().resolve(UUID.randomUUID().toString());
            Files.move(dataDir.topic(name), trashed, StandardCopyOption.ATOMIC_MOVE);
            DataDirectory.syncDirectory(dataDir.topics());
            DataDirectory.deleteRecursively(trashed);
        }
        catch (final IOException e)
        {
            throw new LogStorageException("cannot delete topic '" + name + "': " + e.getMessage(), e);
        }
    }

    /**
     * @param topicPartition a partition.
     * @return its log.
     * @throws UnknownTopicOrPartitionException if the topic or the partition does not exist.
     */
    public PartitionLog partition(final TopicPartition topicPartition)
    {
        final Topic topic = topic(topicPartition.topic());
        if (topicPartition.partition() < 0 || topicPartition.partition() >= topic.partitions().size())
        {
            throw new UnknownTopicOrPartitionException("topic '" + topic.name() + "' has partitions 0 to " +
                (topic.partitions().size() - 1) + ", not " + topicPartition.partition());
        }
        return topic.partitions().get(topicPartition.partition());
    }

    /**
     * @param name a topic.
     * @return the logs of its partitions, by partition number.
     * @throws UnknownTopicOrPartitionException if there is no such topic.
     */
    public List<PartitionLog> partitions(final String name)
    {
        return topic(name).partitions();
    }

    /**
     * @param name a topic.
     * @return its effective configuration.
     * @throws UnknownTopicOrPartitionException if there is no such topic.
     */
    public LogConfig topicConfig(final String name)
    {
        return topic(name).config();
    }

    private Topic topic(final String name)
    {
        final Topic topic = name == null ? null : topics.get(name);
        if (topic == null)
        {
            throw new UnknownTopicOrPartitionException("topic '" + name + "' does not exist");
        }
        return topic;
    }

    /**
     * Gives an idempotent producer its identity (Kafka's InitProducerId).
     *
     * @return a producer id never given out before by this data directory.
     */
    public long allocateProducerId()
    {
        return producerIds.allocate();
    }

    /**
     * @return what opening each partition's log repaired, for the partitions where it did.
     */
    public Map<TopicPartition, RecoveryReport> recoveryReports()
    {
        final Map<TopicPartition, RecoveryReport> reports = new TreeMap<>(
            (a, b) -> a.topic().equals(b.topic()) ? Integer.compare(a.partition(), b.partition()) : a.topic().compareTo(b.topic()));
        for (final Topic topic : topics.values())
        {
            for (final PartitionLog log : topic.partitions())
            {
                if (!log.recoveryReport().isClean())
                {
                    reports.put(log.topicPartition(), log.recoveryReport());
                }
            }
        }
        return reports;
    }

    /**
     * Applies every topic's retention policy now.
     *
     * @return the number of records deleted.
     */
    public long applyRetention()
    {
        long deleted = 0;
        final long now = clock.time();
        for (final Topic topic : topics.values())
        {
            for (final PartitionLog log : topic.partitions())
            {
                deleted += log.applyRetention(now);
            }
        }
        return deleted;
    }

    /**
     * Forgets, in every partition, the idempotent producers silent for longer than the
     * producer id expiration.
     *
     * @return the number of producer states forgotten, over all partitions.
     */
    public long expireProducers()
    {
        long expired = 0;
        final long now = clock.time();
        for (final Topic topic : topics.values())
        {
            for (final PartitionLog log : topic.partitions())
            {
                expired += log.expireProducers(now, producerIdExpirationMs);
            }
        }
        return expired;
    }

    private void runRetention()
    {
        try
        {
            applyRetention();
            expireProducers();
        }
        catch (final LogException e)
        {
            // A topic deleted meanwhile has closed logs; the next round no longer sees it.
        }
    }

    private void runTimedFlushes()
    {
        final long now = clock.time();
        for (final Topic topic : topics.values())
        {
            for (final PartitionLog log : topic.partitions())
            {
                try
                {
                    log.flushIfDue(now);
                }
                catch (final LogException e)
                {
                    // As for retention: a deleted topic's logs are closed.
                }
            }
        }
    }

    /**
     * @return the data directory.
     */
    public Path dataDir()
    {
        return dataDir.root();
    }

    /**
     * Stops the background work, flushes and closes every log, and releases the lock.
     */
    @Override
    public synchronized void close()
    {
        background.shutdownNow();
        try
        {
            background.awaitTermination(10, TimeUnit.SECONDS);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
        RuntimeException failure = null;
        for (final Topic topic : topics.values())
        {
            for (final PartitionLog log : topic.partitions())
            {
                try
                {
                    log.close();
                }
                catch (final RuntimeException e)
                {
                    failure = e;
                }
            }
        }
        topics.clear();
        try
        {
            dataDir.close();
        }
        catch (final IOException e)
        {
            failure = new LogStorageException("cannot release the lock of " + dataDir.root(), e);
        }
        if (failure != null)
        {
            throw failure;
        }
    }
}
