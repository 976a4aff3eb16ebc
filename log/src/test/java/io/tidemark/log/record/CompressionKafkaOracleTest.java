package io.tidemark.log.record;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32C;

import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.CompressionType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import static io.tidemark.log.record.KafkaOracle.bytes;
import static io.tidemark.log.record.KafkaOracle.compression;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Compressed batches against kafka-clients, the oracle: every codec's batches that Kafka
 * writes we read record for record, and the batches our builder compresses Kafka reads.
 */
class CompressionKafkaOracleTest
{
    private static final long BASE_OFFSET = 1000;

    /**
     * {@code count} records: null keys and values now and then, headers (one with a null
     * value) on every third, repetitive text that compresses, and a few values of random bytes.
     */
    private static List<SimpleRecord> records(final int count, final long seed)
    {
        final Random random = new Random(seed);
        final List<SimpleRecord> records = new ArrayList<>();
        for (int i = 0; i < count; i++)
        {
            final byte[] key = i % 5 == 0 ? null : ("key-" + (i % 17)).getBytes(StandardCharsets.UTF_8);
            final byte[] value;
            if (i % 7 == 3)
            {
                value = null;
            }
            else if (i % 11 == 0)
            {
                value = new byte[random.nextInt(300)];
                random.nextBytes(value);
            }
            else
            {
                value = ("value " + i + " of a record that repeats what it says, ".repeat(1 + i % 4)).getBytes(StandardCharsets.UTF_8);
            }
            final org.apache.kafka.common.header.Header[] headers = i % 3 == 0
                ? new org.apache.kafka.common.header.Header[] {new RecordHeader("trace", ("t" + i).getBytes(StandardCharsets.UTF_8)),
                    new RecordHeader("empty", null)}
                : new org.apache.kafka.common.header.Header[0];
            records.add(new SimpleRecord(1_700_000_000_000L + i * 3L - (i % 4), key, value, headers));
        }
        return records;
    }

    private static ByteBuffer kafkaBatch(final CompressionCodec codec, final List<SimpleRecord> records)
    {
        return MemoryRecords.withRecords(org.apache.kafka.common.record.internal.RecordBatch.MAGIC_VALUE_V2, BASE_OFFSET, compression(codec),
            TimestampType.CREATE_TIME, records.toArray(new SimpleRecord[0])).buffer();
    }

    private static void assertRecordsEqual(final List<SimpleRecord> expected, final RecordBatch batch)
    {
        final Record record = batch.records();
        for (int i = 0; i < expected.size(); i++)
        {
            assertTrue(record.next(), "record " + i);
            final SimpleRecord want = expected.get(i);
            assertEquals(BASE_OFFSET + i, record.offset());
            assertEquals(want.timestamp(), record.timestamp());
            assertArrayEquals(bytes(want.key()), record.key(), "key of record " + i);
            assertArrayEquals(bytes(want.value()), record.value(), "value of record " + i);
            final List<Header> headers = record.headers();
            assertEquals(want.headers().length, headers.size());
            for (int h = 0; h < headers.size(); h++)
            {
                assertEquals(want.headers()[h].key(), headers.get(h).key());
                assertArrayEquals(want.headers()[h].value(), headers.get(h).value());
            }
            if (record.valueLength() > 0)
            {
                final byte[] inPlace = new byte[record.valueLength()];
                record.buffer().get(record.valueOffset(), inPlace);
                assertArrayEquals(bytes(want.value()), inPlace, "the value where its offset points");
            }
        }
        assertFalse(record.next());
    }

    private static void recomputeCrc(final ByteBuffer buffer, final int size)
    {
        final CRC32C crc = new CRC32C();
        crc.update(buffer.duplicate().limit(size).position(RecordBatchLayout.ATTRIBUTES_OFFSET));
        buffer.putInt(RecordBatchLayout.CRC_OFFSET, (int)crc.getValue());
    }

    @ParameterizedTest
    @EnumSource(CompressionCodec.class)
    void weReadEveryRecordOfTheBatchesKafkaCompresses(final CompressionCodec codec)
    {
        // 3,000 records of up to some 200 bytes: more than one 64 KiB lz4 block, snappy chunk and gzip buffer.
        for (final int count : new int[] {1, 100, 3000})
        {
            final List<SimpleRecord> records = records(count, count);
            final ByteBuffer bytes = kafkaBatch(codec, records);
            final RecordBatchCursor cursor = new RecordBatchCursor().wrap(bytes, true);
            assertTrue(cursor.next());
            assertEquals(codec, cursor.batch().compression());
            assertRecordsEqual(records, cursor.batch());
            assertFalse(cursor.next());
        }
    }

    @ParameterizedTest
    @EnumSource(CompressionCodec.class)
    void kafkaReadsEveryRecordOfTheBatchesWeCompress(final CompressionCodec codec)
    {
        final List<SimpleRecord> records = records(3000, 7);
        final ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
        final RecordBatchBuilder builder = new RecordBatchBuilder().begin(buffer, 0, buffer.capacity()).compression(codec).baseOffset(BASE_OFFSET);
        for (final SimpleRecord r : records)
        {
            final Header[] headers = new Header[r.headers().length];
            for (int h = 0; h < headers.length; h++)
            {
                headers[h] = new Header(r.headers()[h].key(), r.headers()[h].value());
            }
            assertTrue(builder.append(r.timestamp(), bytes(r.key()), bytes(r.value()), headers));
        }
        final int uncompressedSize = builder.sizeInBytes();
        final int size = builder.finish();
        if (codec != CompressionCodec.NONE)
        {
            assertTrue(size < uncompressedSize / 2, codec + " shrinks " + uncompressedSize + " bytes to " + size);
        }

        final Iterator<MutableRecordBatch> batches = MemoryRecords.readableRecords(buffer.duplicate().limit(size)).batches().iterator();
        final MutableRecordBatch theirs = batches.next();
        assertFalse(batches.hasNext());
        theirs.ensureValid();
        assertEquals(CompressionType.forId(codec.id()), theirs.compressionType());
        assertEquals(BASE_OFFSET + records.size() - 1, theirs.lastOffset());
        int i = 0;
        for (final org.apache.kafka.common.record.internal.Record record : theirs)
        {
            final SimpleRecord want = records.get(i);
            assertEquals(BASE_OFFSET + i, record.offset());
            assertEquals(want.timestamp(), record.timestamp());
            assertArrayEquals(bytes(want.key()), bytes(record.key()));
            assertArrayEquals(bytes(want.value()), bytes(record.value()));
            assertArrayEquals(want.headers(), record.headers());
            i++;
        }
        assertEquals(records.size(), i);
        assertRecordsEqual(records, new RecordBatch().wrap(buffer, 0));
    }

    @ParameterizedTest
    @EnumSource(CompressionCodec.class)
    void aBatchThatCompressedHundredsOfTimesOverIsReadWholeFromAHeapOrADirectBuffer(final CompressionCodec codec)
    {
        final List<SimpleRecord> records = new ArrayList<>();
        for (int i = 0; i < 2000; i++)
        {
            records.add(new SimpleRecord(i, null, new byte[1000]));
        }
        final ByteBuffer heap = kafkaBatch(codec, records);
        final ByteBuffer direct = ByteBuffer.allocateDirect(heap.remaining()).put(heap.duplicate()).flip();
        final RecordBatch view = new RecordBatch();
        for (final ByteBuffer bytes : List.of(heap, direct, heap.asReadOnlyBuffer()))
        {
            final Record record = view.wrap(bytes, 0).records();
            int count = 0;
            while (record.next())
            {
                assertEquals(1000, record.valueLength());
                count++;
            }
            assertEquals(records.size(), count);
        }
    }

    @ParameterizedTest
    @EnumSource(CompressionCodec.class)
    void everyCodecGivesBackWhatItCompressedAndSaysWhenTheRoomIsTooSmall(final CompressionCodec codec)
    {
        final RecordsBuffer records = new RecordsBuffer();
        final byte[] text = "the same words, again and again; ".repeat(500).getBytes(StandardCharsets.UTF_8);
        records.reserve(text.length);
        System.arraycopy(text, 0, records.array(), 0, text.length);
        records.advance(text.length);
        final ByteBuffer dest = ByteBuffer.allocate(2 * text.length);
        final int end = codec.compress(records, dest, 10, dest.capacity());
        assertTrue(end > 10);
        final RecordsBuffer back = new RecordsBuffer();
        codec.decompress(dest, 10, end, back);
        assertArrayEquals(text, Arrays.copyOf(back.array(), back.size()));
        assertEquals(-1, codec.compress(records, dest, 10, end - 1), "one byte short of what it needs");
        assertEquals(codec, CompressionCodec.forName(codec.kafkaName()));
        assertEquals(codec, CompressionCodec.forId(codec.id(), 0));
    }

    @Test
    void oneViewReadsCompressedAndPlainBatchesInTurnAndHandsOutReadOnlyRecords()
    {
        final List<SimpleRecord> first = records(50, 1);
        final List<SimpleRecord> second = records(2000, 2);
        final ByteBuffer all = ByteBuffer.allocate(1 << 20);
        all.put(kafkaBatch(CompressionCodec.LZ4, first)).put(kafkaBatch(CompressionCodec.NONE, second)).put(kafkaBatch(CompressionCodec.ZSTD, second))
            .put(kafkaBatch(CompressionCodec.SNAPPY, first)).flip();
        final RecordBatchCursor cursor = new RecordBatchCursor().wrap(all, true);
        for (final List<SimpleRecord> expected : List.of(first, second, second, first))
        {
            assertTrue(cursor.next());
            assertRecordsEqual(expected, cursor.batch());
            assertRecordsEqual(expected, cursor.batch()); // a second walk of the same batch
            assertTrue(cursor.batch().compressionCodec() == 0 || cursor.batch().records().buffer().isReadOnly());
        }
        assertFalse(cursor.next());
    }

    @ParameterizedTest
    @EnumSource(value = CompressionCodec.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void aPayloadThatPassesTheCrcButDoesNotDecompressIsACorruptBatchNamingCodecAndOffset(final CompressionCodec codec)
    {
        final ByteBuffer bytes = kafkaBatch(codec, records(100, 3));
        final int size = bytes.limit();
        // Garbage where the codec's frame starts, and a CRC that vouches for it: only the codec can tell.
        for (int i = RecordBatchLayout.RECORDS_OFFSET; i < RecordBatchLayout.RECORDS_OFFSET + 8; i++)
        {
            bytes.put(i, (byte)0x5A);
        }
        recomputeCrc(bytes, size);
        final RecordBatch view = new RecordBatch().wrap(bytes, 0);
        view.validate(size, Integer.MAX_VALUE);
        final CorruptRecordException e = assertThrows(CorruptRecordException.class, view::records);
        assertTrue(e.getMessage().contains("offset " + BASE_OFFSET) && e.getMessage().contains(codec.kafkaName()), e.getMessage());
        assertThrows(CorruptRecordException.class, view::records, "asking again fails again");
    }

    @ParameterizedTest
    @EnumSource(value = CompressionCodec.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void aPayloadCutShortIsACorruptBatch(final CompressionCodec codec)
    {
        final ByteBuffer bytes = kafkaBatch(codec, records(500, 4));
        final int size = RecordBatchLayout.RECORDS_OFFSET + (bytes.limit() - RecordBatchLayout.RECORDS_OFFSET) / 2;
        bytes.putInt(RecordBatchLayout.LENGTH_OFFSET, size - RecordBatchLayout.LOG_OVERHEAD);
        recomputeCrc(bytes, size);
        final RecordBatch view = new RecordBatch().wrap(bytes, 0);
        view.validate(size, Integer.MAX_VALUE);
        assertThrows(CorruptRecordException.class, () ->
        {
            final Record record = view.records();
            while (record.next())
            {
                // walks until the records run out before the count does
            }
        });
    }

    @ParameterizedTest
    @ValueSource(ints = {5, 6, 7})
    void aCodecIdThatNamesNoCodecIsUnsupported(final int id)
    {
        final ByteBuffer bytes = kafkaBatch(CompressionCodec.NONE, records(3, 5));
        bytes.putShort(RecordBatchLayout.ATTRIBUTES_OFFSET, (short)id);
        recomputeCrc(bytes, bytes.limit());
        final RecordBatch view = new RecordBatch().wrap(bytes, 0);
        view.validate(bytes.limit(), Integer.MAX_VALUE);
        final UnsupportedCompressionException e = assertThrows(UnsupportedCompressionException.class, view::records);
        assertTrue(e.getMessage().contains("codec " + id), e.getMessage());
        assertThrows(UnsupportedCompressionException.class, view::compression);
    }

    @ParameterizedTest
    @EnumSource(value = CompressionCodec.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void incompressibleRecordsThatFillTheCapacityAreWrittenUncompressedAndStillRead(final CompressionCodec codec)
    {
        final byte[] noise = new byte[4024];
        new Random(9).nextBytes(noise);
        final ByteBuffer buffer = ByteBuffer.allocate(4096);
        final RecordBatchBuilder builder = new RecordBatchBuilder().begin(buffer, 0, buffer.capacity()).compression(codec);
        assertTrue(builder.append(5, null, noise));
        assertTrue(builder.sizeInBytes() > buffer.capacity() - 4, "the record fills the batch: " + builder.sizeInBytes());
        final int size = builder.finish();
        assertTrue(size <= buffer.capacity());
        final MutableRecordBatch theirs = MemoryRecords.readableRecords(buffer.duplicate().limit(size)).batches().iterator().next();
        theirs.ensureValid();
        assertEquals(CompressionType.NONE, theirs.compressionType(), "compressed it would not fit the capacity");
        final Record record = new RecordBatch().wrap(buffer, 0).records();
        assertTrue(record.next());
        assertArrayEquals(noise, record.value());
    }

    @ParameterizedTest
    @EnumSource(value = CompressionCodec.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void finishingAgainForARetryRewritesTheHeaderAndKeepsTheCompressedRecords(final CompressionCodec codec)
    {
        final List<SimpleRecord> records = records(200, 6);
        final ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
        final RecordBatchBuilder builder = new RecordBatchBuilder().begin(buffer, 0, buffer.capacity()).compression(codec).baseOffset(BASE_OFFSET);
        for (final SimpleRecord r : records)
        {
            builder.append(r.timestamp(), bytes(r.key()), bytes(r.value()), null);
        }
        final int first = builder.producer(7, (short)0, 3).finish();
        final int second = builder.producer(7, (short)0, 0).finish();
        assertEquals(first, second);
        final RecordBatch view = new RecordBatch().wrap(buffer, 0);
        view.validate(second, Integer.MAX_VALUE);
        assertEquals(0, view.baseSequence());
        assertEquals(codec, view.compression());
        final Record record = view.records();
        for (final SimpleRecord r : records)
        {
            assertTrue(record.next());
            assertArrayEquals(bytes(r.value()), record.value());
        }
        assertFalse(record.next());
    }
}
