package io.tidemark.log.topic;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
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
import java.util.function.UnaryOperator;

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
import io.tidemark.log.storage.ChannelPool;
import io.tidemark.log.storage.OffsetMap;
import io.tidemark.log.storage.DurableFile;
import io.tidemark.log.storage.SegmentedLog;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.SystemEpochClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The topics of one data directory and the logs of their partitions: create, list, describe
 * and delete topics, look up a partition's log, and run the background work (retention, timed
 * flushes). One log manager holds a data directory at a time, enforced by a file lock.
 *
 * <p>Topic metadata (partition count, configuration overrides) is a small properties file in
 * the topic's directory; see {@link DataDirectory} for the layout and why creation and
 * deletion cannot leave half a topic behind.
 *
 * <p>A data directory always opens: the partitions' segment files share a budget of open files
 * ({@link StorageLimits#maxOpenSegmentFiles()}) instead of each holding a descriptor, and a
 * topic that cannot be opened (damaged, unreadable) is logged, listed by
 * {@link #unopenedTopics()} and left out while the others are served.
 */
public final class LogManager implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(LogManager.class);
    private static final String TOPIC_FILE = "topic.properties";
    private static final String PARTITIONS_KEY = "partitions";
    private static final String TOPIC_ID_KEY = "topic.id";

    private final DataDirectory dataDir;
    /** Replaced whole under this manager's lock when the server's defaults change at run time. */
    private volatile LogConfig defaults;
    private final EpochClock clock;
    private final long producerIdExpirationMs;
    private final int maxPartitionsPerTopic;
    private final LogStorage storage;
    private final Map<String, Topic> topics = new ConcurrentHashMap<>();
    private final Map<TopicId, String> names = new ConcurrentHashMap<>();
    /** Counts the changes of which partition logs exist; written under this manager's lock. */
    private volatile long partitionSetVersion;
    private final Map<String, String> unopened = new ConcurrentHashMap<>();
    private final ProducerIdManager producerIds;
    private final ScheduledExecutorService background;
    /** The log cleaner's own thread: a long round must not hold up flushes and retention. */
    private final ScheduledExecutorService cleaner;

    private record Topic(String name, TopicId id, Map<String, String> overrides, LogConfig config, List<PartitionLog> partitions)
    {
    }

    private LogManager(final DataDirectory dataDir, final LogConfig defaults, final EpochClock clock, final LogStorage storage,
        final Duration retentionCheckInterval, final Duration flushCheckInterval, final Duration producerIdExpiration,
        final int maxPartitionsPerTopic)
    {
        this.dataDir = dataDir;
        this.defaults = defaults;
        this.clock = clock;
        this.producerIdExpirationMs = producerIdExpiration.toMillis();
        this.maxPartitionsPerTopic = maxPartitionsPerTopic;
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
        this.cleaner = Executors.newSingleThreadScheduledExecutor(r ->
        {
            final Thread thread = new Thread(r, "tidemark-log-cleaner");
            thread.setDaemon(true);
            return thread;
        });
        cleaner.scheduleWithFixedDelay(this::runCleaner, CLEANER_BACKOFF.toMillis(), CLEANER_BACKOFF.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** How long the log cleaner waits between two passes over the compacted topics (Kafka's {@code log.cleaner.backoff.ms}). */
    public static final Duration CLEANER_BACKOFF = Duration.ofSeconds(15);

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
     * Opens a data directory with the default {@link StorageLimits}.
     *
     * @param dataDir the data directory, created if missing.
     * @param defaults the configuration of topics that do not override it.
     * @param clock the wall clock for rolling, retention and flushes.
     * @param retentionCheckInterval how often retention runs in the background.
     * @param flushCheckInterval how often {@code flush.ms} is checked in the background.
     * @param producerIdExpiration how long an idempotent producer may stay silent before its
     *        state is forgotten (Kafka's {@code producer.id.expiration.ms}); checked with retention.
     * @return the log manager, holding the directory's lock.
     * @see #open(Path, LogConfig, EpochClock, Duration, Duration, Duration, StorageLimits)
     */
    public static LogManager open(final Path dataDir, final LogConfig defaults, final EpochClock clock,
        final Duration retentionCheckInterval, final Duration flushCheckInterval, final Duration producerIdExpiration)
    {
        return open(dataDir, defaults, clock, retentionCheckInterval, flushCheckInterval, producerIdExpiration, StorageLimits.defaults());
    }

    /**
     * Opens a data directory: locks it, clears what an interrupted creation or deletion left
     * behind, loads every topic and recovers every partition's log. A topic that cannot be
     * opened is left out and reported ({@link #unopenedTopics()}); nothing of it is deleted.
     *
     * @param dataDir the data directory, created if missing.
     * @param defaults the configuration of topics that do not override it.
     * @param clock the wall clock for rolling, retention and flushes.
     * @param retentionCheckInterval how often retention runs in the background.
     * @param flushCheckInterval how often {@code flush.ms} is checked in the background.
     * @param producerIdExpiration how long an idempotent producer may stay silent before its
     *        state is forgotten (Kafka's {@code producer.id.expiration.ms}); checked with retention.
     * @param limits the largest topic to create and the budget of open segment files.
     * @return the log manager, holding the directory's lock.
     * @throws io.tidemark.log.errors.DataDirectoryLockedException if another log manager, in
     *         this process or another, has the directory open.
     * @throws LogStorageException if the directory itself cannot be created, locked or listed.
     */
    public static LogManager open(final Path dataDir, final LogConfig defaults, final EpochClock clock,
        final Duration retentionCheckInterval, final Duration flushCheckInterval, final Duration producerIdExpiration,
        final StorageLimits limits)
    {
        return open(dataDir, defaults, clock, retentionCheckInterval, flushCheckInterval, producerIdExpiration, limits,
            OffsetMap.withDefaults());
    }

    /**
     * Opens a data directory as {@link #open(Path, LogConfig, EpochClock, Duration, Duration, Duration, StorageLimits)}
     * does, its one cleaner thread mapping keys into {@code offsetMap} (Kafka sizes one per
     * cleaner thread with {@code log.cleaner.dedupe.buffer.size}).
     *
     * @param dataDir the data directory, created if missing.
     * @param defaults the configuration of topics that do not override it.
     * @param clock the wall clock for rolling, retention and flushes.
     * @param retentionCheckInterval how often retention runs in the background.
     * @param flushCheckInterval how often {@code flush.ms} is checked in the background.
     * @param producerIdExpiration how long an idempotent producer may stay silent before its
     *        state is forgotten (Kafka's {@code producer.id.expiration.ms}); checked with retention.
     * @param limits the largest topic to create and the budget of open segment files.
     * @param offsetMap the cleaner's map of keys: the most keys one cleaning round maps.
     * @return the log manager, holding the directory's lock.
     * @throws io.tidemark.log.errors.DataDirectoryLockedException if another log manager, in
     *         this process or another, has the directory open.
     * @throws LogStorageException if the directory itself cannot be created, locked or listed.
     */
    public static LogManager open(final Path dataDir, final LogConfig defaults, final EpochClock clock,
        final Duration retentionCheckInterval, final Duration flushCheckInterval, final Duration producerIdExpiration,
        final StorageLimits limits, final OffsetMap offsetMap)
    {
        final DataDirectory dir = DataDirectory.open(dataDir);
        final ChannelPool pool = new ChannelPool(limits.maxOpenSegmentFiles());
        final LogStorage storage = (tp, partitionDir, config) -> SegmentedLog.open(tp, partitionDir, config, clock, pool, offsetMap);
        final LogManager manager;
        try
        {
            manager = new LogManager(dir, defaults, clock, storage, retentionCheckInterval, flushCheckInterval, producerIdExpiration,
                limits.maxPartitionsPerTopic());
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
                try
                {
                    final Topic topic = loadTopic(name, topicDir);
                    topics.put(name, topic);
                    names.put(topic.id(), name);
                }
                catch (final RuntimeException e)
                {
                    LOG.error("topic '{}' cannot be opened and is not served (fix or delete it): {}", name, e.toString());
                    unopened.put(name, String.valueOf(e.getMessage()));
                }
            }
        }
        catch (final IOException e)
        {
            throw new LogStorageException("cannot load topics from " + dataDir.topics() + ": " + e.getMessage(), e);
        }
    }

    private Topic loadTopic(final String name, final Path topicDir)
    {
        final Path file = topicDir.resolve(TOPIC_FILE);
        final Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file))
        {
            properties.load(in);
        }
        catch (final IOException | IllegalArgumentException e)
        {
            throw new LogStorageException("cannot read topic metadata " + file + ": " + e, e);
        }
        final int partitions;
        final Map<String, String> overrides = new TreeMap<>();
        final LogConfig config;
        final String storedId = properties.getProperty(TOPIC_ID_KEY);
        final TopicId id;
        try
        {
            TopicName.validate(name);
            partitions = Integer.parseInt(properties.getProperty(PARTITIONS_KEY, "missing"));
            if (partitions < 1)
            {
                throw new InvalidPartitionsException("partition count " + partitions + " is below 1");
            }
            id = storedId == null ? TopicId.random() : TopicId.parse(storedId);
            if (names.containsKey(id))
            {
                throw new IllegalArgumentException("topic id " + id + " is also the id of topic '" + names.get(id) + "'");
            }
            properties.stringPropertyNames().stream().filter(k -> !k.equals(PARTITIONS_KEY) && !k.equals(TOPIC_ID_KEY))
                .forEach(k -> overrides.put(k, properties.getProperty(k)));
            config = defaults.withOverrides(overrides);
        }
        catch (final IllegalArgumentException | LogException e)
        {
            throw new LogStorageException("topic metadata " + file + " is invalid (" + e.getMessage() +
                "); fix or remove the topic's directory", e);
        }
        if (storedId == null)
        {
            assignId(name, topicDir, id, partitions, overrides);
        }
        return new Topic(name, id, Collections.unmodifiableMap(overrides), config, openPartitions(name, partitions, config));
    }

    /**
     * Writes the id of a topic made before topics had ids into its metadata, so that it keeps
     * the id from now on. If that fails the topic is not served: serving it under an id the
     * next start would change would tell clients it was deleted.
     */
    private static void assignId(final String name, final Path topicDir, final TopicId id, final int partitions,
        final Map<String, String> overrides)
    {
        try
        {
            DurableFile.replace(topicDir.resolve(TOPIC_FILE), metadata(name, id, partitions, overrides));
            DataDirectory.syncDirectory(topicDir);
        }
        catch (final IOException e)
        {
            throw new LogStorageException("cannot give topic '" + name + "', made before topics had ids, its id: " + e, e);
        }
        LOG.info("gave topic '{}', made before topics had ids, the id {}", name, id);
    }

    /** Opens every partition, or, if one fails, none: those already opened are released without writing. */
    private List<PartitionLog> openPartitions(final String topic, final int count, final LogConfig config)
    {
        final List<PartitionLog> logs = new ArrayList<>(count);
        try
        {
            for (int p = 0; p < count; p++)
            {
                logs.add(storage.open(new TopicPartition(topic, p), dataDir.topic(topic).resolve(Integer.toString(p)), config));
            }
        }
        catch (final RuntimeException e)
        {
            logs.forEach(PartitionLog::abandon);
            throw e;
        }
        return List.copyOf(logs);
    }

    /**
     * Creates a topic unless one of that name is served already: what a job does with the
     * topic it writes, which a client may have made first with other settings (those stay).
     *
     * @param name a valid topic name.
     * @param partitions the number of partitions if it is created.
     * @param overrides configuration keys of {@link LogConfig} if it is created.
     * @return whether this call created it.
     * @throws TopicExistsException if the topic exists on disk but cannot be opened.
     * @see #createTopic(String, int, Map)
     */
    public synchronized boolean createTopicIfMissing(final String name, final int partitions, final Map<String, String> overrides)
    {
        if (topics.containsKey(name))
        {
            return false;
        }
        createTopic(name, partitions, overrides);
        return true;
    }

    /**
     * Creates a topic, all or nothing: its metadata and partition directories are made in
     * {@code staging/} and appear in {@code topics/} by one rename, and if its partitions then
     * cannot be opened (no space, no descriptor) the topic is removed again before this throws.
     *
     * @param name a valid topic name ({@link TopicName}).
     * @param partitions the number of partitions, from 1 to the limit this manager was opened with
     *        ({@link StorageLimits#maxPartitionsPerTopic()}).
     * @param overrides configuration keys of {@link LogConfig} to set for this topic.
     * @return the new topic's description.
     * @throws InvalidTopicException if the name is invalid or collides with another's.
     * @throws TopicExistsException if the topic exists, served or not ({@link #unopenedTopics()}).
     * @throws InvalidPartitionsException if {@code partitions} is below 1 or above the limit.
     * @throws InvalidConfigurationException if an override is unknown or invalid.
     * @throws LogStorageException if the files cannot be made; nothing of the topic is left.
     */
    public synchronized TopicDescription createTopic(final String name, final int partitions, final Map<String, String> overrides)
    {
        TopicName.validate(name);
        if (topics.containsKey(name))
        {
            throw new TopicExistsException("topic '" + name + "' already exists");
        }
        if (unopened.containsKey(name))
        {
            throw new TopicExistsException("topic '" + name + "' exists on disk but cannot be opened (" + unopened.get(name) +
                "); delete it first");
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
        checkPartitionLimit(partitions);
        final Map<String, String> sorted = Collections.unmodifiableMap(new TreeMap<>(overrides));
        final LogConfig config = defaults.withOverrides(sorted);
        final TopicId id = TopicId.random();
        stage(name, id, partitions, sorted);
        final List<PartitionLog> logs;
        try
        {
            logs = openPartitions(name, partitions, config);
        }
        catch (final RuntimeException e)
        {
            LogStorageException failure = new LogStorageException("cannot create topic '" + name +
                "' (nothing of it was kept): " + e.getMessage(), e);
            try
            {
                removeTopicDirectory(name);
            }
            catch (final LogStorageException removing)
            {
                // Still on disk: reported as a topic that cannot be opened, so it can be deleted.
                failure = new LogStorageException("cannot create topic '" + name + "', and what was made of it stays on disk until it is " +
                    "deleted: " + e.getMessage(), e);
                failure.addSuppressed(removing);
                unopened.put(name, failure.getMessage());
            }
            throw failure;
        }
        final Topic topic = new Topic(name, id, sorted, config, logs);
        topics.put(name, topic);
        names.put(id, name);
        partitionSetVersion++;
        LOG.info("created topic '{}' (partitions: {})", name, partitions);
        return describe(topic);
    }

    /**
     * Raises a topic's partition count, as Kafka's CreatePartitions: the existing partitions
     * keep their records and offsets, the new ones start empty. The new partitions' directories
     * are made and their logs opened first, then the count is published by rewriting
     * {@code topic.properties} atomically: a crash before that leaves the old count (the new
     * directories, which nothing was written to, are ignored and made afresh by the next call),
     * a crash after it the new one; the topic opens either way.
     *
     * @param name the topic.
     * @param partitions the new partition count, above the current one and at most the limit
     *        this manager was opened with ({@link StorageLimits#maxPartitionsPerTopic()}).
     * @return the topic's description with the new partitions.
     * @throws UnknownTopicOrPartitionException if there is no such topic.
     * @throws InvalidPartitionsException if {@code partitions} is not above the current count or
     *         is above the limit; nothing changes.
     * @throws LogStorageException if the new partitions cannot be made or the count cannot be
     *         written (the topic keeps its old count), or if the count was written but the
     *         directory could not be synced after (the topic has its new count; a crash may
     *         bring back the old one).
     */
    public synchronized TopicDescription addPartitions(final String name, final int partitions)
    {
        final Topic topic = topic(name);
        final int current = checkAddPartitions(topic, partitions);
        final Path topicDir = dataDir.topic(name);
        final List<PartitionLog> added = new ArrayList<>(partitions - current);
        try
        {
            for (int p = current; p < partitions; p++)
            {
                final Path partitionDir = topicDir.resolve(Integer.toString(p));
                if (Files.exists(partitionDir))
                {
                    // Beyond the published count: left by an addition a crash cut short before
                    // it published, so nothing was ever written to it or served from it.
                    DataDirectory.deleteRecursively(partitionDir);
                    LOG.warn("removed {}, left by an interrupted addition of partitions", partitionDir);
                }
                Files.createDirectory(partitionDir);
                added.add(storage.open(new TopicPartition(name, p), partitionDir, topic.config()));
            }
            DataDirectory.syncDirectory(topicDir);
            DurableFile.replace(topicDir.resolve(TOPIC_FILE), metadata(name, topic.id(), partitions, topic.overrides()));
        }
        catch (final IOException | RuntimeException e)
        {
            added.forEach(PartitionLog::abandon);
            throw new LogStorageException("cannot add partitions to topic '" + name + "' (it keeps its " + current + "): " + e, e);
        }
        // The file names the new count from here on, so the topic serves it whatever follows.
        final List<PartitionLog> logs = new ArrayList<>(topic.partitions());
        logs.addAll(added);
        final Topic grown = new Topic(name, topic.id(), topic.overrides(), topic.config(), List.copyOf(logs));
        topics.put(name, grown);
        partitionSetVersion++;
        LOG.info("added partitions to topic '{}' (partitions: {} -> {})", name, current, partitions);
        try
        {
            DataDirectory.syncDirectory(topicDir);
        }
        catch (final IOException e)
        {
            throw new LogStorageException("added partitions to topic '" + name + "' (now " + partitions + "), but syncing " + topicDir +
                " failed, so a crash may bring back " + current + ": " + e, e);
        }
        return describe(grown);
    }

    /**
     * Checks what {@link #addPartitions(String, int)} would check, changing nothing (Kafka's
     * {@code validate_only}).
     *
     * @param name the topic.
     * @param partitions the new partition count.
     * @return the current partition count.
     * @throws UnknownTopicOrPartitionException if there is no such topic.
     * @throws InvalidPartitionsException if {@code partitions} is not above the current count or
     *         is above the limit.
     */
    public int checkAddPartitions(final String name, final int partitions)
    {
        return checkAddPartitions(topic(name), partitions);
    }

    private int checkAddPartitions(final Topic topic, final int partitions)
    {
        final String name = topic.name();
        final int current = topic.partitions().size();
        if (partitions <= current)
        {
            throw new InvalidPartitionsException("topic '" + name + "' has " + current + " partitions; " + partitions +
                " would not be an increase");
        }
        checkPartitionLimit(partitions);
        return current;
    }

    /**
     * Checks what {@link #alterTopicConfig} would check, changing nothing (Kafka's
     * {@code validate_only}).
     *
     * @param name the topic.
     * @param change given the topic's overrides, its new ones, all of them: a key left out
     *        takes its default. It may throw a {@link LogException} to refuse the change.
     * @return the configuration the topic would have.
     * @throws UnknownTopicOrPartitionException if there is no such topic.
     * @throws InvalidConfigurationException naming the first unknown key or invalid value.
     */
    public LogConfig checkTopicConfig(final String name, final UnaryOperator<Map<String, String>> change)
    {
        return defaults.withOverrides(change.apply(topic(name).overrides()));
    }

    /**
     * @return the configuration of topics that do not override it, as of now.
     */
    public LogConfig defaults()
    {
        return defaults;
    }

    /**
     * Checks what {@link #changeDefaults} would check, changing nothing: every topic's
     * overrides over the new defaults must still make a valid configuration.
     *
     * @param newDefaults the configuration topics would take where they do not override it.
     * @throws InvalidConfigurationException naming the first key of a topic that would be invalid.
     */
    public void checkDefaults(final LogConfig newDefaults)
    {
        reconfigured(newDefaults);
    }

    /**
     * Replaces the defaults while topics are served (Kafka's dynamic broker configuration):
     * every topic takes the new defaults for the keys it does not override, its open logs at
     * once ({@link PartitionLog#reconfigure}), and topics created after start from them. A
     * topic's own overrides still win. Persisting the change is the caller's.
     *
     * @param newDefaults the configuration of topics that do not override it.
     * @throws InvalidConfigurationException naming the first key of a topic that would be
     *         invalid; nothing changes.
     */
    public synchronized void changeDefaults(final LogConfig newDefaults)
    {
        final List<Topic> altered = reconfigured(newDefaults);
        defaults = newDefaults;
        for (final Topic topic : altered)
        {
            topics.put(topic.name(), topic);
            for (final PartitionLog log : topic.partitions())
            {
                log.reconfigure(topic.config());
            }
        }
        LOG.info("changed the topic defaults; {} topics take them where they have no override of their own", altered.size());
    }

    /** @return every topic with its configuration over the given defaults, all checked before any is used. */
    private List<Topic> reconfigured(final LogConfig newDefaults)
    {
        final List<Topic> altered = new ArrayList<>();
        for (final Topic topic : topics.values())
        {
            altered.add(new Topic(topic.name(), topic.id(), topic.overrides(), newDefaults.withOverrides(topic.overrides()), topic.partitions()));
        }
        return altered;
    }

    /**
     * Replaces a topic's configuration overrides while it is served (Kafka's AlterConfigs): the
     * new overrides are written to {@code topic.properties} atomically, then every partition's
     * log takes the new configuration ({@link PartitionLog#reconfigure}). A crash leaves the
     * old overrides or the new ones, never a mixture.
     *
     * <p>The change is applied to the overrides of the moment under this manager's lock, so
     * that two changes of one topic (an APPEND to a list key, say) cannot lose each other.
     *
     * @param name the topic.
     * @param change given the topic's overrides, its new ones, all of them: a key left out
     *        takes its default. It may throw a {@link LogException} to refuse the change.
     * @return the topic's description with its new configuration.
     * @throws UnknownTopicOrPartitionException if there is no such topic.
     * @throws InvalidConfigurationException naming the first unknown key or invalid value;
     *         nothing changes.
     * @throws LogStorageException if the file cannot be written (the topic keeps its old
     *         configuration), or if it was written but the directory could not be synced after
     *         (the topic has its new configuration; a crash may bring back the old one).
     */
    public synchronized TopicDescription alterTopicConfig(final String name, final UnaryOperator<Map<String, String>> change)
    {
        final Topic topic = topic(name);
        final Map<String, String> sorted = Collections.unmodifiableMap(new TreeMap<>(change.apply(topic.overrides())));
        final LogConfig config = defaults.withOverrides(sorted);
        final Path topicDir = dataDir.topic(name);
        try
        {
            DurableFile.replace(topicDir.resolve(TOPIC_FILE), metadata(name, topic.id(), topic.partitions().size(), sorted));
        }
        catch (final IOException e)
        {
            throw new LogStorageException("cannot change the configuration of topic '" + name + "' (it keeps the old one): " + e, e);
        }
        // The file holds the new overrides from here on, so the topic serves them whatever follows.
        final Topic altered = new Topic(name, topic.id(), sorted, config, topic.partitions());
        topics.put(name, altered);
        for (final PartitionLog log : topic.partitions())
        {
            log.reconfigure(config);
        }
        LOG.info("changed the configuration of topic '{}' (overrides: {})", name, sorted);
        try
        {
            DataDirectory.syncDirectory(topicDir);
        }
        catch (final IOException e)
        {
            throw new LogStorageException("changed the configuration of topic '" + name + "', but syncing " + topicDir +
                " failed, so a crash may bring back the old one: " + e, e);
        }
        return describe(altered);
    }

    private void checkPartitionLimit(final int partitions)
    {
        if (partitions > maxPartitionsPerTopic)
        {
            throw new InvalidPartitionsException("a topic may have at most " + maxPartitionsPerTopic +
                " partitions (the data directory's limit of partitions per topic), not " + partitions);
        }
    }

    private static ByteBuffer metadata(final String name, final TopicId id, final int partitions, final Map<String, String> overrides)
        throws IOException
    {
        final Properties properties = new Properties();
        properties.setProperty(PARTITIONS_KEY, Integer.toString(partitions));
        properties.setProperty(TOPIC_ID_KEY, id.toString());
        overrides.forEach(properties::setProperty);
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        properties.store(bytes, "Tidemark topic " + name);
        return ByteBuffer.wrap(bytes.toByteArray());
    }

    /**
     * Makes the topic's metadata and partition directories in {@code staging/} and renames them
     * into {@code topics/}; on a failure, removes what was staged.
     */
    private void stage(final String name, final TopicId id, final int partitions, final Map<String, String> overrides)
    {
        // A bare UUID: a 249-character topic name plus a suffix would pass the file system's
        // 255-byte name limit.
        final Path staged = dataDir.staging().resolve(UUID.randomUUID().toString());
        try
        {
            Files.createDirectories(staged);
            // Forced before the directory's rename, which does not flush the files inside it:
            // after a crash a topic whose metadata is empty could not be opened.
            DurableFile.replace(staged.resolve(TOPIC_FILE), metadata(name, id, partitions, overrides));
            for (int p = 0; p < partitions; p++)
            {
                Files.createDirectory(staged.resolve(Integer.toString(p)));
            }
            DataDirectory.syncDirectory(staged);
            Files.move(staged, dataDir.topic(name), StandardCopyOption.ATOMIC_MOVE);
            DataDirectory.syncDirectory(dataDir.topics());
        }
        catch (final IOException e)
        {
            try
            {
                DataDirectory.deleteRecursively(staged);
            }
            catch (final IOException cleaning)
            {
                LOG.warn("cannot remove {} after a failed creation of topic '{}' (it is removed at the next open): {}", staged, name,
                    cleaning.toString());
            }
            throw new LogStorageException("cannot create topic '" + name + "' (nothing of it was kept): " + e, e);
        }
    }

    /**
     * Takes a topic's directory out of {@code topics/} by a rename into {@code trash/}, which
     * needs no free space, then deletes it. Only the rename must succeed: what the deletion
     * leaves (a full disk, an I/O error) is removed at the next open and never served.
     */
    private void removeTopicDirectory(final String name)
    {
        final Path trashed = dataDir.trash().resolve(UUID.randomUUID().toString());
        try
        {
            Files.move(dataDir.topic(name), trashed, StandardCopyOption.ATOMIC_MOVE);
        }
        catch (final IOException e)
        {
            throw new LogStorageException("cannot delete topic '" + name + "': " + e, e);
        }
        try
        {
            DataDirectory.syncDirectory(dataDir.topics());
            DataDirectory.deleteRecursively(trashed);
        }
        catch (final IOException e)
        {
            LOG.warn("topic '{}' is deleted, but removing its files from {} failed (retried at the next open): {}", name, trashed,
                e.toString());
        }
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
        return new TopicDescription(topic.name(), topic.id(), topic.overrides(), topic.config(), List.copyOf(partitions));
    }

    /**
     * Deletes a topic and all its data, also one that could not be opened
     * ({@link #unopenedTopics()}). Deleting writes nothing before the files are unlinked, so it
     * frees the space of a full disk: the logs are released without a flush or snapshot, and
     * the topic's directory leaves {@code topics/} by a rename. Callers holding its logs get
     * errors.
     *
     * @param name the topic.
     * @throws UnknownTopicOrPartitionException if there is no such topic.
     * @throws LogStorageException if the topic's directory cannot be renamed; the topic is then
     *         still there and served.
     */
    public synchronized void deleteTopic(final String name)
    {
        if (name != null && unopened.containsKey(name))
        {
            removeTopicDirectory(name);
            unopened.remove(name);
            LOG.info("deleted topic '{}', which could not be opened", name);
            return;
        }
        final Topic topic = topic(name);
        removeTopicDirectory(name);
        topics.remove(name);
        names.remove(topic.id());
        partitionSetVersion++;
        topic.partitions().forEach(PartitionLog::abandon);
        LOG.info("deleted topic '{}' (partitions: {})", name, topic.partitions().size());
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

    /**
     * Finds a topic by its id: one map lookup, for the requests that name topics by id.
     *
     * @param id a topic id.
     * @return the name of the topic that has it, or null if none has (none ever did, or it was
     *         deleted, perhaps created again under its name with a new id).
     */
    public String topicName(final TopicId id)
    {
        return names.get(id);
    }

    /**
     * A number that changes whenever a topic is created or deleted or gains partitions, so a
     * reader that keeps partition logs it looked up (a fetch session) knows in one read whether
     * they may be stale; it does not change when a topic's configuration does.
     *
     * @return the version of the set of partition logs.
     */
    public long partitionSetVersion()
    {
        return partitionSetVersion;
    }

    /**
     * @param name a topic.
     * @return its id, given when it was created.
     * @throws UnknownTopicOrPartitionException if there is no such topic.
     */
    public TopicId topicId(final String name)
    {
        return topic(name).id();
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
     * @return the topics found on disk that could not be opened (damaged or unreadable
     *         metadata or segments), each with why, sorted by name. They are not served; they
     *         can be deleted, and are opened again at the next start.
     */
    public Map<String, String> unopenedTopics()
    {
        return Collections.unmodifiableMap(new TreeMap<>(unopened));
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

    /**
     * Runs a round of the log cleaner on every partition of every compacted topic that is due.
     *
     * @return the bytes reclaimed.
     */
    public long clean()
    {
        long reclaimed = 0;
        final long now = clock.time();
        for (final Topic topic : topics.values())
        {
            if (topic.config().compact())
            {
                for (final PartitionLog log : topic.partitions())
                {
                    reclaimed += log.clean(now);
                }
            }
        }
        return reclaimed;
    }

    private void runCleaner()
    {
        try
        {
            clean();
        }
        catch (final LogException e)
        {
            // A topic deleted meanwhile has closed logs; anything else is logged and the next pass starts over.
            LOG.warn("log cleaner pass failed: {}", e.getMessage());
        }
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
        // Not shutdownNow: an interrupt inside a flush's force() closes the file channel under
        // every other user of it. The periodic tasks stop; one that is running finishes.
        background.shutdown();
        cleaner.shutdown();
        try
        {
            background.awaitTermination(10, TimeUnit.SECONDS);
            cleaner.awaitTermination(10, TimeUnit.SECONDS);
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
        names.clear();
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
