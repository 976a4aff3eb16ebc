package io.tidemark.bench.clients;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.tidemark.bench.Scratch;
import io.tidemark.log.IsolationLevel;
import io.tidemark.log.LogConfig;
import io.tidemark.log.TopicPartition;
import io.tidemark.log.consumer.Consumer;
import io.tidemark.log.consumer.ConsumerConfig;
import io.tidemark.log.consumer.OffsetReset;
import io.tidemark.log.group.GroupConfig;
import io.tidemark.log.group.GroupCoordinator;
import io.tidemark.log.producer.Acks;
import io.tidemark.log.producer.Producer;
import io.tidemark.log.producer.ProducerConfig;
import io.tidemark.log.producer.ProducerRecord;
import io.tidemark.log.topic.LogManager;
import io.tidemark.log.txn.TransactionConfig;
import io.tidemark.log.txn.TransactionCoordinator;
import org.agrona.concurrent.SystemEpochClock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What transactions cost the embedded clients, 100-byte values, acks=leader (the producer's
 * batches are not forced to disk, so only the transactions' own work differs), {@code linger.ms}
 * 0: {@code produce} sends 200,000 records plainly (idempotent) or in transactions committed
 * every {@code commitEvery} records (each adds its partition at the coordinator and commits:
 * the coordinator's durable state writes and a marker); {@code poll} reads 200,000 records
 * written in transactions of 1,000 (every tenth aborted) at either isolation level.
 */
@State(Scope.Benchmark)
public class TransactionsBenchmark
{
    private static final int RECORDS = 200_000;
    private static final int POLL_TRANSACTION = 1_000;
    private static final TopicPartition PARTITION = new TopicPartition("bench", 0);

    private Path dir;
    private LogManager logs;
    private GroupCoordinator groups;
    private TransactionCoordinator transactions;
    private Producer producer;
    private Consumer consumer;
    private final byte[] value = new byte[100];

    /** 0 for the plain idempotent producer; otherwise the records per transaction. */
    @Param({"0", "100", "1000"})
    public int commitEvery;

    /** The consumer's {@code isolation.level}. */
    @Param({"read_uncommitted", "read_committed"})
    public String isolation;

    /**
     * A fresh data directory per iteration, its topic filled with transactions for the poll.
     */
    @Setup(Level.Iteration)
    public void open() throws IOException
    {
        dir = Scratch.directory("txn");
        logs = LogManager.open(dir, LogConfig.DEFAULTS);
        logs.createTopic("bench", 1, Map.of());
        logs.createTopic("filled", 1, Map.of());
        groups = new GroupCoordinator(logs, GroupConfig.defaults());
        transactions = new TransactionCoordinator(logs, groups, new TransactionConfig(900_000, 1, 10_000, 604_800_000),
            SystemEpochClock.INSTANCE);
        final ProducerConfig config = ProducerConfig.defaults().withLingerMs(0).withAcks(Acks.LEADER);
        producer = commitEvery == 0 ? new Producer(logs, config) :
            new Producer(logs, transactions, groups, config.withTransactionalId("bench", 60_000));
        if (commitEvery > 0)
        {
            producer.initTransactions();
        }
        fill();
        consumer = new Consumer(logs, ConsumerConfig.defaults().withAutoOffsetReset(OffsetReset.EARLIEST).withMaxPollRecords(10_000)
            .withIsolationLevel(IsolationLevel.fromConfig(isolation)));
        consumer.assign(List.of(new TopicPartition("filled", 0)));
    }

    private void fill()
    {
        try (Producer filler = new Producer(logs, transactions, groups, ProducerConfig.defaults().withAcks(Acks.LEADER)
            .withTransactionalId("filler", 60_000)))
        {
            filler.initTransactions();
            for (int t = 0; t < RECORDS / POLL_TRANSACTION; t++)
            {
                filler.beginTransaction();
                for (int i = 0; i < POLL_TRANSACTION; i++)
                {
                    filler.send(new ProducerRecord("filled", 0, null, null, value, null));
                }
                if (t % 10 == 9)
                {
                    filler.flush();
                    filler.abortTransaction();
                }
                else
                {
                    filler.commitTransaction();
                }
            }
        }
    }

    /** Closes and deletes everything. */
    @TearDown(Level.Iteration)
    public void close() throws IOException
    {
        consumer.close();
        producer.close();
        transactions.close();
        groups.close();
        logs.close();
        Scratch.delete(dir);
    }

    /**
     * @return the offset after the last record written.
     */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    @OperationsPerInvocation(RECORDS)
    public long produce()
    {
        if (commitEvery == 0)
        {
            for (int i = 0; i < RECORDS; i++)
            {
                producer.send(new ProducerRecord("bench", 0, null, null, value, null));
            }
            producer.flush();
        }
        else
        {
            for (int i = 0; i < RECORDS; i += commitEvery)
            {
                producer.beginTransaction();
                for (int j = 0; j < commitEvery; j++)
                {
                    producer.send(new ProducerRecord("bench", 0, null, null, value, null));
                }
                producer.commitTransaction();
            }
        }
        return logs.partition(PARTITION).logEndOffset();
    }

    /**
     * @return the records polled.
     */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    @OperationsPerInvocation(RECORDS)
    public long poll()
    {
        final TopicPartition filled = new TopicPartition("filled", 0);
        final long end = logs.partition(filled).logEndOffset();
        long records = 0;
        while (consumer.position(filled) < end)
        {
            records += consumer.poll(Duration.ofMillis(100)).size();
        }
        return records;
    }
}
