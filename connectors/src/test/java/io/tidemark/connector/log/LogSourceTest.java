package io.tidemark.connector.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemark.engine.api.StreamExecutionEnvironment;
import io.tidemark.engine.sink.CollectSink;
import io.tidemark.engine.source.MalformedRecordException;
import io.tidemark.engine.source.ReadStatus;
import io.tidemark.engine.task.JobExecutionException;
import io.tidemark.engine.task.JobHandle;
import io.tidemark.engine.testing.Poll;
import io.tidemark.engine.time.WatermarkStrategy;
import io.tidemark.log.TopicPartition;
import io.tidemark.log.errors.UnknownTopicOrPartitionException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogSourceTest
{
    @TempDir
    Path dir;

    private Topics topics;

    @BeforeEach
    void open()
    {
        topics = new Topics(dir).create("clicks", 3);
    }

    @AfterEach
    void close()
    {
        topics.close();
    }

    private static ReadStatus readToEnd(final LogSplitReader<Click> reader, final Emitted<Click> out)
    {
        ReadStatus status;
        do
        {
            status = reader.read(out);
        }
        while (status == ReadStatus.MORE_AVAILABLE);
        return status;
    }

    @Test
    void aBoundedJobReadsEveryPartitionWithLogTimestampsAsEventTimeAndEnds()
    {
        final List<Click> written = new ArrayList<>();
        for (int i = 0; i < 300; i++)
        {
            final Click click = new Click("u" + (i % 7), 1_000L * i);
            topics.write("clicks", i % 3, click);
            written.add(click);
        }
        final ConcurrentLinkedQueue<Long> lags = new ConcurrentLinkedQueue<>();
        final CollectSink<Click> sink = new CollectSink<>();
        final StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(2);
        final var stream = env.fromSource(LogSource.bounded(topics.logs, "clicks", Click.DESERIALIZER), WatermarkStrategy.noWatermarks(), "clicks");
        stream.sinkTo(sink);
        stream.sinkTo((subtask, parallelism) -> (click, timestamp) -> lags.add(timestamp - click.time()));
        env.execute("bounded read");

        final List<Click> read = new ArrayList<>(sink.results());
        read.sort(Comparator.comparingLong(Click::time));
        assertEquals(written, read);
        assertEquals(300, lags.size());
        assertTrue(lags.stream().allMatch(lag -> lag == 0), "each record's event time is its log timestamp");
    }

    @Test
    void aBoundedSplitStopsAtTheEndOffsetItHadWhenTheJobStarted()
    {
        for (int i = 0; i < 5; i++)
        {
            topics.write("clicks", 0, new Click("ann", i));
        }
        final LogSource<Click> source = LogSource.bounded(topics.logs, "clicks", Click.DESERIALIZER);
        final LogSplit split = source.createSplits(1).get(0);
        assertEquals(new LogSplit(new TopicPartition("clicks", 0), 0, 5), split);
        topics.write("clicks", 0, new Click("ann", 99));

        final LogSplitReader<Click> reader = source.createReader(split);
        final Emitted<Click> out = new Emitted<>();
        assertEquals(ReadStatus.END_OF_SPLIT, readToEnd(reader, out));
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L), out.timestamps, "the record written after the start is not read");
        assertEquals(5, reader.position());
        reader.close();
    }

    @Test
    void theReaderPositionIsTheNextOffsetAndItsCurrentSplitResumesWithoutLossOrRepeat()
    {
        for (int i = 0; i < 600; i++)
        {
            topics.write("clicks", 1, new Click("bob", i));
        }
        final LogSource<Click> source = LogSource.unbounded(topics.logs, "clicks", Click.DESERIALIZER);
        final LogSplit split = source.createSplits(1).get(1);
        final LogSplitReader<Click> first = source.createReader(split);
        final Emitted<Click> out = new Emitted<>();
        assertEquals(ReadStatus.MORE_AVAILABLE, first.read(out));
        final int readBefore = out.values.size();
        assertTrue(readBefore > 0 && readBefore < 600, "one read is one batch: " + readBefore);
        assertEquals(readBefore, first.position());
        final LogSplit snapshot = first.currentSplit();
        assertEquals(new LogSplit(new TopicPartition("clicks", 1), readBefore, LogSplit.UNBOUNDED), snapshot);
        first.close();

        final LogSplitReader<Click> resumed = source.createReader(snapshot);
        assertEquals(ReadStatus.NOTHING_AVAILABLE, readToEnd(resumed, out), "an unbounded split waits at the log end");
        assertEquals(600, resumed.position());
        for (int i = 0; i < 600; i++)
        {
            assertEquals(i, out.timestamps.get(i));
        }
        assertEquals(600, out.values.size());
        resumed.close();
    }

    @Test
    void startingAtATimestampSkipsEarlierRecordsAndStartingAtLatestReadsOnlyNewOnes()
    {
        for (int i = 0; i < 10; i++)
        {
            topics.write("clicks", 2, new Click("cid", 100L * i));
        }
        final LogSource<Click> fromTime = LogSource.bounded(topics.logs, "clicks", Click.DESERIALIZER).startingAtTimestamp(650);
        assertEquals(new LogSplit(new TopicPartition("clicks", 2), 7, 10), fromTime.createSplits(1).get(2));
        assertEquals(new LogSplit(new TopicPartition("clicks", 0), 0, 0), fromTime.createSplits(1).get(0), "no record that late: start at the end");

        final LogSource<Click> latest = LogSource.unbounded(topics.logs, "clicks", Click.DESERIALIZER).startingAtLatest();
        final LogSplitReader<Click> reader = latest.createReader(latest.createSplits(1).get(2));
        final Emitted<Click> out = new Emitted<>();
        assertEquals(ReadStatus.NOTHING_AVAILABLE, reader.read(out));
        topics.write("clicks", 2, new Click("cid", 5_000));
        assertEquals(ReadStatus.MORE_AVAILABLE, reader.read(out));
        assertEquals(List.of(new Click("cid", 5_000)), out.values);
        reader.close();
    }

    @Test
    void anUnboundedJobFollowsThePartitionsUntilCancelled()
    {
        final CollectSink<Click> sink = new CollectSink<>();
        final StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(3);
        env.fromSource(LogSource.unbounded(topics.logs, "clicks", Click.DESERIALIZER), WatermarkStrategy.noWatermarks(), "clicks").sinkTo(sink);
        final JobHandle job = env.executeAsync("follow");
        for (int i = 0; i < 30; i++)
        {
            topics.write("clicks", i % 3, new Click("dan", i));
        }
        Poll.until("every record written after the start is read", () -> sink.size() == 30);
        assertTrue(!job.isDone());
        job.cancel();
        job.awaitTermination();
    }

    @Test
    void aRecordTheDeserializerRejectsFailsTheJobNamingPartitionAndOffset()
    {
        topics.write("clicks", 1, new Click("eve", 1));
        topics.writeRaw("clicks", 1, 2, "no comma here".getBytes(StandardCharsets.UTF_8));
        final StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.fromSource(LogSource.bounded(topics.logs, "clicks", Click.DESERIALIZER), WatermarkStrategy.noWatermarks(), "clicks").sinkTo(new CollectSink<>());
        final JobExecutionException failure = assertThrows(JobExecutionException.class, () -> env.execute("malformed"));
        Throwable cause = failure;
        while (!(cause instanceof MalformedRecordException) && cause.getCause() != null)
        {
            cause = cause.getCause();
        }
        final MalformedRecordException malformed = assertInstanceOf(MalformedRecordException.class, cause);
        assertEquals("clicks-1 offset 1", malformed.location());
        assertTrue(malformed.getMessage().contains("no comma in 'no comma here'"), malformed.getMessage());
    }

    @Test
    void anUnknownTopicOrAnUncopyableDeserializerIsRefusedWhereTheSourceIsDefined()
    {
        assertThrows(UnknownTopicOrPartitionException.class, () -> LogSource.bounded(topics.logs, "nope", Click.DESERIALIZER));
        final Object notSerializable = new Object();
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> LogSource.bounded(topics.logs, "clicks", (key, value) -> notSerializable.toString()));
        assertTrue(e.getMessage().contains("java.lang.Object"), e.getMessage());
    }
}
