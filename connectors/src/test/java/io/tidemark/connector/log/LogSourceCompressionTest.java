package io.tidemark.connector.log;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tidemark.engine.api.StreamExecutionEnvironment;
import io.tidemark.engine.sink.CollectSink;
import io.tidemark.engine.source.ReadStatus;
import io.tidemark.engine.time.WatermarkStrategy;
import io.tidemark.log.TopicPartition;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job over a log topic that Kafka producers wrote with every {@code compression.type}: the
 * batches, compressed as kafka-clients compresses them, are appended through the log's own
 * append, and the log source reads them all.
 */
class LogSourceCompressionTest
{
    private static final String TOPIC = "clicks";
    private static final int PARTITIONS = 3;
    private static final int PER_BATCH = 40;

    @TempDir
    Path dir;

    private Topics topics;

    @BeforeEach
    void open()
    {
        topics = new Topics(dir).create(TOPIC, PARTITIONS);
    }

    @AfterEach
    void close()
    {
        topics.close();
    }

    /** Appends, to every partition, one batch per codec; the clicks' times go up by one per record across the topic. */
    private List<Click> writeABatchOfEveryCodec()
    {
        final List<Click> written = new ArrayList<>();
        long time = 0;
        for (final Compression compression : LogSourceInPlaceTest.everyCodec())
        {
            for (int p = 0; p < PARTITIONS; p++)
            {
                final SimpleRecord[] records = new SimpleRecord[PER_BATCH];
                for (int i = 0; i < PER_BATCH; i++)
                {
                    final Click click = new Click(compression.type().name + "-" + p, time++);
                    records[i] = new SimpleRecord(click.time(), click.user().getBytes(StandardCharsets.UTF_8), click.bytes());
                    written.add(click);
                }
                topics.logs.partition(new TopicPartition(TOPIC, p)).append(MemoryRecords.withRecords(compression, records).buffer());
            }
        }
        return written;
    }

    @Test
    void aJobReadsEveryRecordOfBatchesCompressedWithEveryCodec()
    {
        final List<Click> written = writeABatchOfEveryCodec();
        final CollectSink<Click> sink = new CollectSink<>();
        final StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(2);
        env.fromSource(LogSource.bounded(topics.logs, TOPIC, Click.DESERIALIZER), WatermarkStrategy.noWatermarks(), TOPIC).sinkTo(sink);
        env.execute("compressed read");

        final List<Click> read = new ArrayList<>(sink.results());
        read.sort(Comparator.comparingLong(Click::time));
        assertEquals(written, read);
    }

    @Test
    void startingAtATimestampInsideACompressedBatchStartsAtThatRecord()
    {
        writeABatchOfEveryCodec();
        // Partition 1's lz4 batch (the fourth codec) holds times (3 * 3 + 1) * 40 = 400 to 439 at offsets 120 to 159.
        final LogSource<Click> fromTime = LogSource.bounded(topics.logs, TOPIC, Click.DESERIALIZER).startingAtTimestamp(417);
        final LogSplit split = fromTime.createSplits(1).get(1);
        assertEquals(new LogSplit(new TopicPartition(TOPIC, 1), 137, 5 * PER_BATCH), split);
        final LogSplitReader<Click> reader = fromTime.createReader(split);
        final Emitted<Click> out = new Emitted<>();
        while (reader.read(out) != ReadStatus.END_OF_SPLIT)
        {
            // reads to the end of the split
        }
        reader.close();
        assertEquals(new Click("lz4-1", 417), out.values.get(0));
        assertEquals(5 * PER_BATCH - 137, out.values.size());
    }
}
