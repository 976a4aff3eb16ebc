package io.tidemark.log.consumer;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.tidemark.log.IsolationLevel;
import io.tidemark.log.LogConfig;
import io.tidemark.log.PartitionLog;
import io.tidemark.log.TopicPartition;
import io.tidemark.log.TransactionMarker;
import io.tidemark.log.TransactionResult;
import io.tidemark.log.errors.InvalidConfigurationException;
import io.tidemark.log.record.RecordBatchBuilder;
import io.tidemark.log.record.RecordBatchLayout;
import io.tidemark.log.topic.LogManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kafka's read-committed algorithm over batches written straight to a partition, as the
 * coordinator and producers would: interleaved transactions of several producers, markers,
 * an open transaction.
 */
class ReadCommittedConsumerTest
{
    private static final TopicPartition P0 = new TopicPartition("events", 0);
    private static final long A = 5001;
    private static final long B = 5002;

    @TempDir
    Path dataDir;

    private LogManager logs;
    private PartitionLog log;
    private final RecordBatchBuilder builder = new RecordBatchBuilder();
    private final Map<Long, Integer> sequences = new HashMap<>();

    @BeforeEach
    void open()
    {
        logs = LogManager.open(dataDir, LogConfig.DEFAULTS);
        logs.createTopic("events", 1, Map.of());
        log = logs.partition(P0);
    }

    @AfterEach
    void close()
    {
        logs.close();
    }

    /** Appends one batch of {@code values}: transactional for a producer id, plain for -1. */
    private void write(final long producerId, final String... values)
    {
        final ByteBuffer buffer = ByteBuffer.allocate(4096);
        builder.begin(buffer, 0, buffer.capacity());
        if (producerId >= 0)
        {
            final int sequence = sequences.getOrDefault(producerId, 0);
            builder.producer(producerId, (short)0, sequence).transactional(true);
            sequences.put(producerId, sequence + values.length);
        }
        else
        {
            builder.producer(RecordBatchLayout.NO_PRODUCER_ID, RecordBatchLayout.NO_PRODUCER_EPOCH, RecordBatchLayout.NO_SEQUENCE);
        }
        for (final String value : values)
        {
            builder.append(1, null, value.getBytes(StandardCharsets.UTF_8));
        }
        log.append(buffer.limit(builder.finish()));
    }

    private void end(final long producerId, final TransactionResult result)
    {
        log.appendMarker(new TransactionMarker(producerId, (short)0, 0, result)); // at the same epoch the sequence goes on
    }

    private Consumer consumer(final IsolationLevel level, final int maxPollRecords)
    {
        final Consumer consumer = new Consumer(logs, ConsumerConfig.defaults().withAutoOffsetReset(OffsetReset.EARLIEST)
            .withMaxPollRecords(maxPollRecords).withIsolationLevel(level));
        consumer.assign(List.of(P0));
        return consumer;
    }

    /** Polls until a poll returns nothing: everything readable now. */
    private static List<String> drain(final Consumer consumer)
    {
        final List<String> values = new ArrayList<>();
        while (true)
        {
            final List<ConsumerRecord> records = consumer.poll(Duration.ZERO);
            if (records.isEmpty())
            {
                return values;
            }
            records.forEach(r -> values.add(new String(r.value(), StandardCharsets.UTF_8)));
        }
    }

    @Test
    void interleavedTransactionsAreSkippedPerProducerFromTheirFirstOffsetToTheirAbortMarker()
    {
        write(-1, "plain-1");
        write(A, "a1", "a2");
        write(B, "b1");
        write(A, "a3");
        end(A, TransactionResult.ABORT);
        write(B, "b2");
        write(A, "a4");
        end(B, TransactionResult.COMMIT);
        end(A, TransactionResult.COMMIT);
        write(-1, "plain-2");
        write(A, "a5");
        end(A, TransactionResult.ABORT);

        for (final int maxPollRecords : new int[] {1, 2, 500})
        {
            try (Consumer committed = consumer(IsolationLevel.READ_COMMITTED, maxPollRecords))
            {
                assertEquals(List.of("plain-1", "b1", "b2", "a4", "plain-2"), drain(committed), "max.poll.records=" + maxPollRecords);
                assertEquals(log.logEndOffset(), committed.position(P0), "the position moves past the last abort marker");
            }
            try (Consumer uncommitted = consumer(IsolationLevel.READ_UNCOMMITTED, maxPollRecords))
            {
                assertEquals(List.of("plain-1", "a1", "a2", "b1", "a3", "b2", "a4", "plain-2", "a5"), drain(uncommitted));
            }
        }
    }

    @Test
    void aReadCommittedConsumerStopsAtAnOpenTransactionAndGoesOnAfterItCommits()
    {
        write(-1, "before");
        write(A, "open-1");
        write(-1, "after");
        try (Consumer committed = consumer(IsolationLevel.READ_COMMITTED, 500);
            Consumer uncommitted = consumer(IsolationLevel.READ_UNCOMMITTED, 500))
        {
            assertEquals(List.of("before"), drain(committed));
            assertEquals(1, committed.position(P0), "stopped at the open transaction's first offset, the last stable offset");
            assertEquals(List.of("before", "open-1", "after"), drain(uncommitted));

            write(A, "open-2");
            assertEquals(List.of(), drain(committed));
            end(A, TransactionResult.COMMIT);
            assertEquals(List.of("open-1", "after", "open-2"), drain(committed));
            assertEquals(log.logEndOffset(), committed.position(P0));
        }
    }

    @Test
    void aPartitionOfOnlyAbortedTransactionsDoesNotStallThePosition()
    {
        write(A, "x");
        end(A, TransactionResult.ABORT);
        write(A, "y");
        end(A, TransactionResult.ABORT);
        try (Consumer committed = consumer(IsolationLevel.READ_COMMITTED, 500))
        {
            assertEquals(List.of(), drain(committed));
            assertEquals(log.logEndOffset(), committed.position(P0));
        }
    }

    @Test
    void isolationLevelIsConfiguredAsKafkaConfiguresIt()
    {
        assertEquals(IsolationLevel.READ_UNCOMMITTED, ConsumerConfig.defaults().isolationLevel());
        assertEquals(IsolationLevel.READ_COMMITTED, ConsumerConfig.fromMap(Map.of("isolation.level", "read_committed")).isolationLevel());
        final InvalidConfigurationException bad = assertThrows(InvalidConfigurationException.class,
            () -> ConsumerConfig.fromMap(Map.of("isolation.level", "serializable")));
        assertTrue(bad.getMessage().contains("serializable"), bad.getMessage());
    }
}
