package io.tidemark.connector.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemark.engine.sink.SinkWriter;
import io.tidemark.log.IsolationLevel;
import io.tidemark.log.LogConfig;
import io.tidemark.log.PartitionLog;
import io.tidemark.log.TopicPartition;
import io.tidemark.log.consumer.Consumer;
import io.tidemark.log.consumer.ConsumerConfig;
import io.tidemark.log.consumer.ConsumerRecord;
import io.tidemark.log.consumer.OffsetReset;
import io.tidemark.log.group.GroupConfig;
import io.tidemark.log.group.GroupCoordinator;
import io.tidemark.log.producer.ProducerConfig;
import io.tidemark.log.topic.LogManager;
import io.tidemark.log.txn.TransactionConfig;
import io.tidemark.log.txn.TransactionCoordinator;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.agrona.concurrent.SystemEpochClock;

/**
 * A log manager with its group and transaction coordinators on a data directory, reopened as a
 * restart would, and an exactly-once sink of text records over its topic {@value #TOPIC}.
 */
final class TransactionalTopics implements AutoCloseable
{
    static final String TOPIC = "out";
    static final String PREFIX = "sink";
    static final int PARTITIONS = 3;

    private final Path dir;
    LogManager logs;
    GroupCoordinator groups;
    TransactionCoordinator transactions;

    TransactionalTopics(final Path dir)
    {
        this.dir = dir;
        open();
    }

    private void open()
    {
        logs = LogManager.open(dir, LogConfig.DEFAULTS);
        if (!logs.listTopics().contains(TOPIC))
        {
            logs.createTopic(TOPIC, PARTITIONS, Map.of(LogConfig.RETENTION_MS, "-1"));
        }
        groups = new GroupCoordinator(logs, GroupConfig.defaults());
        // Timeouts checked every 50 ms, so a test can see one abort a transaction.
        transactions = new TransactionCoordinator(logs, groups, new TransactionConfig(900_000, 3, 50, 604_800_000), SystemEpochClock.INSTANCE);
    }

    /** Closes the coordinators and the log, then opens them again from the disk. */
    void restart()
    {
        close();
        open();
    }

    /**
     * @return an exactly-once sink of text records; each send is written at once (linger 0), so
     *         what a test sends is in the log when a crash comes.
     */
    LogSink<String> sink()
    {
        return LogSink.exactlyOnce(logs, transactions, TOPIC, (String value) -> value.getBytes(StandardCharsets.UTF_8), PREFIX)
            .withProducerConfig(ProducerConfig.defaults().withLingerMs(0));
    }

    static void write(final SinkWriter<String> writer, final String prefix, final int count) throws Exception
    {
        for (int i = 0; i < count; i++)
        {
            writer.write(prefix + "-" + i, 1_000 + i);
        }
    }

    static List<String> records(final String prefix, final int count)
    {
        final List<String> records = new ArrayList<>();
        for (int i = 0; i < count; i++)
        {
            records.add(prefix + "-" + i);
        }
        return records;
    }

    /** The checkpoint's snapshot, as the sink operator takes it. */
    static byte[] snapshot(final SinkWriter<String> writer, final long checkpointId)
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try
        {
            writer.snapshotState(checkpointId, new DataOutputStream(bytes));
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static DataInput input(final byte[] snapshot)
    {
        return new DataInputStream(new ByteArrayInputStream(snapshot));
    }

    /** What a read_committed consumer reads from the start up to each partition's last stable offset. */
    List<String> readCommitted()
    {
        final List<String> values = new ArrayList<>();
        final ConsumerConfig config = ConsumerConfig.defaults().withAutoOffsetReset(OffsetReset.EARLIEST)
            .withIsolationLevel(IsolationLevel.READ_COMMITTED);
        try (Consumer consumer = new Consumer(logs, config))
        {
            final List<TopicPartition> partitions = logs.partitions(TOPIC).stream().map(PartitionLog::topicPartition).toList();
            consumer.assign(partitions);
            final long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            for (final TopicPartition partition : partitions)
            {
                final long stable = logs.partition(partition).lastStableOffset();
                while (consumer.position(partition) < stable)
                {
                    assertTrue(System.nanoTime() - deadline < 0, "read_committed reached " + consumer.position(partition) + " of " + stable +
                        " in " + partition);
                    for (final ConsumerRecord record : consumer.poll(Duration.ofMillis(10)))
                    {
                        values.add(new String(record.value(), StandardCharsets.UTF_8));
                    }
                }
            }
        }
        return values;
    }

    static void waitUntil(final BooleanSupplier condition, final String what)
    {
        final long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean())
        {
            assertTrue(System.nanoTime() - deadline < 0, "timed out waiting until " + what);
            LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
        }
    }

    /** Asserts that no transaction holds a read_committed reader back in any partition. */
    void assertNothingLingers()
    {
        for (final PartitionLog partition : logs.partitions(TOPIC))
        {
            assertEquals(partition.logEndOffset(), partition.lastStableOffset(), "the last stable offset of " + partition.topicPartition());
        }
    }

    /** @return whether some transaction holds a read_committed reader back. */
    boolean somethingLingers()
    {
        return logs.partitions(TOPIC).stream().anyMatch(p -> p.lastStableOffset() < p.logEndOffset());
    }

    @Override
    public void close()
    {
        transactions.close();
        groups.close();
        logs.close();
    }
}
