package io.tidemark.connector.log;

import io.tidemark.connector.txn.SinkTransactionRecovery;
import io.tidemark.connector.txn.TransactionalSinkState;
import io.tidemark.connector.txn.TransactionalSinkWriter;
import io.tidemark.engine.checkpoint.DeliveryGuarantee;
import io.tidemark.engine.functions.SerializedCopy;
import io.tidemark.engine.sink.Sink;
import io.tidemark.engine.sink.SinkWriter;
import io.tidemark.log.producer.Producer;
import io.tidemark.log.producer.ProducerConfig;
import io.tidemark.log.producer.ProducerRecord;
import io.tidemark.log.record.Header;
import io.tidemark.log.topic.LogManager;
import io.tidemark.log.txn.TransactionCoordinator;
import java.io.DataInput;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Writes records to a topic of the embedded log through embedded {@link Producer}s, one
 * subtask's at a time. Two guarantees:
 *
 * <ul>
 * <li>{@link #to} is <b>at-least-once</b>: one plain idempotent producer per subtask; sends are
 * asynchronous, flushed at every checkpoint barrier (so a completed checkpoint has all output
 * before it in the log) and at the end of the input. A failed send fails the job at the next
 * record or at the latest at the flush. After a restart from a checkpoint, the output written
 * since that checkpoint is written again: readers may see it twice.</li>
 * <li>{@link #exactlyOnce} is <b>exactly-once</b> for read_committed readers, in a job
 * checkpointed with {@link DeliveryGuarantee#EXACTLY_ONCE}: each checkpoint's output is one
 * transaction, flushed at the barrier and committed when the checkpoint completes (together
 * with those of earlier checkpoints that were aborted). A restarted job first commits what its
 * checkpoint pre-committed (a commit that already happened counts as done), then aborts every
 * transaction left open under the subtasks' transactional ids, so read_committed readers are
 * never held back by output of the failed run; what the failed run wrote after the checkpoint
 * stays invisible to them, and the restarted job writes it again. read_uncommitted readers may
 * see that output twice. Output becomes visible only at checkpoints, so the checkpoint
 * interval is the latency read_committed readers see.</li>
 * </ul>
 *
 * <p>An exactly-once sink in a job:
 * <pre>{@code
 * TransactionCoordinator transactions = new TransactionCoordinator(logs, groups, TransactionConfig.defaults(),
 *     SystemEpochClock.INSTANCE);
 * env.enableCheckpointing(CheckpointConfig.every(Duration.ofSeconds(1)).withDirectory(checkpoints)
 *     .withGuarantee(DeliveryGuarantee.EXACTLY_ONCE));
 * counts.sinkTo(LogSink.exactlyOnce(logs, transactions, "counts", serializer, "counts-job")
 *     .withTransactionTimeout(Duration.ofMinutes(15)));
 * // readers of "counts" use ConsumerConfig.defaults().withIsolationLevel(IsolationLevel.READ_COMMITTED)
 * }</pre>
 * The transactional id prefix must be unique to the job (two jobs with one prefix abort each
 * other's transactions) and stay the same across its restarts. The transaction timeout must
 * exceed the checkpoint interval plus the longest outage a restart may take: a transaction
 * that times out before its checkpoint's commit is lost (the restarted sink logs that at ERROR).
 * With no completed checkpoint, the input's end is the only commit: a bounded job commits all
 * its output there, and a crash after a subtask's end of input but before the next completed
 * checkpoint can make the restarted job write that subtask's output since the last checkpoint
 * again.
 *
 * <p>The same sink serves as a dead-letter destination: send a window's late-data side
 * output to {@link #deadLetters}, and every late record lands in the topic, with its event
 * time as the log timestamp and a header saying why.
 *
 * @param <T> the record type.
 */
public final class LogSink<T> implements Sink<T>
{
    /** The header a dead-letter record carries; its value is the reason. */
    public static final String DEAD_LETTER_HEADER = "tidemark.dead-letter";

    /** The exactly-once sink's transaction timeout unless {@link #withTransactionTimeout} says otherwise. */
    public static final Duration DEFAULT_TRANSACTION_TIMEOUT = Duration.ofMinutes(15);

    /** The exactly-once log sink's snapshots. */
    static final TransactionalSinkState.Kind STATE = new TransactionalSinkState.Kind(0x544C5331, "exactly-once log sink");

    private final LogManager logs;
    private final String topic;
    private final SerializedCopy<LogSerializer<T>> serializer;
    private final ProducerConfig config;
    private final Header[] headers;
    /** Null for the at-least-once sink. */
    private final TransactionCoordinator transactions;
    private final String transactionalIdPrefix;
    private final int transactionTimeoutMs;

    private LogSink(final LogManager logs, final String topic, final SerializedCopy<LogSerializer<T>> serializer, final ProducerConfig config,
        final Header[] headers, final TransactionCoordinator transactions, final String transactionalIdPrefix, final int transactionTimeoutMs)
    {
        this.logs = logs;
        this.topic = topic;
        this.serializer = serializer;
        this.config = config;
        this.headers = headers;
        this.transactions = transactions;
        this.transactionalIdPrefix = transactionalIdPrefix;
        this.transactionTimeoutMs = transactionTimeoutMs;
    }

    /**
     * @param logs       the log manager that holds the topic.
     * @param topic      the topic.
     * @param serializer turns records into key, value and timestamp.
     * @param <T>        the record type.
     * @return an at-least-once sink with the producer's defaults (acks=all, idempotent).
     * @throws io.tidemark.log.errors.UnknownTopicOrPartitionException if there is no such topic.
     */
    public static <T> LogSink<T> to(final LogManager logs, final String topic, final LogSerializer<T> serializer)
    {
        Objects.requireNonNull(logs, "logs");
        logs.partitions(topic);
        return new LogSink<>(logs, topic, SerializedCopy.of(serializer, "log serializer"), ProducerConfig.defaults(), null, null, null, 0);
    }

    /**
     * An exactly-once sink: each checkpoint's output of a subtask is one transaction, under the
     * transactional ids {@code <prefix>-<subtask>-<k>} (a few per subtask, reused), committed
     * when the checkpoint completes. See the class description for what it needs of the job.
     *
     * @param logs                  the log manager that holds the topic.
     * @param transactions          the transaction coordinator of {@code logs}.
     * @param topic                 the topic.
     * @param serializer            turns records into key, value and timestamp.
     * @param transactionalIdPrefix names the sink's transactional ids: unique to the job, the
     *                              same across its restarts.
     * @param <T>                   the record type.
     * @return the sink, with the producer's defaults and a transaction timeout of
     *         {@link #DEFAULT_TRANSACTION_TIMEOUT} (or the coordinator's
     *         {@code transaction.max.timeout.ms}, if that is shorter).
     * @throws io.tidemark.log.errors.UnknownTopicOrPartitionException if there is no such topic.
     * @throws IllegalArgumentException if the prefix is empty.
     */
    public static <T> LogSink<T> exactlyOnce(final LogManager logs, final TransactionCoordinator transactions, final String topic,
        final LogSerializer<T> serializer, final String transactionalIdPrefix)
    {
        final LogSink<T> plain = to(logs, topic, serializer);
        Objects.requireNonNull(transactions, "transactions");
        if (transactionalIdPrefix == null || transactionalIdPrefix.isEmpty())
        {
            throw new IllegalArgumentException("an exactly-once log sink needs a transactional id prefix, unique to the job");
        }
        final int timeoutMs = (int)Math.min(DEFAULT_TRANSACTION_TIMEOUT.toMillis(), transactions.config().maxTimeoutMs());
        return new LogSink<>(logs, topic, plain.serializer, plain.config, null, transactions, transactionalIdPrefix, timeoutMs)
            .withProducerConfig(plain.config);
    }

    /**
     * A sink for records a job could not place, such as a window's late data: each log
     * record carries the header {@value #DEAD_LETTER_HEADER} with the reason.
     *
     * @param logs       the log manager that holds the topic.
     * @param topic      the dead-letter topic.
     * @param serializer turns records into key, value and timestamp.
     * @param reason     why records land here, such as {@code "late"}.
     * @param <T>        the record type.
     * @return the sink.
     */
    public static <T> LogSink<T> deadLetters(final LogManager logs, final String topic, final LogSerializer<T> serializer, final String reason)
    {
        final LogSink<T> sink = to(logs, topic, serializer);
        return new LogSink<>(logs, topic, sink.serializer, sink.config, new Header[]{Header.of(DEAD_LETTER_HEADER, reason)}, null, null, 0);
    }

    /**
     * @param producerConfig the producer's settings (batching, linger, acks); an exactly-once
     *                       sink sets the transactional id and timeout itself.
     * @return a copy of this sink that uses them.
     * @throws IllegalArgumentException for an exactly-once sink, if they turn idempotence off
     *         (transactions need it).
     */
    public LogSink<T> withProducerConfig(final ProducerConfig producerConfig)
    {
        Objects.requireNonNull(producerConfig, "producerConfig");
        if (transactions != null)
        {
            producerConfig.withTransactionalId(transactionalIdPrefix, transactionTimeoutMs);
        }
        return new LogSink<>(logs, topic, serializer, producerConfig, headers, transactions, transactionalIdPrefix, transactionTimeoutMs);
    }

    /**
     * @param timeout how long the coordinator lets one of the exactly-once sink's transactions
     *                stay open before it aborts it: longer than the checkpoint interval plus the
     *                longest restart, at most the coordinator's {@code transaction.max.timeout.ms}.
     * @return a copy of this sink with that timeout.
     * @throws IllegalStateException for an at-least-once sink.
     * @throws IllegalArgumentException if the timeout is not positive or above the maximum.
     */
    public LogSink<T> withTransactionTimeout(final Duration timeout)
    {
        if (transactions == null)
        {
            throw new IllegalStateException("an at-least-once log sink writes no transactions: use LogSink.exactlyOnce");
        }
        final long millis = timeout.toMillis();
        if (millis < 1 || millis > transactions.config().maxTimeoutMs())
        {
            throw new IllegalArgumentException("transaction timeout " + timeout + " is outside 1 ms.." + transactions.config().maxTimeoutMs() +
                " ms (the coordinator's transaction.max.timeout.ms)");
        }
        return new LogSink<>(logs, topic, serializer, config, headers, transactions, transactionalIdPrefix, (int)millis);
    }

    /**
     * @return {@link DeliveryGuarantee#EXACTLY_ONCE} for a sink made by {@link #exactlyOnce},
     *         {@link DeliveryGuarantee#AT_LEAST_ONCE} otherwise.
     */
    public DeliveryGuarantee guarantee()
    {
        return transactions != null ? DeliveryGuarantee.EXACTLY_ONCE : DeliveryGuarantee.AT_LEAST_ONCE;
    }

    /**
     * An exactly-once sink first ends what the transactional ids it inherits left open: see
     * {@link #restoreWriter}, with no checkpoint.
     */
    @Override
    public SinkWriter<T> createWriter(final int subtaskIndex, final int parallelism)
    {
        if (transactions == null)
        {
            return new Writer(serializer.newCopy(), new Producer(logs, config));
        }
        return restored(subtaskIndex, parallelism, List.of());
    }

    /**
     * For an exactly-once sink: commits every transaction the checkpoint's subtasks had
     * pre-committed, then aborts every transaction still open under the transactional ids of
     * the old subtasks {@code j} with {@code j % parallelism == subtaskIndex}, then opens the
     * first transaction. The at-least-once sink has nothing to finish.
     *
     * @throws IOException if a snapshot is not an exactly-once log sink's state.
     */
    @Override
    public SinkWriter<T> restoreWriter(final int subtaskIndex, final int parallelism, final List<DataInput> snapshots) throws IOException
    {
        if (transactions == null)
        {
            return createWriter(subtaskIndex, parallelism);
        }
        return restored(subtaskIndex, parallelism, TransactionalSinkState.readAll(snapshots, STATE));
    }

    private SinkWriter<T> restored(final int subtaskIndex, final int parallelism, final List<TransactionalSinkState> states)
    {
        final SinkTransactionRecovery recovery = new SinkTransactionRecovery(new LogTransactionEnds(transactions, transactionTimeoutMs),
            transactionalIdPrefix);
        recovery.recover(subtaskIndex, parallelism, states);
        final LogSerializer<T> copy = serializer.newCopy();
        return new TransactionalSinkWriter<>(id -> new LogTransactionalProducer<>(this, copy, id), recovery, STATE, subtaskIndex,
            parallelism, states, () -> { });
    }

    LogManager logs()
    {
        return logs;
    }

    TransactionCoordinator transactions()
    {
        return transactions;
    }

    ProducerConfig producerConfig()
    {
        return config;
    }

    int transactionTimeoutMs()
    {
        return transactionTimeoutMs;
    }

    String topic()
    {
        return topic;
    }

    Header[] headers()
    {
        return headers;
    }

    private final class Writer implements SinkWriter<T>
    {
        private final LogSerializer<T> serializer;
        private final Producer producer;
        private final AtomicReference<Exception> failure = new AtomicReference<>();

        Writer(final LogSerializer<T> serializer, final Producer producer)
        {
            this.serializer = serializer;
            this.producer = producer;
        }

        @Override
        public void write(final T value, final long timestamp) throws Exception
        {
            checkFailure();
            final ProducerRecord record = new ProducerRecord(topic, null, serializer.timestamp(value, timestamp), serializer.key(value),
                serializer.value(value), headers);
            producer.send(record, (metadata, exception) ->
            {
                if (exception != null)
                {
                    failure.compareAndSet(null, exception);
                }
            });
        }

        @Override
        public void flush() throws Exception
        {
            producer.flush();
            checkFailure();
        }

        private void checkFailure()
        {
            final Exception exception = failure.get();
            if (exception != null)
            {
                throw new IllegalStateException("writing to topic '" + topic + "' failed: " + exception, exception);
            }
        }

        @Override
        public void close()
        {
            producer.close();
        }
    }
}
