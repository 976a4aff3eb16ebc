package io.tidemark.runtime.broker;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import io.tidemark.log.LogConfig;
import io.tidemark.log.errors.InvalidConfigurationException;
import io.tidemark.log.group.GroupConfig;
import io.tidemark.log.topic.LogManager;
import io.tidemark.log.topic.StorageLimits;

/**
 * The server's configuration, read from a properties file whose keys are Kafka's broker keys
 * where the meaning is the same, so a Kafka user's {@code server.properties} settings carry
 * over. Immutable; {@link #parse} checks every key and value and names the first bad one.
 *
 * <p>The {@code log.*} keys (and {@code message.max.bytes}) are the defaults of every topic's
 * {@link LogConfig}; a topic created with its own configuration overrides them. Keys that
 * only matter with several brokers (replication factors, in-sync replicas, broker ids) are
 * accepted and ignored: there is one broker, and it holds the only replica.
 */
public final class BrokerConfig
{
    /** The data directory; also settable with {@code --data-dir}. */
    public static final String LOG_DIRS = "log.dirs";
    /** Partitions of a topic created without a count (auto-created, or CreateTopics with -1). */
    public static final String NUM_PARTITIONS = "num.partitions";
    /** Whether a Metadata request for an unknown topic creates it, when the client allows. */
    public static final String AUTO_CREATE_TOPICS_ENABLE = "auto.create.topics.enable";
    /** The largest request frame accepted; a larger one closes the connection, as in Kafka. */
    public static final String SOCKET_REQUEST_MAX_BYTES = "socket.request.max.bytes";
    /** Event-loop threads that read, decode, encode and write. */
    public static final String NUM_NETWORK_THREADS = "num.network.threads";
    /** Threads for work that may block on the disk (appends, fsync, topic creation). */
    public static final String NUM_IO_THREADS = "num.io.threads";
    /** Kafka's key for the shortest session a group member may ask for. */
    public static final String GROUP_MIN_SESSION_TIMEOUT_MS = "group.min.session.timeout.ms";
    /** Kafka's key for the longest session a group member may ask for. */
    public static final String GROUP_MAX_SESSION_TIMEOUT_MS = "group.max.session.timeout.ms";
    /** Kafka's key for how long the first rebalance of an empty group waits for more members. */
    public static final String GROUP_INITIAL_REBALANCE_DELAY_MS = "group.initial.rebalance.delay.ms";
    /** Kafka's key for the partition count of {@code __consumer_offsets} when it is created. */
    public static final String OFFSETS_TOPIC_NUM_PARTITIONS = "offsets.topic.num.partitions";
    /** Kafka's key for the longest metadata a committed offset may carry. */
    public static final String OFFSET_METADATA_MAX_BYTES = "offset.metadata.max.bytes";
    /** Kafka's key for how long an idempotent producer may stay silent before its state is forgotten. */
    public static final String PRODUCER_ID_EXPIRATION_MS = "producer.id.expiration.ms";
    /** Kafka's key for how long a connection may go without socket activity before it is closed. */
    public static final String CONNECTIONS_MAX_IDLE_MS = "connections.max.idle.ms";
    /**
     * Tidemark's key (Kafka has none) for the most partitions one CreateTopics request may
     * create, summed over its topics, so also the most one topic may have: a request for a
     * million partitions would otherwise tie up an I/O thread for minutes and fill the disk with
     * directories. Refused with {@code INVALID_PARTITIONS}. At most (and by default) the log
     * manager's own per-topic limit, {@link io.tidemark.log.topic.StorageLimits#DEFAULT_MAX_PARTITIONS_PER_TOPIC}.
     */
    public static final String CREATE_TOPICS_MAX_PARTITIONS = "create.topics.max.partitions";

    /** Broker keys that set a topic-level default of {@link LogConfig}. */
    private static final Map<String, String> LOG_KEYS = Map.ofEntries(
        Map.entry("log.segment.bytes", LogConfig.SEGMENT_BYTES),
        Map.entry("log.roll.ms", LogConfig.SEGMENT_MS),
        Map.entry("log.index.interval.bytes", LogConfig.INDEX_INTERVAL_BYTES),
        Map.entry("log.retention.ms", LogConfig.RETENTION_MS),
        Map.entry("log.retention.bytes", LogConfig.RETENTION_BYTES),
        Map.entry("log.flush.interval.messages", LogConfig.FLUSH_MESSAGES),
        Map.entry("log.flush.interval.ms", LogConfig.FLUSH_MS),
        Map.entry("message.max.bytes", LogConfig.MAX_MESSAGE_BYTES),
        Map.entry("log.message.timestamp.type", LogConfig.MESSAGE_TIMESTAMP_TYPE),
        Map.entry("log.cleanup.policy", LogConfig.CLEANUP_POLICY));

    /** Kafka's coarser spellings of a time key: key, the key it stands for, milliseconds per unit. */
    private record TimeUnitKey(String key, String target, long unitMs)
    {
    }

    private static final TimeUnitKey[] TIME_UNIT_KEYS =
    {
        new TimeUnitKey("log.roll.hours", "log.roll.ms", 3_600_000L),
        new TimeUnitKey("log.retention.minutes", "log.retention.ms", 60_000L),
        new TimeUnitKey("log.retention.hours", "log.retention.ms", 3_600_000L),
    };

    private static final Set<String> IGNORED_KEYS = Set.of(
        "default.replication.factor", "offsets.topic.replication.factor", "transaction.state.log.replication.factor",
        "transaction.state.log.min.isr", "min.insync.replicas", "broker.id", "node.id");

    private final Path dataDir;
    private final String host;
    private final int port;
    private final int numPartitions;
    private final boolean autoCreateTopics;
    private final int socketRequestMaxBytes;
    private final int networkThreads;
    private final int ioThreads;
    private final long producerIdExpirationMs;
    private final long connectionsMaxIdleMs;
    private final int createTopicsMaxPartitions;
    private final LogConfig logDefaults;
    private final GroupConfig groupConfig;

    private BrokerConfig(final Path dataDir, final String host, final int port, final int numPartitions, final boolean autoCreateTopics,
        final int socketRequestMaxBytes, final int networkThreads, final int ioThreads, final long producerIdExpirationMs,
        final long connectionsMaxIdleMs, final int createTopicsMaxPartitions, final LogConfig logDefaults, final GroupConfig groupConfig)
    {
        this.connectionsMaxIdleMs = connectionsMaxIdleMs;
        this.createTopicsMaxPartitions = createTopicsMaxPartitions;
        this.producerIdExpirationMs = producerIdExpirationMs;
        this.groupConfig = groupConfig;
        this.dataDir = dataDir;
        this.host = host;
        this.port = port;
        this.numPartitions = numPartitions;
        this.autoCreateTopics = autoCreateTopics;
        this.socketRequestMaxBytes = socketRequestMaxBytes;
        this.networkThreads = networkThreads;
        this.ioThreads = ioThreads;
        this.logDefaults = logDefaults;
    }

    /**
     * Reads a configuration.
     *
     * @param properties the file's keys, Kafka's broker keys.
     * @param dataDir the data directory, or null to take {@code log.dirs} or else {@code ./data}.
     * @param host the address to listen on.
     * @param port the port to listen on; 0 picks a free one.
     * @return the configuration.
     * @throws InvalidConfigurationException naming the first unknown key or invalid value.
     */
    public static BrokerConfig parse(final Properties properties, final Path dataDir, final String host, final int port)
    {
        final Map<String, String> values = new LinkedHashMap<>();
        for (final String key : new TreeSet<>(properties.stringPropertyNames()))
        {
            values.put(key, properties.getProperty(key).trim());
        }
        for (final TimeUnitKey unit : TIME_UNIT_KEYS)
        {
            final String value = values.remove(unit.key());
            if (value != null && !values.containsKey(unit.target()))
            {
                // Kafka's precedence: the finer key wins when both are set.
                values.put(unit.target(), Long.toString(Math.multiplyExact(integer(unit.key(), value, 1, Integer.MAX_VALUE), unit.unitMs())));
            }
        }

        final Map<String, String> logOverrides = new LinkedHashMap<>();
        Path directory = dataDir;
        int numPartitions = 1;
        boolean autoCreate = true;
        int maxRequest = 100 * 1024 * 1024;
        // Half the cores, not Kafka's 3: a produce wakes a long-polling fetch without a thread
        // hand-off when both connections share an event loop, and on a small machine the
        // clients need the other cores.
        int networkThreads = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
        int ioThreads = 8;
        long producerIdExpiration = LogManager.DEFAULT_PRODUCER_ID_EXPIRATION.toMillis();
        long connectionsMaxIdle = 600_000;
        int createMaxPartitions = StorageLimits.DEFAULT_MAX_PARTITIONS_PER_TOPIC;
        final GroupConfig groupDefaults = GroupConfig.defaults();
        int minSession = groupDefaults.minSessionTimeoutMs();
        int maxSession = groupDefaults.maxSessionTimeoutMs();
        int initialDelay = groupDefaults.initialRebalanceDelayMs();
        int offsetsPartitions = groupDefaults.offsetsTopicPartitions();
        int metadataMax = groupDefaults.maxMetadataBytes();
        for (final Map.Entry<String, String> e : values.entrySet())
        {
            final String key = e.getKey();
            final String value = e.getValue();
            switch (key)
            {
                case LOG_DIRS ->
                {
                    if (value.isEmpty() || value.contains(","))
                    {
                        throw new InvalidConfigurationException("invalid value '" + value + "' for " + key + ": one directory");
                    }
                    if (directory == null)
                    {
                        directory = Path.of(value);
                    }
                }
                case NUM_PARTITIONS -> numPartitions = (int)integer(key, value, 1, 1_000_000);
                case AUTO_CREATE_TOPICS_ENABLE -> autoCreate = bool(key, value);
                case SOCKET_REQUEST_MAX_BYTES -> maxRequest = (int)integer(key, value, 1024, Integer.MAX_VALUE);
                case NUM_NETWORK_THREADS -> networkThreads = (int)integer(key, value, 1, 256);
                case NUM_IO_THREADS -> ioThreads = (int)integer(key, value, 1, 256);
                case PRODUCER_ID_EXPIRATION_MS -> producerIdExpiration = integer(key, value, 1, Integer.MAX_VALUE);
                case CONNECTIONS_MAX_IDLE_MS -> connectionsMaxIdle = integer(key, value, 1, Long.MAX_VALUE);
                case CREATE_TOPICS_MAX_PARTITIONS -> createMaxPartitions = (int)integer(key, value, 1,
                    StorageLimits.DEFAULT_MAX_PARTITIONS_PER_TOPIC);
                case GROUP_MIN_SESSION_TIMEOUT_MS -> minSession = (int)integer(key, value, 1, Integer.MAX_VALUE);
                case GROUP_MAX_SESSION_TIMEOUT_MS -> maxSession = (int)integer(key, value, 1, Integer.MAX_VALUE);
                case GROUP_INITIAL_REBALANCE_DELAY_MS -> initialDelay = (int)integer(key, value, 0, Integer.MAX_VALUE);
                case OFFSETS_TOPIC_NUM_PARTITIONS -> offsetsPartitions = (int)integer(key, value, 1, 1000);
                case OFFSET_METADATA_MAX_BYTES -> metadataMax = (int)integer(key, value, 0, Short.MAX_VALUE);
                default ->
                {
                    final String logKey = LOG_KEYS.get(key);
                    if (logKey != null)
                    {
                        logOverrides.put(logKey, value);
                    }
                    else if (!IGNORED_KEYS.contains(key))
                    {
                        final Set<String> known = new TreeSet<>(LOG_KEYS.keySet());
                        known.addAll(Set.of(LOG_DIRS, NUM_PARTITIONS, AUTO_CREATE_TOPICS_ENABLE, SOCKET_REQUEST_MAX_BYTES,
                            NUM_NETWORK_THREADS, NUM_IO_THREADS, "log.roll.hours", "log.retention.minutes", "log.retention.hours",
                            GROUP_MIN_SESSION_TIMEOUT_MS, GROUP_MAX_SESSION_TIMEOUT_MS, GROUP_INITIAL_REBALANCE_DELAY_MS,
                            OFFSETS_TOPIC_NUM_PARTITIONS, OFFSET_METADATA_MAX_BYTES, PRODUCER_ID_EXPIRATION_MS, CONNECTIONS_MAX_IDLE_MS,
                            CREATE_TOPICS_MAX_PARTITIONS));
                        known.addAll(IGNORED_KEYS);
                        throw new InvalidConfigurationException("unknown configuration key '" + key + "'; known keys: " +
                            String.join(", ", known));
                    }
                }
            }
        }
        if (port < 0 || port > 65535)
        {
            throw new InvalidConfigurationException("invalid port " + port + ": must be between 0 and 65535");
        }
        if (host == null || host.isBlank())
        {
            throw new InvalidConfigurationException("the host to listen on must not be empty");
        }
        final LogConfig logDefaults;
        try
        {
            logDefaults = LogConfig.DEFAULTS.withOverrides(logOverrides);
        }
        catch (final InvalidConfigurationException e)
        {
            // Name the broker key the user wrote, not the topic key it maps to.
            String message = e.getMessage();
            for (final Map.Entry<String, String> key : LOG_KEYS.entrySet())
            {
                if (message.contains(" for " + key.getValue()))
                {
                    message = message.replace(" for " + key.getValue(), " for " + key.getKey());
                }
            }
            throw new InvalidConfigurationException(message);
        }
        return new BrokerConfig(directory == null ? Path.of("data") : directory, host, port, numPartitions, autoCreate, maxRequest,
            networkThreads, ioThreads, producerIdExpiration, connectionsMaxIdle, createMaxPartitions, logDefaults, new GroupConfig(minSession, maxSession, initialDelay, offsetsPartitions, metadataMax));
    }

    private static long integer(final String key, final String value, final long min, final long max)
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
        if (parsed < min || parsed > max)
        {
            throw new InvalidConfigurationException("invalid value " + parsed + " for " + key + ": must be between " + min + " and " + max);
        }
        return parsed;
    }

    private static boolean bool(final String key, final String value)
    {
        if ("true".equalsIgnoreCase(value) || "false".equalsIgnoreCase(value))
        {
            return Boolean.parseBoolean(value);
        }
        throw new InvalidConfigurationException("invalid value '" + value + "' for " + key + ": true or false");
    }

    /**
     * @return the group coordinator's settings ({@code group.*}, {@code offsets.topic.num.partitions},
     *         {@code offset.metadata.max.bytes}).
     */
    public GroupConfig groupConfig()
    {
        return groupConfig;
    }

    /** @return the data directory. */
    public Path dataDir()
    {
        return dataDir;
    }

    /** @return the address to listen on. */
    public String host()
    {
        return host;
    }

    /** @return the port to listen on; 0 for any free one. */
    public int port()
    {
        return port;
    }

    /** @return partitions of a topic created without a count. */
    public int numPartitions()
    {
        return numPartitions;
    }

    /** @return whether Metadata requests create unknown topics. */
    public boolean autoCreateTopics()
    {
        return autoCreateTopics;
    }

    /** @return the largest request frame accepted, in bytes. */
    public int socketRequestMaxBytes()
    {
        return socketRequestMaxBytes;
    }

    /** @return the number of event-loop threads. */
    public int networkThreads()
    {
        return networkThreads;
    }

    /** @return the number of threads for blocking work. */
    public int ioThreads()
    {
        return ioThreads;
    }

    /** @return how long an idempotent producer may stay silent before its state is forgotten. */
    public Duration producerIdExpiration()
    {
        return Duration.ofMillis(producerIdExpirationMs);
    }

    /** @return how long a connection may go without reads or writes before it is closed, in milliseconds. */
    public long connectionsMaxIdleMs()
    {
        return connectionsMaxIdleMs;
    }

    /** @return the most partitions one CreateTopics request may create, over all its topics. */
    public int createTopicsMaxPartitions()
    {
        return createTopicsMaxPartitions;
    }

    /** @return the configuration of topics that do not override it. */
    public LogConfig logDefaults()
    {
        return logDefaults;
    }

    /**
     * @return the broker-level keys and values, as DescribeConfigs reports them for the broker.
     */
    public Map<String, String> toMap()
    {
        final Map<String, String> map = new LinkedHashMap<>();
        map.put(LOG_DIRS, dataDir.toString());
        map.put(NUM_PARTITIONS, Integer.toString(numPartitions));
        map.put(AUTO_CREATE_TOPICS_ENABLE, Boolean.toString(autoCreateTopics));
        map.put(SOCKET_REQUEST_MAX_BYTES, Integer.toString(socketRequestMaxBytes));
        map.put(NUM_NETWORK_THREADS, Integer.toString(networkThreads));
        map.put(NUM_IO_THREADS, Integer.toString(ioThreads));
        map.put(PRODUCER_ID_EXPIRATION_MS, Long.toString(producerIdExpirationMs));
        map.put(CONNECTIONS_MAX_IDLE_MS, Long.toString(connectionsMaxIdleMs));
        final Map<String, String> log = logDefaults.toMap();
        for (final Map.Entry<String, String> key : new TreeMap<>(LOG_KEYS).entrySet())
        {
            map.put(key.getKey(), log.get(key.getValue()));
        }
        return map;
    }
}
