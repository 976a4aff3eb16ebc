package io.tidemark.log.txn;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import io.tidemark.log.LogConfig;
import io.tidemark.log.TopicPartition;
import io.tidemark.log.group.GroupConfig;
import io.tidemark.log.group.GroupCoordinator;
import io.tidemark.log.record.RecordBatchBuilder;
import io.tidemark.log.topic.LogManager;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A real log manager, group coordinator and transaction coordinator on a data directory, with
 * a clock the test moves, reopened as a restart would reopen them.
 */
final class TransactionFixture implements AutoCloseable
{
    static final String TOPIC = "events";
    static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
    static final TopicPartition P1 = new TopicPartition(TOPIC, 1);
    static final TopicPartition P2 = new TopicPartition(TOPIC, 2);

    final AtomicLong now = new AtomicLong(1_700_000_000_000L);
    final ConcurrentLinkedQueue<TopicPartition> markers = new ConcurrentLinkedQueue<>();
    /** Called with each marker's partition, under the lock of the id whose marker it is. */
    volatile Consumer<TopicPartition> onMarker = partition ->
    {
    };
    private final Path dataDir;
    private final TransactionConfig config;
    LogManager logs;
    GroupCoordinator groups;
    TransactionCoordinator coordinator;

    TransactionFixture(final Path dataDir, final TransactionConfig config)
    {
        this.dataDir = dataDir;
        this.config = config;
        open();
    }

    void open()
    {
        logs = LogManager.open(dataDir, LogConfig.DEFAULTS);
        if (!logs.listTopics().contains(TOPIC))
        {
            logs.createTopic(TOPIC, 3, Map.of());
        }
        groups = new GroupCoordinator(logs, GroupConfig.defaults(), now::get);
        coordinator = new TransactionCoordinator(logs, groups, config, now::get, (partition, bytes) ->
        {
            markers.add(partition);
            onMarker.accept(partition);
        });
    }

    /** Closes everything and opens it again on the same directory: what a restart sees. */
    void restart()
    {
        close();
        open();
    }

    /**
     * Appends one transactional batch as a producer would, after AddPartitionsToTxn.
     *
     * @return the batch's base offset.
     */
    long produce(final TopicPartition partition, final ProducerIdAndEpoch producer, final int sequence, final String... values)
    {
        final ByteBuffer buffer = ByteBuffer.allocate(1024);
        final RecordBatchBuilder builder = new RecordBatchBuilder().begin(buffer, 0, buffer.capacity())
            .producer(producer.producerId(), producer.epoch(), sequence).transactional(true);
        for (final String value : values)
        {
            builder.append(now.get(), null, value.getBytes(StandardCharsets.UTF_8));
        }
        return logs.partition(partition).append(buffer.limit(builder.finish())).firstOffset();
    }

    static void waitUntil(final BooleanSupplier condition, final String what)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                fail("timed out waiting until " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    @Override
    public void close()
    {
        coordinator.close();
        groups.close();
        logs.close();
    }
}
