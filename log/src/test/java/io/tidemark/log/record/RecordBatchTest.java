package io.tidemark.log.record;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecordBatchTest
{
    private final ByteBuffer buffer = ByteBuffer.allocate(4096);
    private final RecordBatch view = new RecordBatch();

    private int threeRecords()
    {
        final RecordBatchBuilder builder = new RecordBatchBuilder().begin(buffer, 0, buffer.capacity());
        for (int i = 0; i < 3; i++)
        {
            assertTrue(builder.append(1000 + i, ("k" + i).getBytes(StandardCharsets.UTF_8), ("v" + i).getBytes(StandardCharsets.UTF_8)));
        }
        return builder.finish();
    }

    @Test
    void aFlippedByteAnywhereUnderTheCrcIsDetected()
    {
        final int size = threeRecords();
        for (int i = RecordBatchLayout.ATTRIBUTES_OFFSET; i < size; i++)
        {
            buffer.put(i, (byte)(buffer.get(i) ^ 0x10));
            final CorruptRecordException e = assertThrows(CorruptRecordException.class, () -> view.wrap(buffer, 0).validate(size, 1 << 20));
            assertTrue(e.getMessage().contains("CRC mismatch"), e.getMessage());
            buffer.put(i, (byte)(buffer.get(i) ^ 0x10));
        }
        view.wrap(buffer, 0).validate(size, 1 << 20);
    }

    @Test
    void truncatedOversizedAndForeignBatchesAreRejectedWithTheReason()
    {
        final int size = threeRecords();
        assertTrue(assertThrows(CorruptRecordException.class, () -> view.wrap(buffer, 0).validate(size - 1, 1 << 20))
            .getMessage().contains("truncated"));
        assertTrue(assertThrows(CorruptRecordException.class, () -> view.wrap(buffer, 0).validate(5, 1 << 20))
            .getMessage().contains("truncated"));
        assertTrue(assertThrows(CorruptRecordException.class, () -> view.wrap(buffer, 0).validate(size, size - 1))
            .getMessage().contains("exceeds the limit"));
        buffer.put(RecordBatchLayout.MAGIC_OFFSET, (byte)1);
        assertTrue(assertThrows(CorruptRecordException.class, () -> view.wrap(buffer, 0).validate(size, 1 << 20))
            .getMessage().contains("magic"));
    }

    @Test
    void rewritingTheBaseOffsetKeepsTheBatchValidAndShiftsEveryRecord()
    {
        final int size = threeRecords();
        view.wrap(buffer, 0).setBaseOffset(42);
        view.setPartitionLeaderEpoch(7);
        view.validate(size, 1 << 20);
        assertEquals(44, view.lastOffset());
        assertEquals(7, view.partitionLeaderEpoch());
        final Record record = view.records();
        for (long expected = 42; expected < 45; expected++)
        {
            assertTrue(record.next());
            assertEquals(expected, record.offset());
        }
        assertFalse(record.next());
    }

    @Test
    void logAppendTimeReplacesEveryRecordTimestampAndKeepsTheCrcValid()
    {
        final int size = threeRecords();
        view.wrap(buffer, 0).setLogAppendTime(5555);
        view.validate(size, 1 << 20);
        assertEquals(TimestampType.LOG_APPEND_TIME, view.timestampType());
        final Record record = view.records();
        while (record.next())
        {
            assertEquals(5555, record.timestamp());
        }
    }

    @Test
    void aRecordThatDoesNotFitIsRefusedAndLeavesTheBatchIntact()
    {
        final RecordBatchBuilder builder = new RecordBatchBuilder().begin(buffer, 0, 200);
        assertTrue(builder.append(1, null, new byte[100]));
        final int before = builder.sizeInBytes();
        assertFalse(builder.append(2, null, new byte[100]));
        assertEquals(before, builder.sizeInBytes());
        assertEquals(1, builder.recordCount());
        final int size = builder.finish();
        view.wrap(buffer, 0).validate(size, 1 << 20);
        assertEquals(1, view.recordCount());
    }

    @Test
    void aBufferCanBeReusedWhateverItsPositionAndLimit()
    {
        final RecordBatchBuilder builder = new RecordBatchBuilder();
        for (int round = 0; round < 3; round++)
        {
            buffer.position(7).limit(9);
            builder.begin(buffer, 0, buffer.capacity());
            for (int i = 0; i < 20; i++)
            {
                assertTrue(builder.append(i, null, new byte[50]));
            }
            final int size = builder.finish();
            assertEquals(7, buffer.position());
            assertEquals(9, buffer.limit());
            view.wrap(buffer, 0).validate(size, 1 << 20);
            assertEquals(20, view.recordCount());
        }
    }

    @Test
    void anEmptyBatchCannotBeFinished()
    {
        final RecordBatchBuilder builder = new RecordBatchBuilder().begin(buffer, 0, 200);
        assertThrows(IllegalStateException.class, builder::finish);
    }

    @Test
    void aRecordLengthThatLiesIsCaughtWhileWalking()
    {
        final int size = threeRecords();
        // The first record's length varint: make it claim more than the batch holds.
        buffer.put(RecordBatchLayout.RECORDS_OFFSET, (byte)0x7E);
        final Record record = view.wrap(buffer, 0).records();
        assertThrows(CorruptRecordException.class, record::next);
        assertTrue(size > 0);
    }

    @Test
    void sequenceNumbersWrapPastIntegerMax()
    {
        final RecordBatchBuilder builder = new RecordBatchBuilder().begin(buffer, 0, buffer.capacity())
            .producer(1, (short)0, Integer.MAX_VALUE - 1);
        for (int i = 0; i < 4; i++)
        {
            builder.append(i, null, new byte[1]);
        }
        builder.finish();
        assertEquals(1, view.wrap(buffer, 0).lastSequence());
    }

    @Test
    void compressedBatchesAreWalkedLikePlainOnesAndAnUnknownCodecIsUnsupported()
    {
        for (final CompressionCodec codec : CompressionCodec.values())
        {
            final RecordBatchBuilder builder = new RecordBatchBuilder().begin(buffer, 0, buffer.capacity()).compression(codec).baseOffset(40);
            for (int i = 0; i < 3; i++)
            {
                assertTrue(builder.append(1000 + i, ("k" + i).getBytes(StandardCharsets.UTF_8), ("v" + i).getBytes(StandardCharsets.UTF_8)));
            }
            final int size = builder.finish();
            view.wrap(buffer, 0).validate(size, 1 << 20);
            assertEquals(codec, view.compression());
            final Record record = view.records();
            for (int i = 0; i < 3; i++)
            {
                assertTrue(record.next());
                assertEquals(40 + i, record.offset());
                assertEquals(1000 + i, record.timestamp());
                assertEquals("v" + i, new String(record.value(), StandardCharsets.UTF_8));
            }
            assertFalse(record.next());
        }
        buffer.putShort(RecordBatchLayout.ATTRIBUTES_OFFSET, (short)7);
        final UnsupportedCompressionException e = assertThrows(UnsupportedCompressionException.class, () -> view.wrap(buffer, 0).records());
        assertTrue(e.getMessage().contains("codec 7"), e.getMessage());
    }
}
