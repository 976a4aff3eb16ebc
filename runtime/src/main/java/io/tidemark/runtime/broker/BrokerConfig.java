package io.tidemark.runtime.broker;

import static io.tidemark.log.config.Applies.BROKER;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.tidemark.log.LogConfig;
import io.tidemark.log.config.ConfigKey;
import io.tidemark.log.config.ConfigTable;
import io.tidemark.log.config.ConfigValues;
import io.tidemark.log.errors.InvalidConfigurationException;
import io.tidemark.log.group.ConsumerProtocolConfig;
import io.tidemark.log.group.GroupConfig;
import io.tidemark.log.storage.OffsetMap;
import io.tidemark.log.topic.LogManager;
import io.tidemark.log.topic.StorageLimits;
import io.tidemark.log.txn.TransactionConfig;

/**
 * The server's configuration, read from a properties file whose keys are Kafka's broker keys
 * where the meaning is the same, so that Kafka's own {@code server.properties} starts the
 * server. Immutable; {@link #parse} checks every key and value and names the first bad one.
 *
 * <p>Every key is one row of {@link #KEYS}: the server's own settings, the {@code log.*} keys
 * (and {@code message.max.bytes}) that set the defaults of every topic's {@link LogConfig},
 * Kafka's coarser spellings ({@code log.retention.hours}), and the keys that mean nothing to a
 * single broker (replication, KRaft's controller quorum, socket buffers), which are accepted with
 * one warning each. Any other key is refused, with the nearest known key suggested.
 */
public final class BrokerConfig
{
    /** The listener clients connect to, {@code PLAINTEXT://host:port}; {@code --host}/{@code --port} win. */
    public static final String LISTENERS = "listeners";
    /** The address of the HTTP API; {@code --http-host} wins. */
    public static final String HTTP_HOST = "http.host";
    /** The port of the HTTP API, 0 for any free one; {@code --http-port} wins. */
    public static final String HTTP_PORT = "http.port";
    /** The data directory; {@code --data-dir} wins. */
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
    /** How often retention deletes old segments, in milliseconds. */
    public static final String LOG_RETENTION_CHECK_INTERVAL_MS = "log.retention.check.interval.ms";
    /** Kafka's key for the shortest session a group member may ask for. */
    public static final String GROUP_MIN_SESSION_TIMEOUT_MS = "group.min.session.timeout.ms";
    /** Kafka's key for the longest session a group member may ask for. */
    public static final String GROUP_MAX_SESSION_TIMEOUT_MS = "group.max.session.timeout.ms";
    /** Kafka's key for how long the first rebalance of an empty group waits for more members. */
    public static final String GROUP_INITIAL_REBALANCE_DELAY_MS = "group.initial.rebalance.delay.ms";
    /** Kafka's key for how often members of the consumer group protocol heartbeat. */
    public static final String GROUP_CONSUMER_HEARTBEAT_INTERVAL_MS = "group.consumer.heartbeat.interval.ms";
    /** Kafka's key for how long a member of the consumer group protocol may stay silent. */
    public static final String GROUP_CONSUMER_SESSION_TIMEOUT_MS = "group.consumer.session.timeout.ms";
    /** Kafka's key for the server-side assignors of the consumer group protocol, the first the default. */
    public static final String GROUP_CONSUMER_ASSIGNORS = "group.consumer.assignors";
    /** Kafka's key for the partition count of {@code __consumer_offsets} when it is created. */
    public static final String OFFSETS_TOPIC_NUM_PARTITIONS = "offsets.topic.num.partitions";
    /** Kafka's key for the longest metadata a committed offset may carry. */
    public static final String OFFSET_METADATA_MAX_BYTES = "offset.metadata.max.bytes";
    /** Kafka's key for how long an idempotent producer may stay silent before its state is forgotten. */
    public static final String PRODUCER_ID_EXPIRATION_MS = "producer.id.expiration.ms";
    /** Kafka's key for the longest transaction timeout a transactional producer may ask for. */
    public static final String TRANSACTION_MAX_TIMEOUT_MS = "transaction.max.timeout.ms";
    /** Kafka's key for the partition count of {@code __transaction_state} when it is created. */
    public static final String TRANSACTION_STATE_LOG_NUM_PARTITIONS = "transaction.state.log.num.partitions";
    /** Kafka's key for how often open transactions are checked against their timeouts. */
    public static final String TRANSACTION_ABORT_INTERVAL_MS = "transaction.abort.timed.out.transaction.cleanup.interval.ms";
    /** Kafka's key for how long an unused transactional id is remembered. */
    public static final String TRANSACTIONAL_ID_EXPIRATION_MS = "transactional.id.expiration.ms";
    /** Kafka's key for the most incremental fetch sessions the broker keeps. */
    public static final String MAX_INCREMENTAL_FETCH_SESSION_CACHE_SLOTS = "max.incremental.fetch.session.cache.slots";
    /**
     * Tidemark's key (Kafka has none) for the most partitions all incremental fetch sessions
     * hold together, so that sessions of many partitions cannot fill the heap; a full fetch for
     * which there is no room is answered without a session, as when the slots are taken.
     */
    public static final String FETCH_SESSION_CACHE_MAX_PARTITIONS = "fetch.session.cache.max.partitions";
    /** Kafka's key for how long a connection may go without socket activity before it is closed. */
    public static final String CONNECTIONS_MAX_IDLE_MS = "connections.max.idle.ms";
    /**
     * Tidemark's key (Kafka has none) for the most partitions one CreateTopics request may
     * create, summed over its topics, so also the most one topic may have: a request for a
     * million partitions would otherwise tie up an I/O thread for minutes and fill the disk with
     * directories. Refused with {@code INVALID_PARTITIONS}. At most (and by default) the log
     * manager's own per-topic limit, {@link StorageLimits#DEFAULT_MAX_PARTITIONS_PER_TOPIC}.
     */
    public static final String CREATE_TOPICS_MAX_PARTITIONS = "create.topics.max.partitions";

    /** Kafka's key for the memory of the log cleaner's map of keys (one cleaner thread here): the most keys a round cleans. */
    public static final String LOG_CLEANER_DEDUPE_BUFFER_SIZE = "log.cleaner.dedupe.buffer.size";
    /** Kafka's key for how full the log cleaner's map of keys gets before a round stops mapping. */
    public static final String LOG_CLEANER_IO_BUFFER_LOAD_FACTOR = "log.cleaner.io.buffer.load.factor";

    /** The origin of a value given as a command-line option. */
    public static final String COMMAND_LINE = "command line";

    private static final GroupConfig GROUPS = GroupConfig.defaults();
    private static final ConsumerProtocolConfig CONSUMER_PROTOCOL = ConsumerProtocolConfig.defaults();
    private static final TransactionConfig TRANSACTIONS = TransactionConfig.defaults();

    /**
     * Every key the server accepts. Adding a key is one row here (and a getter where the server
     * reads it); parsing, checking, the warnings, the suggestions and the logged configuration
     * follow from the row.
     */
    public static final ConfigTable KEYS = new ConfigTable("server", List.of(
        ConfigKey.ofString(BROKER, LISTENERS, "PLAINTEXT://127.0.0.1:9092", "The PLAINTEXT listener serves clients; an empty host is 127.0.0.1."),
        // Loopback by default: the API submits and cancels jobs, and has no authentication.
        ConfigKey.ofString(BROKER, HTTP_HOST, "127.0.0.1", "The address of the HTTP API (jobs, topics, groups)."),
        ConfigKey.ofInt(BROKER, HTTP_PORT, 0, 65535, 8081, "The port of the HTTP API; 0 for any free one."),
        ConfigKey.ofDirectory(BROKER, LOG_DIRS, "data", "The data directory (one)."),
        ConfigKey.ofInt(BROKER, NUM_PARTITIONS, 1, StorageLimits.DEFAULT_MAX_PARTITIONS_PER_TOPIC, 1, "Partitions of a topic created without a count."),
        ConfigKey.ofBoolean(BROKER, AUTO_CREATE_TOPICS_ENABLE, true, "Whether Metadata requests create unknown topics, when the client allows."),
        ConfigKey.ofInt(BROKER, SOCKET_REQUEST_MAX_BYTES, 1024, Integer.MAX_VALUE, 100 * 1024 * 1024, "The largest request frame accepted."),
        // Half the cores, not Kafka's 3: a produce wakes a long-polling fetch without a thread
        // hand-off when both connections share an event loop, and on a small machine the
        // clients need the other cores.
        ConfigKey.ofInt(BROKER, NUM_NETWORK_THREADS, 1, 256, Math.max(1, Runtime.getRuntime().availableProcessors() / 2), "Event-loop threads."),
        ConfigKey.ofInt(BROKER, NUM_IO_THREADS, 1, 256, 8, "Threads for work that may block on the disk."),
        ConfigKey.ofLong(BROKER, LOG_RETENTION_CHECK_INTERVAL_MS, 1, Long.MAX_VALUE, 300_000, "How often retention deletes old segments."),
        ConfigKey.ofInt(BROKER, MAX_INCREMENTAL_FETCH_SESSION_CACHE_SLOTS, 0, Integer.MAX_VALUE, 1000,
            "The most incremental fetch sessions kept; 0 for none (every fetch is full)."),
        ConfigKey.ofInt(BROKER, FETCH_SESSION_CACHE_MAX_PARTITIONS, 0, Integer.MAX_VALUE, 100_000,
            "The most partitions all incremental fetch sessions hold together."),
        ConfigKey.ofLong(BROKER, CONNECTIONS_MAX_IDLE_MS, 1, Long.MAX_VALUE, 600_000, "A connection silent this long (or stuck in a half-sent request) is closed."),
        ConfigKey.ofLong(BROKER, LOG_CLEANER_DEDUPE_BUFFER_SIZE, 384, Integer.MAX_VALUE, OffsetMap.DEFAULT_BUFFER_BYTES,
            "Memory of the log cleaner's map of keys, 24 bytes a key; a round cleans up to where it fills."),
        ConfigKey.ofDouble(BROKER, LOG_CLEANER_IO_BUFFER_LOAD_FACTOR, 0, 1, Double.toString(OffsetMap.DEFAULT_LOAD_FACTOR),
            "How full the log cleaner's map of keys gets (above 0, at most 1)."),
        ConfigKey.ofInt(BROKER, CREATE_TOPICS_MAX_PARTITIONS, 1, StorageLimits.DEFAULT_MAX_PARTITIONS_PER_TOPIC,
            StorageLimits.DEFAULT_MAX_PARTITIONS_PER_TOPIC, "The most partitions one CreateTopics request may create."),
        ConfigKey.ofLong(BROKER, PRODUCER_ID_EXPIRATION_MS, 1, Integer.MAX_VALUE, LogManager.DEFAULT_PRODUCER_ID_EXPIRATION.toMillis(), "Silence after which an idempotent producer is forgotten."),
        ConfigKey.ofInt(BROKER, GROUP_MIN_SESSION_TIMEOUT_MS, 1, Integer.MAX_VALUE, GROUPS.minSessionTimeoutMs(), "The shortest session a group member may ask for."),
        ConfigKey.ofInt(BROKER, GROUP_MAX_SESSION_TIMEOUT_MS, 1, Integer.MAX_VALUE, GROUPS.maxSessionTimeoutMs(), "The longest session a group member may ask for."),
        ConfigKey.ofInt(BROKER, GROUP_INITIAL_REBALANCE_DELAY_MS, 0, Integer.MAX_VALUE, GROUPS.initialRebalanceDelayMs(), "How long an empty group's first rebalance waits for more members."),
        ConfigKey.ofInt(BROKER, GROUP_CONSUMER_HEARTBEAT_INTERVAL_MS, 1, Integer.MAX_VALUE, CONSUMER_PROTOCOL.heartbeatIntervalMs(),
            "How often members of the consumer group protocol heartbeat."),
        ConfigKey.ofInt(BROKER, GROUP_CONSUMER_SESSION_TIMEOUT_MS, 1, Integer.MAX_VALUE, CONSUMER_PROTOCOL.sessionTimeoutMs(),
            "How long a member of the consumer group protocol may stay silent before it is removed."),
        ConfigKey.ofString(BROKER, GROUP_CONSUMER_ASSIGNORS, String.join(",", CONSUMER_PROTOCOL.assignors()),
            "The server-side assignors of the consumer group protocol (uniform, range), comma-separated; the first is the default."),
        ConfigKey.ofInt(BROKER, OFFSETS_TOPIC_NUM_PARTITIONS, 1, 1000, GROUPS.offsetsTopicPartitions(), "Partitions of __consumer_offsets when it is created."),
        ConfigKey.ofInt(BROKER, OFFSET_METADATA_MAX_BYTES, 0, Short.MAX_VALUE, GROUPS.maxMetadataBytes(), "The longest metadata of a committed offset."),
        ConfigKey.ofInt(BROKER, TRANSACTION_MAX_TIMEOUT_MS, 1, Integer.MAX_VALUE, TRANSACTIONS.maxTimeoutMs(), "The longest transaction timeout a producer may ask for."),
        ConfigKey.ofInt(BROKER, TRANSACTION_STATE_LOG_NUM_PARTITIONS, 1, 1000, TRANSACTIONS.stateLogPartitions(), "Partitions of __transaction_state when it is created."),
        ConfigKey.ofInt(BROKER, TRANSACTION_ABORT_INTERVAL_MS, 1, Integer.MAX_VALUE, TRANSACTIONS.abortTimedOutIntervalMs(), "How often open transactions are checked against their timeouts."),
        ConfigKey.ofInt(BROKER, TRANSACTIONAL_ID_EXPIRATION_MS, 1, Integer.MAX_VALUE, TRANSACTIONS.idExpirationMs(), "How long an unused transactional id is remembered."),
        ConfigKey.topicDefault("log.segment.bytes", LogConfig.KEYS.key(LogConfig.SEGMENT_BYTES)),
        ConfigKey.topicDefault("log.roll.ms", LogConfig.KEYS.key(LogConfig.SEGMENT_MS)),
        ConfigKey.topicDefault("log.index.interval.bytes", LogConfig.KEYS.key(LogConfig.INDEX_INTERVAL_BYTES)),
        ConfigKey.topicDefault("log.retention.ms", LogConfig.KEYS.key(LogConfig.RETENTION_MS)),
        ConfigKey.topicDefault("log.retention.bytes", LogConfig.KEYS.key(LogConfig.RETENTION_BYTES)),
        ConfigKey.topicDefault("log.flush.interval.messages", LogConfig.KEYS.key(LogConfig.FLUSH_MESSAGES)),
        ConfigKey.topicDefault("log.flush.interval.ms", LogConfig.KEYS.key(LogConfig.FLUSH_MS)),
        ConfigKey.topicDefault("message.max.bytes", LogConfig.KEYS.key(LogConfig.MAX_MESSAGE_BYTES)),
        ConfigKey.topicDefault("log.message.timestamp.type", LogConfig.KEYS.key(LogConfig.MESSAGE_TIMESTAMP_TYPE)),
        ConfigKey.topicDefault("log.cleanup.policy", LogConfig.KEYS.key(LogConfig.CLEANUP_POLICY)),
        ConfigKey.topicDefault(LogConfig.COMPRESSION_TYPE, LogConfig.KEYS.key(LogConfig.COMPRESSION_TYPE)),
        ConfigKey.topicDefault("compression.gzip.level", LogConfig.KEYS.key("compression.gzip.level")),
        ConfigKey.topicDefault("compression.lz4.level", LogConfig.KEYS.key("compression.lz4.level")),
        ConfigKey.topicDefault("compression.zstd.level", LogConfig.KEYS.key("compression.zstd.level")),
        ConfigKey.topicDefault("log.roll.jitter.ms", LogConfig.KEYS.key("segment.jitter.ms")),
        ConfigKey.topicDefault("log.index.size.max.bytes", LogConfig.KEYS.key("segment.index.bytes")),
        ConfigKey.topicDefault("log.segment.delete.delay.ms", LogConfig.KEYS.key("file.delete.delay.ms")),
        ConfigKey.topicDefault("log.message.timestamp.before.max.ms", LogConfig.KEYS.key("message.timestamp.before.max.ms")),
        ConfigKey.topicDefault("log.message.timestamp.after.max.ms", LogConfig.KEYS.key("message.timestamp.after.max.ms")),
        ConfigKey.topicDefault("log.local.retention.ms", LogConfig.KEYS.key("local.retention.ms")),
        ConfigKey.topicDefault("log.local.retention.bytes", LogConfig.KEYS.key("local.retention.bytes")),
        ConfigKey.topicDefault("log.cleaner.delete.retention.ms", LogConfig.KEYS.key(LogConfig.DELETE_RETENTION_MS)),
        ConfigKey.topicDefault("log.cleaner.min.compaction.lag.ms", LogConfig.KEYS.key(LogConfig.MIN_COMPACTION_LAG_MS)),
        ConfigKey.topicDefault("log.cleaner.max.compaction.lag.ms", LogConfig.KEYS.key(LogConfig.MAX_COMPACTION_LAG_MS)),
        ConfigKey.topicDefault("log.cleaner.min.cleanable.ratio", LogConfig.KEYS.key(LogConfig.MIN_CLEANABLE_DIRTY_RATIO)),
        ConfigKey.coarserUnit("log.roll.hours", "log.roll.ms", 3_600_000L, "hours"),
        ConfigKey.coarserUnit("log.roll.jitter.hours", "log.roll.jitter.ms", 3_600_000L, "hours"),
        ConfigKey.coarserUnit("log.retention.minutes", "log.retention.ms", 60_000L, "minutes"),
        ConfigKey.coarserUnit("log.retention.hours", "log.retention.ms", 3_600_000L, "hours"),
        ConfigKey.ignored("broker.id", "there is one broker, node 0"),
        ConfigKey.ignored("node.id", "there is one broker, node 0"),
        ConfigKey.ignored("process.roles", "one process is the broker and keeps its own metadata (no KRaft)"),
        ConfigKey.ignored("controller.*", "there is no controller quorum; the broker keeps its own metadata"),
        ConfigKey.ignored("advertised.listeners", "clients are sent the listener's own host and port"),
        ConfigKey.ignored("inter.broker.listener.name", "there are no other brokers"),
        ConfigKey.ignored("listener.security.protocol.map", "the only listener is PLAINTEXT"),
        ConfigKey.ignored("num.recovery.threads.per.data.dir", "the data directory is recovered as it is opened"),
        ConfigKey.ignored("socket.send.buffer.bytes", "the operating system sizes socket buffers"),
        ConfigKey.ignored("socket.receive.buffer.bytes", "the operating system sizes socket buffers"),
        ConfigKey.ignored("delete.topic.enable", "topics can always be deleted"),
        ConfigKey.ignored("default.replication.factor", "the broker holds the only replica"),
        ConfigKey.ignored("min.insync.replicas", "the broker holds the only replica"),
        ConfigKey.ignored("offsets.topic.replication.factor", "the broker holds the only replica"),
        ConfigKey.ignored("replica.*", "the broker holds the only replica"),
        ConfigKey.ignored("num.replica.fetchers", "the broker holds the only replica"),
        ConfigKey.ignored("num.replica.alter.log.dirs.threads", "the broker holds the only replica"),
        ConfigKey.ignored("unclean.leader.election.enable", "the broker holds the only replica"),
        ConfigKey.ignored("auto.leader.rebalance.enable", "the broker leads every partition"),
        ConfigKey.ignored("leader.imbalance.*", "the broker leads every partition"),
        ConfigKey.ignored("broker.rack", "there is one broker"),
        ConfigKey.ignored("transaction.state.log.replication.factor", "the broker holds the only replica"),
        ConfigKey.ignored("transaction.state.log.min.isr", "the broker holds the only replica"),
        ConfigKey.ignored("transaction.state.log.segment.bytes", "__transaction_state takes the topics' default segment size"),
        ConfigKey.ignored("transaction.state.log.load.buffer.size", "__transaction_state is replayed as it is opened"),
        ConfigKey.ignored("transaction.partition.verification.enable",
            "every transactional write is checked against its transaction's partitions, always"),
        ConfigKey.ignored("transaction.remove.expired.transaction.cleanup.interval.ms",
            "expired transactional ids are looked for by the coordinator's own schedule"),
        ConfigKey.ignored("transaction.two.phase.commit.enable", "two-phase commit with an external coordinator is not supported"),
        ConfigKey.ignored("share.coordinator.*", "there are no share groups"),
        ConfigKey.ignored("group.share.*", "there are no share groups"),
        ConfigKey.ignored("group.coordinator.*", "both the classic and the consumer group protocols are served, always"),
        ConfigKey.ignored("group.consumer.*", "the consumer group protocol's other limits are fixed (no group size limit, a member's own timeouts)"),
        ConfigKey.ignored("group.max.size", "a group takes any number of members"),
        ConfigKey.ignored("offsets.retention.minutes", "committed offsets do not expire"),
        ConfigKey.ignored("offsets.retention.check.interval.ms", "committed offsets do not expire"),
        ConfigKey.ignored("offsets.commit.timeout.ms", "a commit is answered once it is in the log"),
        ConfigKey.ignored("offsets.load.buffer.size", "the offsets topic is replayed as it is opened"),
        ConfigKey.ignored("offsets.topic.segment.bytes", "the offsets topic is compacted by rewriting"),
        ConfigKey.ignored("log.cleaner.*", "one cleaner thread passes over the compacted topics every 15 seconds"),
        ConfigKey.ignored("log.preallocate", "segments grow as they are written"),
                ConfigKey.ignored("log.flush.scheduler.interval.ms", "the broker schedules its own flushes"),
        ConfigKey.ignored("log.flush.offset.checkpoint.interval.ms", "offsets are recovered from the segments"),
        ConfigKey.ignored("log.flush.start.offset.checkpoint.interval.ms", "offsets are recovered from the segments"),
        ConfigKey.ignored("remote.log.*", "there is no tiered storage"),
        ConfigKey.ignored("background.threads", "the broker sizes its own threads"),
        ConfigKey.ignored("queued.max.requests", "each connection queues at most 16 requests"),
        ConfigKey.ignored("socket.listen.backlog.size", "the listen backlog is 1024"),
        ConfigKey.ignored("ssl.*", "the only listener is PLAINTEXT: no TLS"),
        ConfigKey.ignored("sasl.*", "the only listener is PLAINTEXT: no authentication"),
        ConfigKey.ignored("security.inter.broker.protocol", "there are no other brokers"),
        ConfigKey.ignored("connections.max.reauth.ms", "there is no authentication"),
        ConfigKey.ignored("delegation.token.*", "there is no authentication"),
        ConfigKey.ignored("authorizer.class.name", "there is no authorization: every client may do everything"),
        ConfigKey.ignored("super.users", "there is no authorization: every client may do everything"),
        ConfigKey.ignored("allow.everyone.if.no.acl.found", "there is no authorization: every client may do everything"),
        ConfigKey.ignored("metric.reporters", "metrics are not exported yet"),
        ConfigKey.ignored("metrics.*", "metrics are not exported yet"),
        ConfigKey.ignored("kafka.metrics.*", "metrics are not exported yet"),
        ConfigKey.ignored("metadata.*", "there is no KRaft metadata log: topics live in the data directory"),
        ConfigKey.ignored("zookeeper.*", "there is no ZooKeeper")));

    /** {@code NAME://host:port}; the host may be empty or a bracketed IPv6 address. */
    private static final Pattern LISTENER = Pattern.compile("([A-Za-z0-9_]+)://(\\[[^\\]]*\\]|[^:/\\[\\]]*):(\\d{1,5})");

    /**
     * What the command line gave explicitly, which wins over the file.
     *
     * @param dataDir {@code --data-dir}, or null.
     * @param host {@code --host}, or null to take {@code listeners}.
     * @param port {@code --port}, or null to take {@code listeners}.
     * @param httpHost {@code --http-host}, or null to take {@code http.host}.
     * @param httpPort {@code --http-port}, or null to take {@code http.port}.
     */
    public record Flags(Path dataDir, String host, Integer port, String httpHost, Integer httpPort)
    {
        /**
         * Flags without the HTTP API's, which then come from the file or the defaults.
         *
         * @param dataDir {@code --data-dir}, or null.
         * @param host {@code --host}, or null to take {@code listeners}.
         * @param port {@code --port}, or null to take {@code listeners}.
         */
        public Flags(final Path dataDir, final String host, final Integer port)
        {
            this(dataDir, host, port, null, null);
        }
    }

    private final ConfigValues values;
    private final List<String> warnings;
    private final Path dataDir;
    private final String host;
    private final int port;
    private final LogConfig logDefaults;
    private final GroupConfig groupConfig;
    private final ConsumerProtocolConfig consumerProtocolConfig;
    private final TransactionConfig transactionConfig;

    private BrokerConfig(final ConfigValues values, final List<String> warnings, final String host, final int port)
    {
        this.values = values;
        this.warnings = List.copyOf(warnings);
        this.dataDir = Path.of(values.getString(LOG_DIRS));
        this.host = host;
        this.port = port;
        this.logDefaults = LogConfig.DEFAULTS.withOverrides(values.topicDefaults());
        this.groupConfig = new GroupConfig(values.getInt(GROUP_MIN_SESSION_TIMEOUT_MS), values.getInt(GROUP_MAX_SESSION_TIMEOUT_MS),
            values.getInt(GROUP_INITIAL_REBALANCE_DELAY_MS), values.getInt(OFFSETS_TOPIC_NUM_PARTITIONS), values.getInt(OFFSET_METADATA_MAX_BYTES));
        this.consumerProtocolConfig = new ConsumerProtocolConfig(values.getInt(GROUP_CONSUMER_HEARTBEAT_INTERVAL_MS),
            values.getInt(GROUP_CONSUMER_SESSION_TIMEOUT_MS), List.of(values.getString(GROUP_CONSUMER_ASSIGNORS).trim().split("\\s*,\\s*")));
        this.transactionConfig = new TransactionConfig(values.getInt(TRANSACTION_MAX_TIMEOUT_MS), values.getInt(TRANSACTION_STATE_LOG_NUM_PARTITIONS),
            values.getInt(TRANSACTION_ABORT_INTERVAL_MS), values.getInt(TRANSACTIONAL_ID_EXPIRATION_MS));
    }

    /**
     * Reads a configuration whose data directory, host and port were all given on the command
     * line.
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
        return parse(properties, new Flags(dataDir, host, port));
    }

    /**
     * Reads a configuration.
     *
     * @param properties the file's keys, Kafka's broker keys.
     * @param flags what the command line gave; each wins over the file.
     * @return the configuration.
     * @throws InvalidConfigurationException naming the first unknown key (and the nearest known
     *         one) or invalid value.
     */
    public static BrokerConfig parse(final Properties properties, final Flags flags)
    {
        final Map<String, String> file = new TreeMap<>();
        for (final String key : properties.stringPropertyNames())
        {
            file.put(key, properties.getProperty(key));
        }
        ConfigValues values = KEYS.parse(file, "file");
        final List<String> warnings = new ArrayList<>(values.warnings());
        if (flags.dataDir() != null)
        {
            values = values.with(LOG_DIRS, flags.dataDir().toString(), COMMAND_LINE);
        }

        final Matcher listener = plaintextListener(values.getString(LISTENERS), warnings);
        final String host = flags.host() != null ? flags.host() : listener.group(2).isEmpty() ? "127.0.0.1" : unbracket(listener.group(2));
        final int port = flags.port() != null ? flags.port() : Integer.parseInt(listener.group(3));
        if (port < 0 || port > 65535)
        {
            throw new InvalidConfigurationException("invalid port " + port + ": must be between 0 and 65535");
        }
        if (host == null || host.isBlank())
        {
            throw new InvalidConfigurationException("the host to listen on must not be empty");
        }
        // The keys' ranges let through a load factor of 0, and sizes too small for their load factor to hold a key.
        try
        {
            OffsetMap.check(values.getLong(LOG_CLEANER_DEDUPE_BUFFER_SIZE), values.getDouble(LOG_CLEANER_IO_BUFFER_LOAD_FACTOR));
        }
        catch (final IllegalArgumentException e)
        {
            throw new InvalidConfigurationException("invalid values for " + LOG_CLEANER_DEDUPE_BUFFER_SIZE + " and " +
                LOG_CLEANER_IO_BUFFER_LOAD_FACTOR + ": " + e.getMessage());
        }
        if (flags.host() != null || flags.port() != null)
        {
            values = values.with(LISTENERS, "PLAINTEXT://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port, COMMAND_LINE);
        }
        if (flags.httpHost() != null)
        {
            values = values.with(HTTP_HOST, flags.httpHost(), COMMAND_LINE);
        }
        if (flags.httpPort() != null)
        {
            values = values.with(HTTP_PORT, flags.httpPort().toString(), COMMAND_LINE);
        }
        if (values.getString(HTTP_HOST).isBlank())
        {
            throw new InvalidConfigurationException("the host of the HTTP API must not be empty");
        }
        return new BrokerConfig(values, warnings, host, port);
    }

    /** The listener named PLAINTEXT; every other one is warned about, since it is not served. */
    private static Matcher plaintextListener(final String listeners, final List<String> warnings)
    {
        Matcher plaintext = null;
        for (final String entry : listeners.split(","))
        {
            final Matcher listener = LISTENER.matcher(entry.trim());
            if (!listener.matches())
            {
                throw new InvalidConfigurationException("invalid value '" + listeners + "' for " + LISTENERS +
                    ": NAME://host:port, for example PLAINTEXT://127.0.0.1:9092");
            }
            if (plaintext == null && listener.group(1).equals("PLAINTEXT"))
            {
                plaintext = listener;
            }
            else
            {
                warnings.add("ignoring listener " + entry.trim() + " in " + LISTENERS + ": only one PLAINTEXT listener serves clients");
            }
        }
        if (plaintext == null)
        {
            throw new InvalidConfigurationException("invalid value '" + listeners + "' for " + LISTENERS +
                ": no PLAINTEXT listener (SSL and SASL are not supported)");
        }
        return plaintext;
    }

    private static String unbracket(final String host)
    {
        return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    }

    /**
     * @return one line per key that was accepted but means nothing here (and per listener that is
     *         not served), naming it and why.
     */
    public List<String> warnings()
    {
        return warnings;
    }

    /**
     * @return one line per key, {@code key = value (origin)}, the origin being {@code default},
     *         {@code file} or {@code command line}, in the order of {@link #KEYS}.
     */
    public List<String> describe()
    {
        return values.describe();
    }

    /**
     * @return the group coordinator's settings ({@code group.*}, {@code offsets.topic.num.partitions},
     *         {@code offset.metadata.max.bytes}).
     */
    public GroupConfig groupConfig()
    {
        return groupConfig;
    }

    /**
     * @return the consumer group protocol's settings ({@code group.consumer.heartbeat.interval.ms},
     *         {@code group.consumer.session.timeout.ms}, {@code group.consumer.assignors}).
     */
    public ConsumerProtocolConfig consumerProtocolConfig()
    {
        return consumerProtocolConfig;
    }

    /**
     * @return the transaction coordinator's settings ({@code transaction.max.timeout.ms},
     *         {@code transaction.state.log.num.partitions}, the timeout check's interval and
     *         {@code transactional.id.expiration.ms}).
     */
    public TransactionConfig transactionConfig()
    {
        return transactionConfig;
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

    /** @return the address of the HTTP API. */
    public String httpHost()
    {
        return values.getString(HTTP_HOST);
    }

    /** @return the port of the HTTP API; 0 for any free one. */
    public int httpPort()
    {
        return values.getInt(HTTP_PORT);
    }

    /** @return partitions of a topic created without a count. */
    public int numPartitions()
    {
        return values.getInt(NUM_PARTITIONS);
    }

    /** @return whether Metadata requests create unknown topics. */
    public boolean autoCreateTopics()
    {
        return values.getBoolean(AUTO_CREATE_TOPICS_ENABLE);
    }

    /** @return the largest request frame accepted, in bytes. */
    public int socketRequestMaxBytes()
    {
        return values.getInt(SOCKET_REQUEST_MAX_BYTES);
    }

    /** @return the number of event-loop threads. */
    public int networkThreads()
    {
        return values.getInt(NUM_NETWORK_THREADS);
    }

    /** @return the number of threads for blocking work. */
    public int ioThreads()
    {
        return values.getInt(NUM_IO_THREADS);
    }

    /** @return how often retention deletes old segments. */
    public Duration retentionCheckInterval()
    {
        return Duration.ofMillis(values.getLong(LOG_RETENTION_CHECK_INTERVAL_MS));
    }

    /**
     * @return a new log cleaner's map of keys, of {@value #LOG_CLEANER_DEDUPE_BUFFER_SIZE} bytes at
     *         {@value #LOG_CLEANER_IO_BUFFER_LOAD_FACTOR}; it takes its memory on the first round.
     */
    public OffsetMap cleanerOffsetMap()
    {
        return new OffsetMap(values.getLong(LOG_CLEANER_DEDUPE_BUFFER_SIZE), values.getDouble(LOG_CLEANER_IO_BUFFER_LOAD_FACTOR));
    }

    /** @return how long an idempotent producer may stay silent before its state is forgotten. */
    public Duration producerIdExpiration()
    {
        return Duration.ofMillis(values.getLong(PRODUCER_ID_EXPIRATION_MS));
    }

    /** @return how long a connection may go without reads or writes before it is closed, in milliseconds. */
    public long connectionsMaxIdleMs()
    {
        return values.getLong(CONNECTIONS_MAX_IDLE_MS);
    }

    /** @return the most incremental fetch sessions kept. */
    public int fetchSessionCacheSlots()
    {
        return values.getInt(MAX_INCREMENTAL_FETCH_SESSION_CACHE_SLOTS);
    }

    /** @return the most partitions all incremental fetch sessions hold together. */
    public int fetchSessionCacheMaxPartitions()
    {
        return values.getInt(FETCH_SESSION_CACHE_MAX_PARTITIONS);
    }

    /** @return the most partitions one CreateTopics request may create, over all its topics. */
    public int createTopicsMaxPartitions()
    {
        return values.getInt(CREATE_TOPICS_MAX_PARTITIONS);
    }

    /** @return the configuration of topics that do not override it. */
    public LogConfig logDefaults()
    {
        return logDefaults;
    }

    /**
     * @param topicKey a topic key.
     * @return the server key that sets its default, which Kafka lists as its synonym
     *         ({@code log.retention.ms} for {@code retention.ms}); null if there is none.
     */
    public String topicDefaultKey(final String topicKey)
    {
        final ConfigKey key = KEYS.topicDefaultOf(topicKey);
        return key == null ? null : key.name();
    }

    /**
     * @param key a server key with a value.
     * @return true if the file or the command line set it (Kafka's static broker
     *         configuration), false if it has its default.
     */
    public boolean isSet(final String key)
    {
        return !ConfigValues.DEFAULT.equals(values.origin(key));
    }

    /**
     * @return the server's keys and their effective values, as DescribeConfigs reports them for
     *         the broker.
     */
    public Map<String, String> toMap()
    {
        return values.toMap();
    }
}
