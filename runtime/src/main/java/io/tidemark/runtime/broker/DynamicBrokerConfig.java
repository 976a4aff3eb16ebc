package io.tidemark.runtime.broker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

import io.tidemark.log.LogConfig;
import io.tidemark.log.config.Applies;
import io.tidemark.log.config.ConfigKey;
import io.tidemark.log.errors.InvalidConfigurationException;
import io.tidemark.log.errors.LogStorageException;
import io.tidemark.log.storage.DurableFile;
import io.tidemark.log.topic.LogManager;

/**
 * The server keys changed while it runs, Kafka's dynamic broker configuration
 * ({@code kafka-configs --entity-type brokers --entity-default} or {@code --entity-name 0}):
 * the keys that set a topic key's default ({@code log.retention.ms}, {@code log.segment.bytes},
 * {@code message.max.bytes}, ...), which Kafka changes at run time too. Two scopes, as in Kafka:
 * the cluster-wide default (the empty broker name) and this broker's own (node 0), which wins;
 * both win over the server's file, which wins over the built-in default.
 *
 * <p>Each scope is a file in the data directory ({@code broker-default.properties},
 * {@code broker-0.properties}), replaced atomically on a change and read at start. A change is
 * checked whole (every key dynamic, every value valid, every topic's overrides still valid over
 * the new defaults), written, then handed to the {@link LogManager}: every topic without its own
 * value of a key takes the new default at once.
 */
public final class DynamicBrokerConfig
{
    /** The broker resource name of the cluster-wide default. */
    public static final String CLUSTER_DEFAULT = "";
    /** The file of the cluster-wide default, in the data directory. */
    public static final String DEFAULT_FILE = "broker-default.properties";
    /** The file of this broker's own keys, in the data directory. */
    public static final String BROKER_FILE = "broker-" + Broker.NODE_ID + ".properties";

    private final BrokerConfig config;
    private volatile Map<String, String> clusterDefault;
    private volatile Map<String, String> perBroker;

    private DynamicBrokerConfig(final BrokerConfig config, final Map<String, String> clusterDefault, final Map<String, String> perBroker)
    {
        this.config = config;
        this.clusterDefault = clusterDefault;
        this.perBroker = perBroker;
    }

    /**
     * Reads the dynamic keys kept in the data directory; none if it has no files yet.
     *
     * @param config the server's configuration, from its file and command line.
     * @return the dynamic configuration over it.
     * @throws InvalidConfigurationException if a file holds a key that is not dynamic or an
     *         invalid value, naming the file.
     * @throws LogStorageException if a file cannot be read.
     */
    public static DynamicBrokerConfig load(final BrokerConfig config)
    {
        final DynamicBrokerConfig dynamic = new DynamicBrokerConfig(config, read(config.dataDir().resolve(DEFAULT_FILE)),
            read(config.dataDir().resolve(BROKER_FILE)));
        try
        {
            dynamic.logDefaults(dynamic.clusterDefault, dynamic.perBroker);
        }
        catch (final InvalidConfigurationException e)
        {
            throw new InvalidConfigurationException("the dynamic broker configuration in " + config.dataDir() + " is invalid (" +
                e.getMessage() + "); fix or remove " + DEFAULT_FILE + " and " + BROKER_FILE);
        }
        return dynamic;
    }

    private static Map<String, String> read(final Path file)
    {
        final Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file))
        {
            properties.load(in);
        }
        catch (final NoSuchFileException e)
        {
            return Map.of();
        }
        catch (final IOException | IllegalArgumentException e)
        {
            throw new LogStorageException("cannot read the dynamic broker configuration " + file + ": " + e, e);
        }
        final Map<String, String> values = new TreeMap<>();
        properties.stringPropertyNames().forEach(key -> values.put(key, properties.getProperty(key)));
        return Collections.unmodifiableMap(values);
    }

    /**
     * @return the configuration of topics that do not override it: built-in defaults, the
     *         server's file, the dynamic cluster default and this broker's dynamic keys, each
     *         winning over the one before.
     */
    public LogConfig logDefaults()
    {
        return logDefaults(clusterDefault, perBroker);
    }

    /**
     * @param key a server key.
     * @return its value in this broker's own dynamic configuration, or null.
     */
    public String brokerValue(final String key)
    {
        return perBroker.get(key);
    }

    /**
     * @param key a server key.
     * @return its value in the dynamic cluster-wide default, or null.
     */
    public String defaultValue(final String key)
    {
        return clusterDefault.get(key);
    }

    /**
     * @param resourceName {@link #CLUSTER_DEFAULT} or this broker's id.
     * @return the dynamic keys of that scope and their values.
     */
    public Map<String, String> values(final String resourceName)
    {
        return CLUSTER_DEFAULT.equals(resourceName) ? clusterDefault : perBroker;
    }

    /**
     * Checks one scope's change and, unless only validating, persists it and hands the new
     * topic defaults to the open logs. Changes are serialized, so two cannot lose each other.
     *
     * @param resourceName {@link #CLUSTER_DEFAULT} or this broker's id.
     * @param change given the scope's dynamic keys, its new ones, all of them: a key left out
     *        goes back to the file's value or the built-in default.
     * @param validateOnly whether only to check.
     * @param logs the logs that take the new defaults.
     * @throws InvalidConfigurationException naming the keys that are not dynamic, or an invalid
     *         value; nothing changes.
     * @throws LogStorageException if the file cannot be written (nothing changes), or if it was
     *         written but the directory could not be synced after (the change is made; a crash
     *         may bring back the old keys).
     */
    public synchronized void alter(final String resourceName, final UnaryOperator<Map<String, String>> change, final boolean validateOnly,
        final LogManager logs)
    {
        final boolean clusterWide = CLUSTER_DEFAULT.equals(resourceName);
        final Map<String, String> next = Collections.unmodifiableMap(new TreeMap<>(change.apply(values(resourceName))));
        final LogConfig defaults = clusterWide ? logDefaults(next, perBroker) : logDefaults(clusterDefault, next);
        logs.checkDefaults(defaults);
        if (validateOnly)
        {
            return;
        }
        final Path file = config.dataDir().resolve(clusterWide ? DEFAULT_FILE : BROKER_FILE);
        try
        {
            DurableFile.replace(file, properties(next));
        }
        catch (final IOException e)
        {
            throw new LogStorageException("cannot write the dynamic broker configuration " + file + " (the old one stays): " + e, e);
        }
        // The file holds the new keys from here on, so the broker serves them whatever follows.
        if (clusterWide)
        {
            clusterDefault = next;
        }
        else
        {
            perBroker = next;
        }
        logs.changeDefaults(defaults);
        try
        {
            DurableFile.syncDirectory(config.dataDir());
        }
        catch (final IOException e)
        {
            throw new LogStorageException("changed the dynamic broker configuration, but syncing " + config.dataDir() +
                " failed, so a crash may bring back the old one: " + e, e);
        }
    }

    /** @return the topic defaults with both scopes over the file's; every key checked. */
    private LogConfig logDefaults(final Map<String, String> clusterWide, final Map<String, String> broker)
    {
        return config.logDefaults().withOverrides(topicKeys(clusterWide)).withOverrides(topicKeys(broker));
    }

    /** @return the topic keys the given server keys set, after checking each is dynamic and its value valid. */
    private static Map<String, String> topicKeys(final Map<String, String> serverKeys)
    {
        final List<String> notDynamic = new ArrayList<>();
        for (final String key : serverKeys.keySet())
        {
            final ConfigKey row = BrokerConfig.KEYS.key(key);
            if (row == null || row.applies() != Applies.TOPIC_DEFAULT)
            {
                notDynamic.add(key);
            }
        }
        if (!notDynamic.isEmpty())
        {
            // Kafka's words, which clients and operators know.
            throw new InvalidConfigurationException("Cannot update these configs dynamically: " + notDynamic);
        }
        final Map<String, String> topicKeys = new TreeMap<>();
        for (final Map.Entry<String, String> entry : serverKeys.entrySet())
        {
            final ConfigKey row = BrokerConfig.KEYS.key(entry.getKey());
            if (entry.getValue() == null)
            {
                throw new InvalidConfigurationException("no value given for " + entry.getKey());
            }
            row.parse(entry.getValue());
            topicKeys.put(row.target(), entry.getValue());
        }
        return topicKeys;
    }

    private static ByteBuffer properties(final Map<String, String> values) throws IOException
    {
        final Properties properties = new Properties();
        values.forEach(properties::setProperty);
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        properties.store(bytes, "Tidemark dynamic broker configuration");
        return ByteBuffer.wrap(bytes.toByteArray());
    }
}
