package io.tidemark.connector.kafka;

import java.io.DataInput;
import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;

import io.tidemark.connector.log.LogSerializer;
import io.tidemark.connector.txn.SinkTransactionRecovery;
import io.tidemark.connector.txn.TransactionalSinkState;
import io.tidemark.connector.txn.TransactionalSinkWriter;
import io.tidemark.engine.checkpoint.DeliveryGuarantee;
import io.tidemark.engine.functions.SerializedCopy;
import io.tidemark.engine.sink.Sink;
import io.tidemark.engine.sink.SinkWriter;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeConfigsOptions;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes records to a topic of an Apache Kafka cluster (or {@code tidemark server}, which speaks
 * the same protocol) through kafka-clients' {@link KafkaProducer}, one per subtask and
 * transactional id. Two guarantees:
 *
 * <ul>
 * <li><b>At least once</b> (the default): one idempotent producer per subtask with
 * {@code acks=all}; sends are asynchronous, flushed at every checkpoint barrier and at the end
 * of the input, and a failed send (a record too large, a topic that is gone) fails the job
 * with the broker's reason at the next record or at the latest at the flush. After a restart
 * the output since the restored checkpoint is written again.</li>
 * <li><b>Exactly once</b> ({@link Builder#exactlyOnce}) for read_committed readers, in a job
 * checkpointed with {@link DeliveryGuarantee#EXACTLY_ONCE}: each checkpoint's output of a
 * subtask is one Kafka transaction under an id {@code <prefix>-<subtask>-<k>} of a small pool,
 * committed when the checkpoint completes. The checkpoint records the pending transactions
 * (id, producer id, epoch); a restarted job commits them by EndTxn on the coordinator although
 * their producers are gone (a commit that already happened counts as done), then aborts what
 * the failed run left open under the ids it inherits. Output becomes visible only at
 * checkpoints.</li>
 * </ul>
 *
 * <pre>{@code
 * KafkaSink<Count> sink = KafkaSink.builder("127.0.0.1:9092", "counts", serializer)
 *     .exactlyOnce("counts-job")
 *     .transactionTimeout(Duration.ofMinutes(15))
 *     .property("linger.ms", "5")
 *     .build();
 * counts.sinkTo(sink);
 * }</pre>
 * The transactional id prefix must be unique to the job on the cluster and stay the same across
 * its restarts. The transaction timeout must exceed the checkpoint interval plus the longest
 * restart, and may not exceed the brokers' {@code transaction.max.timeout.ms}: each
 * exactly-once writer checks that at start and refuses to run otherwise (a transaction the
 * broker would time out before its checkpoint's commit is lost output).
 *
 * @param <T> the record type.
 */
public final class KafkaSink<T> implements Sink<T>
{
    /** The exactly-once sink's transaction timeout unless {@link Builder#transactionTimeout} says otherwise (lowered to the broker's maximum). */
    public static final Duration DEFAULT_TRANSACTION_TIMEOUT = Duration.ofMinutes(15);

    private static final Logger LOG = LoggerFactory.getLogger(KafkaSink.class);

    /** How long a restored writer retries committing a pending transaction while the coordinator is unavailable. */
    private static final Duration RECOVERY_TIMEOUT = Duration.ofMinutes(1);

    /** How long one broker may take to tell its configuration before the next is asked. */
    private static final Duration BROKER_CONFIG_TIMEOUT = Duration.ofSeconds(5);

    /** The broker configuration key the timeout is checked against. */
    static final String TRANSACTION_MAX_TIMEOUT_MS = "transaction.max.timeout.ms";

    /** The exactly-once Kafka sink's snapshots. */
    static final TransactionalSinkState.Kind STATE = new TransactionalSinkState.Kind(0x544B5331, "exactly-once Kafka sink");

    /** Producer keys the sink sets itself. */
    private static final Set<String> OWN_KEYS = Set.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ProducerConfig.TRANSACTIONAL_ID_CONFIG, ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, ProducerConfig.ACKS_CONFIG);

    private final String bootstrapServers;
    private final String topic;
    private final SerializedCopy<LogSerializer<T>> serializer;
    private final Map<String, String> properties;
    /** Null for the at-least-once sink. */
    private final String transactionalIdPrefix;
    /** Null for the default. */
    private final Duration transactionTimeout;

    private KafkaSink(final Builder<T> builder)
    {
        this.bootstrapServers = builder.bootstrapServers;
        this.topic = builder.topic;
        this.serializer = builder.serializer;
        this.properties = Map.copyOf(builder.properties);
        this.transactionalIdPrefix = builder.transactionalIdPrefix;
        this.transactionTimeout = builder.transactionTimeout;
    }

    /**
     * @param bootstrapServers the cluster's {@code bootstrap.servers}, such as {@code 127.0.0.1:9092}.
     * @param topic            the topic (it must exist).
     * @param serializer       turns records into key, value and timestamp; the key picks the
     *                         partition as Kafka's default partitioner does.
     * @param <T>              the record type.
     * @return a builder of an at-least-once sink with the producer's defaults.
     */
    public static <T> Builder<T> builder(final String bootstrapServers, final String topic, final LogSerializer<T> serializer)
    {
        return new Builder<>(bootstrapServers, topic, serializer);
    }

    /**
     * @return {@link DeliveryGuarantee#EXACTLY_ONCE} for an exactly-once sink, else
     *         {@link DeliveryGuarantee#AT_LEAST_ONCE}: what the sink gives in a job
     *         checkpointed with at least that guarantee.
     */
    public DeliveryGuarantee guarantee()
    {
        return transactionalIdPrefix == null ? DeliveryGuarantee.AT_LEAST_ONCE : DeliveryGuarantee.EXACTLY_ONCE;
    }

    /**
     * An exactly-once sink first checks its transaction timeout against the broker's maximum,
     * then ends what the transactional ids it inherits left open: see {@link #restoreWriter},
     * with no checkpoint.
     */
    @Override
    public SinkWriter<T> createWriter(final int subtaskIndex, final int parallelism)
    {
        if (transactionalIdPrefix == null)
        {
            final RecordSender<T> sender = new RecordSender<>(topic, serializer.newCopy(), new KafkaProducer<>(producerProperties(null, 0)));
            return new AtLeastOnceWriter<>(sender);
        }
        return restored(subtaskIndex, parallelism, List.of());
    }

    /**
     * For an exactly-once sink: checks the transaction timeout, commits every transaction the
     * checkpoint's subtasks had pre-committed, then aborts every transaction still open under the
     * transactional ids of the old subtasks {@code j} with {@code j % parallelism == subtaskIndex},
     * then opens the first transaction. The at-least-once sink has nothing to finish.
     *
     * @throws IOException if a snapshot is not an exactly-once Kafka sink's state.
     * @throws IllegalArgumentException if the transaction timeout exceeds the broker's
     *         {@code transaction.max.timeout.ms}.
     */
    @Override
    public SinkWriter<T> restoreWriter(final int subtaskIndex, final int parallelism, final List<DataInput> snapshots) throws IOException
    {
        if (transactionalIdPrefix == null)
        {
            return createWriter(subtaskIndex, parallelism);
        }
        return restored(subtaskIndex, parallelism, TransactionalSinkState.readAll(snapshots, STATE));
    }

    private SinkWriter<T> restored(final int subtaskIndex, final int parallelism, final List<TransactionalSinkState> states)
    {
        final Admin admin = Admin.create(adminProperties());
        try
        {
            final int timeoutMs = transactionTimeoutMs(admin);
            final KafkaTransactionEnds ends = new KafkaTransactionEnds(new EndTxnClient(bootstrapServers, RECOVERY_TIMEOUT), admin,
                id -> new KafkaProducer<>(producerProperties(id, timeoutMs)));
            final SinkTransactionRecovery recovery = new SinkTransactionRecovery(ends, transactionalIdPrefix);
            recovery.recover(subtaskIndex, parallelism, states);
            final LogSerializer<T> copy = serializer.newCopy();
            return new TransactionalSinkWriter<>(id -> transactional(copy, admin, id, timeoutMs), recovery, STATE, subtaskIndex, parallelism,
                states, admin);
        }
        catch (final RuntimeException e)
        {
            admin.close();
            throw e;
        }
    }

    private KafkaTransactionalProducer<T> transactional(final LogSerializer<T> copy, final Admin admin, final String transactionalId,
        final int timeoutMs)
    {
        final KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProperties(transactionalId, timeoutMs));
        try
        {
            producer.initTransactions();
        }
        catch (final RuntimeException e)
        {
            producer.close(Duration.ZERO);
            throw e;
        }
        return new KafkaTransactionalProducer<>(new RecordSender<>(topic, copy, producer), admin, transactionalId, timeoutMs);
    }

    /**
     * The timeout the transactions get: the one set, or the default lowered to the broker's
     * maximum; refused if the one set exceeds the broker's maximum.
     */
    int transactionTimeoutMs(final Admin admin)
    {
        final long brokerMax = brokerMaxTransactionTimeoutMs(admin);
        if (transactionTimeout == null)
        {
            return (int)Math.min(DEFAULT_TRANSACTION_TIMEOUT.toMillis(), brokerMax);
        }
        if (transactionTimeout.toMillis() > brokerMax)
        {
            throw new IllegalArgumentException("the Kafka sink's transaction timeout of " + transactionTimeout.toMillis() + " ms exceeds the " +
                "broker's " + TRANSACTION_MAX_TIMEOUT_MS + " of " + brokerMax + " ms: the broker would refuse the producer or abort " +
                "checkpoints' output before it is committed; set a shorter transactionTimeout (longer than the checkpoint interval plus " +
                "the longest restart), or raise " + TRANSACTION_MAX_TIMEOUT_MS + " on the brokers");
        }
        return (int)transactionTimeout.toMillis();
    }

    /**
     * Asks the brokers the cluster lists, one after the other, each for at most
     * {@link #BROKER_CONFIG_TIMEOUT}: a broker that is down (a restart, a node lost) must not hold
     * the sink's start for the Admin's full timeout while the others answer at once.
     */
    private long brokerMaxTransactionTimeoutMs(final Admin admin)
    {
        final Collection<Node> nodes;
        try
        {
            nodes = admin.describeCluster().nodes().get();
        }
        catch (final ExecutionException e)
        {
            throw new IllegalStateException("reading " + TRANSACTION_MAX_TIMEOUT_MS + " from the Kafka cluster at " + bootstrapServers +
                " failed: listing its brokers: " + e.getCause(), e.getCause());
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the broker's " + TRANSACTION_MAX_TIMEOUT_MS, e);
        }
        if (nodes.isEmpty())
        {
            throw new IllegalStateException("the Kafka cluster at " + bootstrapServers + " lists no broker");
        }
        final DescribeConfigsOptions options = new DescribeConfigsOptions().timeoutMs((int)BROKER_CONFIG_TIMEOUT.toMillis());
        Throwable last = null;
        for (final Node node : nodes)
        {
            final ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, node.idString());
            final Config config;
            try
            {
                config = admin.describeConfigs(List.of(broker), options).all().get().get(broker);
            }
            catch (final ExecutionException e)
            {
                last = e.getCause();
                LOG.warn("reading {} from broker {} of {} failed, asking the next: {}", TRANSACTION_MAX_TIMEOUT_MS, broker.name(),
                    bootstrapServers, last.toString());
                continue;
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while reading the broker's " + TRANSACTION_MAX_TIMEOUT_MS, e);
            }
            final ConfigEntry entry = config == null ? null : config.get(TRANSACTION_MAX_TIMEOUT_MS);
            if (entry == null || entry.value() == null)
            {
                throw new IllegalStateException("broker " + broker.name() + " of " + bootstrapServers + " does not report " +
                    TRANSACTION_MAX_TIMEOUT_MS + ": the exactly-once Kafka sink cannot check its transaction timeout");
            }
            return Long.parseLong(entry.value());
        }
        throw new IllegalStateException("reading " + TRANSACTION_MAX_TIMEOUT_MS + " from the Kafka cluster at " + bootstrapServers +
            " failed: no broker of " + nodes.size() + " answered; the last: " + last, last);
    }

    private Properties adminProperties()
    {
        final Properties admin = new Properties();
        admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return admin;
    }

    /** The producer's properties: the user's, then the sink's own; transactional with an id. */
    private Properties producerProperties(final String transactionalId, final int timeoutMs)
    {
        final Properties producer = new Properties();
        producer.putAll(properties);
        producer.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        producer.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        producer.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        producer.put(ProducerConfig.ACKS_CONFIG, "all");
        producer.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        if (transactionalId != null)
        {
            producer.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
            producer.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, Integer.toString(timeoutMs));
        }
        return producer;
    }

    /**
     * Builds a {@link KafkaSink}.
     *
     * @param <T> the record type.
     */
    public static final class Builder<T>
    {
        private final String bootstrapServers;
        private final String topic;
        private final SerializedCopy<LogSerializer<T>> serializer;
        private final Map<String, String> properties = new LinkedHashMap<>();
        private String transactionalIdPrefix;
        private Duration transactionTimeout;

        private Builder(final String bootstrapServers, final String topic, final LogSerializer<T> serializer)
        {
            this.bootstrapServers = requireText(bootstrapServers, "bootstrap servers");
            this.topic = requireText(topic, "topic");
            this.serializer = SerializedCopy.of(serializer, "Kafka sink serializer");
        }

        /**
         * @return this builder, for an at-least-once sink (the default): no transactional id prefix.
         */
        public Builder<T> atLeastOnce()
        {
            transactionalIdPrefix = null;
            return this;
        }

        /**
         * @param prefix names the sink's transactional ids {@code <prefix>-<subtask>-<k>}: unique to
         *               the job on the cluster, the same across its restarts.
         * @return this builder, for an exactly-once sink.
         * @throws IllegalArgumentException if the prefix is empty.
         */
        public Builder<T> exactlyOnce(final String prefix)
        {
            transactionalIdPrefix = requireText(prefix, "transactional id prefix (unique to the job)");
            return this;
        }

        /**
         * @param timeout how long the coordinator lets one of the exactly-once sink's
         *                transactions stay open before it aborts it: longer than the checkpoint
         *                interval plus the longest restart, at most the brokers'
         *                {@code transaction.max.timeout.ms} (checked when the job starts).
         * @return this builder.
         * @throws IllegalArgumentException if the timeout is not positive or above
         *         {@link Integer#MAX_VALUE} ms.
         */
        public Builder<T> transactionTimeout(final Duration timeout)
        {
            final long millis = timeout.toMillis();
            if (millis < 1 || millis > Integer.MAX_VALUE)
            {
                throw new IllegalArgumentException("transaction timeout " + timeout + " is outside 1 ms.." + Integer.MAX_VALUE + " ms");
            }
            transactionTimeout = timeout;
            return this;
        }

        /**
         * @param key   a {@link KafkaProducer} property, such as {@code linger.ms}.
         * @param value its value.
         * @return this builder.
         * @throws IllegalArgumentException for the properties the sink sets itself (bootstrap
         *         servers, serializers, transactional id and timeout, idempotence, acks).
         */
        public Builder<T> property(final String key, final String value)
        {
            Objects.requireNonNull(value, "value");
            if (OWN_KEYS.contains(key))
            {
                throw new IllegalArgumentException("the Kafka sink sets the producer property '" + key + "' itself (acks=all, idempotent, " +
                    "transactional per exactly-once); use the builder's methods instead");
            }
            properties.put(key, value);
            return this;
        }

        /**
         * @return the sink.
         * @throws IllegalStateException if a transaction timeout is set for an at-least-once sink.
         */
        public KafkaSink<T> build()
        {
            if (transactionTimeout != null && transactionalIdPrefix == null)
            {
                throw new IllegalStateException("an at-least-once Kafka sink writes no transactions: a transaction timeout needs exactlyOnce(prefix)");
            }
            return new KafkaSink<>(this);
        }

        private static String requireText(final String value, final String what)
        {
            if (value == null || value.isBlank())
            {
                throw new IllegalArgumentException("the Kafka sink needs a " + what);
            }
            return value;
        }
    }
}
