package io.tidemark.connector.log;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tidemark.engine.api.StreamExecutionEnvironment;
import io.tidemark.engine.sink.CollectSink;
import io.tidemark.engine.source.ReadStatus;
import io.tidemark.engine.source.SourceOutput;
import io.tidemark.engine.time.WatermarkStrategy;
import io.tidemark.log.IsolationLevel;
import io.tidemark.log.TopicPartition;
import io.tidemark.log.group.GroupConfig;
import io.tidemark.log.group.GroupCoordinator;
import io.tidemark.log.producer.Producer;
import io.tidemark.log.producer.ProducerConfig;
import io.tidemark.log.producer.ProducerRecord;
import io.tidemark.log.txn.TransactionConfig;
import io.tidemark.log.txn.TransactionCoordinator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.agrona.concurrent.SystemEpochClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The log source over a topic written in transactions: read_committed sees committed data only. */
class LogSourceTransactionsTest
{
    @TempDir
    Path dir;

    private Topics topics;
    private GroupCoordinator groups;
    private TransactionCoordinator transactions;
    private Producer producer;

    @BeforeEach
    void open()
    {
        topics = new Topics(dir).create("clicks", 2);
        groups = new GroupCoordinator(topics.logs, GroupConfig.defaults());
        transactions = new TransactionCoordinator(topics.logs, groups, new TransactionConfig(900_000, 1, 10_000, 604_800_000),
            SystemEpochClock.INSTANCE);
        producer = new Producer(topics.logs, transactions, groups, ProducerConfig.defaults().withLingerMs(0).withTransactionalId("clicks", 60_000));
        producer.initTransactions();
    }

    @AfterEach
    void close()
    {
        producer.close();
        transactions.close();
        groups.close();
        topics.close();
    }

    private void send(final int partition, final Click click)
    {
        producer.send(new ProducerRecord("clicks", partition, click.time(), null, click.bytes(), null));
    }

    private List<Click> runBounded(final IsolationLevel level)
    {
        final CollectSink<Click> sink = new CollectSink<>();
        final StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(2);
        env.fromSource(LogSource.bounded(topics.logs, "clicks", Click.DESERIALIZER).withIsolationLevel(level), WatermarkStrategy.noWatermarks(),
            "clicks").sinkTo(sink);
        env.execute("bounded " + level);
        final List<Click> read = new ArrayList<>(sink.results());
        read.sort(Comparator.comparingLong(Click::time));
        return read;
    }

    @Test
    void aReadCommittedJobSeesOnlyCommittedTransactionsAndEndsBeforeAnOpenOne()
    {
        producer.beginTransaction();
        send(0, new Click("committed", 1));
        send(1, new Click("committed", 2));
        producer.commitTransaction();
        producer.beginTransaction();
        send(0, new Click("aborted", 3));
        send(1, new Click("aborted", 4));
        producer.flush();
        producer.abortTransaction();
        producer.beginTransaction();
        send(1, new Click("committed", 5));
        producer.commitTransaction();
        producer.beginTransaction();
        send(0, new Click("open", 6));
        producer.flush();

        assertEquals(List.of(new Click("committed", 1), new Click("committed", 2), new Click("committed", 5)),
            runBounded(IsolationLevel.READ_COMMITTED), "the open transaction neither shows nor keeps the bounded job from ending");
        assertEquals(List.of(new Click("committed", 1), new Click("committed", 2), new Click("aborted", 3), new Click("aborted", 4),
            new Click("committed", 5), new Click("open", 6)), runBounded(IsolationLevel.READ_UNCOMMITTED));
        producer.commitTransaction();
    }

    @Test
    void anUnboundedReadCommittedReaderWaitsAtAnOpenTransactionAndGoesOnAfterItsCommit()
    {
        final LogSource<Click> source = LogSource.unbounded(topics.logs, "clicks", Click.DESERIALIZER)
            .withIsolationLevel(IsolationLevel.READ_COMMITTED);
        final List<Click> out = new ArrayList<>();
        final SourceOutput<Click> output = new SourceOutput<>()
        {
            @Override
            public void collect(final Click value)
            {
                out.add(value);
            }

            @Override
            public void collect(final Click value, final long timestamp)
            {
                out.add(value);
            }
        };
        final LogSplitReader<Click> reader = source.createReader(source.createSplits(1).get(0));
        try
        {
            producer.beginTransaction();
            send(0, new Click("pending", 1));
            producer.flush();
            assertEquals(ReadStatus.NOTHING_AVAILABLE, reader.read(output));
            assertEquals(List.of(), out);
            producer.commitTransaction();
            while (reader.read(output) == ReadStatus.MORE_AVAILABLE)
            {
                // reads what the commit made visible
            }
            assertEquals(List.of(new Click("pending", 1)), out);
            assertEquals(topics.logs.partition(new TopicPartition("clicks", 0)).logEndOffset(), reader.position(),
                "the reader's position is past the commit marker");
        }
        finally
        {
            reader.close();
        }
    }
}
