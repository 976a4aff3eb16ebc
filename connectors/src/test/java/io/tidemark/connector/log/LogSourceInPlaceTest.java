package io.tidemark.connector.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemark.engine.source.MalformedRecordException;
import io.tidemark.engine.source.ReadStatus;
import io.tidemark.engine.source.SourceOutput;
import io.tidemark.log.IsolationLevel;
import io.tidemark.log.LogConfig;
import io.tidemark.log.PartitionLog;
import io.tidemark.log.TopicPartition;
import io.tidemark.log.record.CorruptRecordException;
import io.tidemark.log.record.RecordBatchLayout;
import io.tidemark.log.topic.LogManager;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What the split reader does now that it reads the partition log in place. */
class LogSourceInPlaceTest
{
    private static final String TOPIC = "t";
    private static final TopicPartition PARTITION = new TopicPartition(TOPIC, 0);

    @TempDir
    Path dir;

    private LogManager logs;
    private PartitionLog log;

    @BeforeEach
    void open()
    {
        logs = LogManager.open(dir, LogConfig.DEFAULTS);
        logs.createTopic(TOPIC, 1, Map.of(LogConfig.RETENTION_MS, "-1"));
        log = logs.partition(PARTITION);
    }

    @AfterEach
    void close()
    {
        logs.close();
    }

    /** Appends one batch of {@code count} records, values {@code v<first>} on, timestamps 100 times that. */
    private void appendBatch(final int first, final int count, final Compression compression)
    {
        appendBatch(log, first, count, compression);
    }

    private static void appendBatch(final PartitionLog log, final int first, final int count, final Compression compression)
    {
        final SimpleRecord[] records = new SimpleRecord[count];
        for (int i = 0; i < count; i++)
        {
            records[i] = new SimpleRecord(100L * (first + i), null, ("v" + (first + i)).getBytes(StandardCharsets.UTF_8));
        }
        log.append(MemoryRecords.withRecords(compression, records).buffer());
    }

    private static List<String> values(final int from, final int to)
    {
        final List<String> values = new ArrayList<>();
        for (int i = from; i < to; i++)
        {
            values.add("v" + i);
        }
        return values;
    }

    private LogSplitReader<String> reader(final LogSplit split, final int batch)
    {
        return new LogSplitReader<>(logs, split, LogDeserializer.utf8Values(), batch, IsolationLevel.READ_UNCOMMITTED);
    }

    private static ReadStatus readUntil(final LogSplitReader<String> reader, final Emitted out, final ReadStatus last)
    {
        ReadStatus status;
        do
        {
            status = reader.read(out);
        }
        while (status != last);
        return status;
    }

    @Test
    void aCheckpointMidBatchResumesAtTheNextRecordOfThatBatch()
    {
        appendBatch(0, 10, Compression.NONE);
        final LogSource<String> source = LogSource.bounded(logs, TOPIC, LogDeserializer.utf8Values());
        final LogSplit split = source.createSplits(1).get(0);
        final LogSplitReader<String> first = reader(split, 4);
        final Emitted<String> out = new Emitted<>();
        assertEquals(ReadStatus.MORE_AVAILABLE, first.read(out));
        assertEquals(values(0, 4), out.values);
        final LogSplit checkpointed = first.currentSplit();
        assertEquals(new LogSplit(PARTITION, 4, 10), checkpointed, "the position is inside the batch of offsets 0-9");
        first.close();

        final LogSplitReader<String> resumed = reader(checkpointed, 4);
        assertEquals(ReadStatus.END_OF_SPLIT, readUntil(resumed, out, ReadStatus.END_OF_SPLIT));
        assertEquals(values(0, 10), out.values, "nothing lost, nothing repeated");
        assertEquals(List.of(0L, 100L, 200L, 300L, 400L, 500L, 600L, 700L, 800L, 900L), out.timestamps);
        assertEquals(10, resumed.position());
    }

    @Test
    void aBoundedSplitStopsInsideABatchThatRunsPastItsStoppingOffset()
    {
        appendBatch(0, 10, Compression.NONE);
        final LogSplitReader<String> reader = reader(new LogSplit(PARTITION, 2, 6), 256);
        final Emitted<String> out = new Emitted<>();
        assertEquals(ReadStatus.END_OF_SPLIT, readUntil(reader, out, ReadStatus.END_OF_SPLIT));
        assertEquals(values(2, 6), out.values);
        assertEquals(6, reader.position());
    }

    @Test
    void retentionThatDeletesThePositionResumesAtTheLogStartAndABoundedSplitPastItEnds()
    {
        // Small segments, so that retention can delete some of them.
        logs.createTopic("small", 1, Map.of(LogConfig.RETENTION_MS, "-1", LogConfig.SEGMENT_BYTES, "1024"));
        final TopicPartition small = new TopicPartition("small", 0);
        final PartitionLog smallLog = logs.partition(small);
        for (int i = 0; i < 200; i += 10)
        {
            appendBatch(smallLog, i, 10, Compression.NONE);
        }
        final LogSplit checkpointed = new LogSplit(small, 15, LogSplit.UNBOUNDED);
        final long deleted = smallLog.deleteSegmentsBefore(100);
        final long start = smallLog.logStartOffset();
        assertTrue(deleted > 0 && start > 15 && start <= 100, "retention moved the log start to " + start);

        // As the consumer with auto.offset.reset=earliest: the deleted records are gone, the reader goes on from the first one kept.
        final LogSplitReader<String> reader = reader(checkpointed, 256);
        final Emitted<String> out = new Emitted<>();
        assertEquals(ReadStatus.NOTHING_AVAILABLE, readUntil(reader, out, ReadStatus.NOTHING_AVAILABLE));
        assertEquals(values((int)start, 200), out.values);
        assertEquals(200, reader.position());

        final LogSplitReader<String> bounded = reader(new LogSplit(small, 5, 12), 256);
        assertEquals(ReadStatus.END_OF_SPLIT, bounded.read(new Emitted<>()));
        assertEquals(new LogSplit(small, 12, 12), bounded.currentSplit(), "a bounded split wholly deleted ends at its stopping offset");
    }

    /** Kafka's compression of every codec, none included. */
    static List<Compression> everyCodec()
    {
        return List.of(Compression.NONE, Compression.gzip().build(), Compression.snappy().build(), Compression.lz4().build(),
            Compression.zstd().build());
    }

    @ParameterizedTest
    @MethodSource("everyCodec")
    void compressedBatchesAreReadAndACheckpointInsideOneResumesAtItsNextRecord(final Compression compression)
    {
        appendBatch(0, 10, Compression.NONE);
        appendBatch(10, 20, compression);
        appendBatch(30, 10, compression);
        final Emitted<String> out = new Emitted<>();
        LogSplit split = new LogSplit(PARTITION, 0, 40);
        int reads = 0;
        while (split.startingOffset() < split.stoppingOffset())
        {
            // A reader per read of 7 records: every checkpoint but the last falls inside a batch.
            final LogSplitReader<String> reader = reader(split, 7);
            reader.read(out);
            split = reader.currentSplit();
            reader.close();
            assertEquals(Math.min(40, 7 * ++reads), split.startingOffset());
        }
        assertEquals(values(0, 40), out.values, "nothing lost, nothing repeated");
        for (int i = 0; i < 40; i++)
        {
            assertEquals(100L * i, out.timestamps.get(i));
        }

        final LogSplitReader<String> bounded = reader(new LogSplit(PARTITION, 13, 33), 256);
        final Emitted<String> inside = new Emitted<>();
        assertEquals(ReadStatus.END_OF_SPLIT, readUntil(bounded, inside, ReadStatus.END_OF_SPLIT));
        assertEquals(values(13, 33), inside.values, "a split that starts and stops inside compressed batches");
    }

    @Test
    void aCompressedBatchThatDoesNotDecompressFailsTheReadNamingPartitionAndOffsetAfterEverythingBeforeIt()
    {
        appendBatch(0, 3, Compression.NONE);
        final SimpleRecord[] records = new SimpleRecord[3];
        for (int i = 0; i < 3; i++)
        {
            records[i] = new SimpleRecord(100L * (3 + i), null, ("v" + (3 + i)).getBytes(StandardCharsets.UTF_8));
        }
        final ByteBuffer garbled = MemoryRecords.withRecords(Compression.gzip().build(), records).buffer();
        // Garbage where the gzip stream starts, under a CRC that vouches for it: the log stores it, only gzip can tell.
        for (int i = RecordBatchLayout.RECORDS_OFFSET; i < RecordBatchLayout.RECORDS_OFFSET + 4; i++)
        {
            garbled.put(i, (byte)0);
        }
        final CRC32C crc = new CRC32C();
        crc.update(garbled.duplicate().position(RecordBatchLayout.ATTRIBUTES_OFFSET));
        garbled.putInt(RecordBatchLayout.CRC_OFFSET, (int)crc.getValue());
        log.append(garbled);
        appendBatch(6, 3, Compression.NONE);

        final LogSplitReader<String> reader = reader(new LogSplit(PARTITION, 0, LogSplit.UNBOUNDED), 256);
        final Emitted<String> out = new Emitted<>();
        final MalformedRecordException e = assertThrows(MalformedRecordException.class, () -> readUntil(reader, out, ReadStatus.END_OF_SPLIT));
        assertEquals("t-0 offset 3", e.location());
        assertTrue(e.getMessage().contains("gzip"), e.getMessage());
        assertInstanceOf(CorruptRecordException.class, e.getCause());
        assertEquals(values(0, 3), out.values, "the records before the batch are emitted");
        assertEquals(new LogSplit(PARTITION, 3, LogSplit.UNBOUNDED), reader.currentSplit(), "nothing of the broken batch counts as read");
        assertThrows(MalformedRecordException.class, () -> reader.read(out), "a read again fails again: the batch is never skipped");
        assertEquals(3, reader.position());
    }

    @Test
    void anInPlaceDeserializerGetsTheRecordsBytesWhereTheyLieAndTheOldFormStillWorks()
    {
        log.append(MemoryRecords.withRecords(Compression.NONE, new SimpleRecord(7, "k".getBytes(StandardCharsets.UTF_8), "v".getBytes(StandardCharsets.UTF_8)),
            new SimpleRecord(8, null, "w".getBytes(StandardCharsets.UTF_8)), new SimpleRecord(9, "tomb".getBytes(StandardCharsets.UTF_8), null)).buffer());
        final LogDeserializer<String> inPlace = new LogDeserializer<>()
        {
            private static final long serialVersionUID = 1L;

            @Override
            public String deserialize(final byte[] key, final byte[] value)
            {
                throw new AssertionError("the source reads in place");
            }

            @Override
            public String deserialize(final ByteBuffer buffer, final int keyOffset, final int keyLength, final int valueOffset, final int valueLength)
            {
                assertTrue(buffer.isReadOnly(), "the log's bytes cannot be written through the view");
                return text(buffer, keyOffset, keyLength) + "=" + text(buffer, valueOffset, valueLength);
            }
        };
        final Emitted<String> out = new Emitted<>();
        readUntil(new LogSplitReader<>(logs, new LogSplit(PARTITION, 0, 3), inPlace, 256, IsolationLevel.READ_UNCOMMITTED), out, ReadStatus.END_OF_SPLIT);
        assertEquals(List.of("k=v", "null=w", "tomb=null"), out.values);

        final LogDeserializer<String> arrays = (key, value) -> (key == null ? null : new String(key, StandardCharsets.UTF_8)) + "=" +
            (value == null ? null : new String(value, StandardCharsets.UTF_8));
        final ByteBuffer bytes = ByteBuffer.wrap("xkeyvalue".getBytes(StandardCharsets.UTF_8)).asReadOnlyBuffer();
        assertEquals("key=value", assertDoesNotThrow(() -> arrays.deserialize(bytes, 1, 3, 4, 5)), "the default copies and calls the old form");
        assertEquals("null=null", assertDoesNotThrow(() -> arrays.deserialize(bytes, 0, -1, 0, -1)));
        assertNull(assertDoesNotThrow(() -> LogDeserializer.utf8Values().deserialize(bytes, 1, 3, 0, -1)), "utf8Values skips a tombstone");
    }

    private static String text(final ByteBuffer buffer, final int offset, final int length)
    {
        if (length < 0)
        {
            return "null";
        }
        final byte[] bytes = new byte[length];
        buffer.get(offset, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static <T> T assertDoesNotThrow(final ThrowingSupplier<T> call)
    {
        try
        {
            return call.get();
        }
        catch (final Exception e)
        {
            throw new AssertionError(e);
        }
    }

    /** A call that may throw. */
    private interface ThrowingSupplier<T>
    {
        T get() throws Exception;
    }

    /** lz4 and zstd are decoded without streams: once the reader's buffer has grown, a batch costs no allocation either. */
    static List<Compression> plainLz4AndZstd()
    {
        return List.of(Compression.NONE, Compression.lz4().build(), Compression.zstd().build());
    }

    @ParameterizedTest
    @MethodSource("plainLz4AndZstd")
    void theReaderAllocatesNothingPerRecord(final Compression compression)
    {
        final int records = 200_000;
        for (int i = 0; i < records; i += 500)
        {
            appendBatch(i, 500, compression);
        }
        final LogDeserializer<Integer> firstByte = new LogDeserializer<>()
        {
            private static final long serialVersionUID = 1L;
            private final Integer one = 1;

            @Override
            public Integer deserialize(final byte[] key, final byte[] value)
            {
                throw new AssertionError("the source reads in place");
            }

            @Override
            public Integer deserialize(final ByteBuffer buffer, final int keyOffset, final int keyLength, final int valueOffset, final int valueLength)
            {
                return buffer.get(valueOffset) == 'v' ? one : null;
            }
        };
        final long[] count = new long[1];
        final SourceOutput<Integer> counting = new SourceOutput<>()
        {
            @Override
            public void collect(final Integer value)
            {
                throw new AssertionError("a log record always has a timestamp");
            }

            @Override
            public void collect(final Integer value, final long timestamp)
            {
                count[0] += value;
            }
        };
        final LogSplitReader<Integer> reader = new LogSplitReader<>(logs, new LogSplit(PARTITION, 0, records), firstByte, 256,
            IsolationLevel.READ_UNCOMMITTED);
        // The first fetch runs the code once, so that what is measured is the steady state.
        reader.read(counting);
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long before = threads.getCurrentThreadAllocatedBytes();
        while (reader.read(counting) != ReadStatus.END_OF_SPLIT)
        {
            // reads the rest
        }
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertEquals(records, count[0]);
        // A fetch of 1 MiB (some 60,000 of these records, or all of them compressed) costs its slice and view: a few hundred bytes.
        assertTrue(allocated < records / 10, allocated + " bytes allocated reading " + records + " records");
    }
}
