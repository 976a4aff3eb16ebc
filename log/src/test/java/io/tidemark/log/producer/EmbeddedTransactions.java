package io.tidemark.log.producer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.tidemark.log.IsolationLevel;
import io.tidemark.log.LogConfig;
import io.tidemark.log.TopicPartition;
import io.tidemark.log.consumer.Consumer;
import io.tidemark.log.consumer.ConsumerConfig;
import io.tidemark.log.consumer.ConsumerRecord;
import io.tidemark.log.consumer.OffsetReset;
import io.tidemark.log.group.GroupConfig;
import io.tidemark.log.group.GroupCoordinator;
import io.tidemark.log.topic.LogManager;
import io.tidemark.log.txn.TransactionConfig;
import io.tidemark.log.txn.TransactionCoordinator;
import org.agrona.concurrent.SystemEpochClock;

/**
 * A log manager with its group and transaction coordinators, as a process embedding Tidemark
 * runs them; closed and reopened on the same directory to restart the whole log.
 */
public final class EmbeddedTransactions implements AutoCloseable
{
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final Path dataDir;
    private LogManager logs;
    private GroupCoordinator groups;
    private TransactionCoordinator transactions;

    /**
     * @param dataDir the data directory, kept across restarts.
     */
    public EmbeddedTransactions(final Path dataDir)
    {
        this.dataDir = dataDir;
        open();
    }

    private void open()
    {
        logs = LogManager.open(dataDir, LogConfig.DEFAULTS);
        groups = new GroupCoordinator(logs, GroupConfig.defaults());
        transactions = new TransactionCoordinator(logs, groups, new TransactionConfig(900_000, 2, 10_000, 604_800_000),
            SystemEpochClock.INSTANCE);
    }

    /**
     * Closes the coordinators and the log manager, then opens them again from the disk.
     */
    public void restart()
    {
        close();
        open();
    }

    /**
     * @return the log manager.
     */
    public LogManager logs()
    {
        return logs;
    }

    /**
     * @return the transaction coordinator.
     */
    public TransactionCoordinator transactions()
    {
        return transactions;
    }

    /**
     * @return the group coordinator.
     */
    public GroupCoordinator groups()
    {
        return groups;
    }

    /**
     * @param transactionalId the transactional id.
     * @return a transactional producer that writes each record as it is sent, initialized.
     */
    public Producer transactionalProducer(final String transactionalId)
    {
        final Producer producer = new Producer(logs, transactions, groups, ProducerConfig.defaults().withLingerMs(0)
            .withTransactionalId(transactionalId, 60_000));
        producer.initTransactions();
        return producer;
    }

    /**
     * @param config the settings.
     * @return a producer that may be transactional.
     */
    public Producer producer(final ProducerConfig config)
    {
        return new Producer(logs, transactions, groups, config);
    }

    /**
     * @param level the isolation level.
     * @param group the group, or null for none.
     * @param partitions the partitions it is assigned, from the group's offsets or the earliest.
     * @return the consumer.
     */
    public Consumer consumer(final IsolationLevel level, final String group, final List<TopicPartition> partitions)
    {
        final ConsumerConfig config = ConsumerConfig.defaults().withAutoOffsetReset(OffsetReset.EARLIEST).withAutoCommit(false, 5_000)
            .withGroup(group, "test").withIsolationLevel(level);
        final Consumer consumer = new Consumer(logs, groups, config);
        consumer.assign(partitions);
        return consumer;
    }

    /**
     * Reads partitions from the start at an isolation level until {@code count} records came or
     * the deadline passed, then one more empty poll (to catch records beyond {@code count}).
     *
     * @return the values read, as text.
     */
    public List<String> readAll(final IsolationLevel level, final List<TopicPartition> partitions, final int count)
    {
        try (Consumer consumer = consumer(level, null, partitions))
        {
            final List<String> values = new ArrayList<>();
            final long deadline = System.nanoTime() + WAIT.toNanos();
            while (values.size() < count && System.nanoTime() - deadline < 0)
            {
                values(consumer.poll(Duration.ofMillis(50)), values);
            }
            values(consumer.poll(Duration.ofMillis(20)), values);
            return values;
        }
    }

    private static void values(final List<ConsumerRecord> records, final List<String> into)
    {
        for (final ConsumerRecord record : records)
        {
            into.add(new String(record.value(), StandardCharsets.UTF_8));
        }
    }

    @Override
    public void close()
    {
        transactions.close();
        groups.close();
        logs.close();
    }
}
