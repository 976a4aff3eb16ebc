package io.tidemark.log.record;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;

import static io.tidemark.log.record.RecordBatchLayout.ATTRIBUTES_OFFSET;
import static io.tidemark.log.record.RecordBatchLayout.OPEN_FLAG_MASK;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A batch grown open one record at a time ({@link RecordBatchBuilder#publishOpen}) is, once
 * sealed, byte for byte the batch built in one go; and the bytes a crash leaves after any
 * record, sealed by recovery ({@link RecordBatch#sealOpen}), are byte for byte the batch of
 * the records up to it, which Kafka's own reader accepts.
 */
class OpenBatchProperties
{
    record TestRecord(long timestamp, byte[] key, byte[] value)
    {
    }

    @Provide
    Arbitrary<List<TestRecord>> records()
    {
        final Arbitrary<byte[]> bytes = Arbitraries.bytes().array(byte[].class).ofMaxSize(300).injectNull(0.2);
        return Combinators.combine(Arbitraries.longs().between(0, 1L << 42), bytes, bytes).as(TestRecord::new)
            .list().ofMinSize(1).ofMaxSize(40);
    }

    private static final int CAPACITY = 40 * 640 + 61;

    private static byte[] builtInOneGo(final List<TestRecord> records, final long baseOffset)
    {
        final ByteBuffer buffer = ByteBuffer.allocate(CAPACITY);
        final RecordBatchBuilder builder = new RecordBatchBuilder().begin(buffer, 0, CAPACITY).baseOffset(baseOffset).partitionLeaderEpoch(0);
        records.forEach(r -> assertTrue(builder.append(r.timestamp(), r.key(), r.value())));
        return Arrays.copyOf(buffer.array(), builder.finish());
    }

    @Property(tries = 300)
    void aSealedOpenBatchIsTheBatchBuiltInOneGo(@ForAll("records") final List<TestRecord> records, @ForAll @IntRange(min = 3, max = 50) final int at)
    {
        final ByteBuffer buffer = ByteBuffer.allocate(at + CAPACITY);
        final RecordBatchBuilder builder = new RecordBatchBuilder().begin(buffer, at, CAPACITY).baseOffset(1000).partitionLeaderEpoch(0);
        for (final TestRecord r : records)
        {
            assertTrue(builder.append(r.timestamp(), r.key(), r.value()));
            final int size = builder.publishOpen();
            assertEquals(size - RecordBatchLayout.LOG_OVERHEAD, buffer.getInt(at + RecordBatchLayout.LENGTH_OFFSET), "the length covers every record");
            assertTrue((buffer.getShort(at + ATTRIBUTES_OFFSET) & OPEN_FLAG_MASK) != 0);
        }
        final int size = builder.finish();
        assertArrayEquals(builtInOneGo(records, 1000), Arrays.copyOfRange(buffer.array(), at, at + size));
    }

    @Property(tries = 200)
    void recoveryFinishesASealTheCrashInterruptedBeforeItsLastStore(@ForAll("records") final List<TestRecord> records)
    {
        final byte[] sealed = builtInOneGo(records, 3);
        // All of the seal written but its last store: the attributes still carry the open flag.
        final ByteBuffer file = ByteBuffer.wrap(Arrays.copyOf(sealed, sealed.length + 100));
        file.putShort(ATTRIBUTES_OFFSET, (short)(file.getShort(ATTRIBUTES_OFFSET) | OPEN_FLAG_MASK));
        final RecordBatch view = new RecordBatch().wrap(file, 0);
        assertTrue(view.isOpen());
        view.sealOpen(file.capacity());
        assertArrayEquals(sealed, Arrays.copyOf(file.array(), sealed.length));
    }

    @Property(tries = 200)
    void anOpenFlaggedBatchWhoseCrcDoesNotMatchIsCorrupt(@ForAll("records") final List<TestRecord> records, @ForAll @IntRange(min = 61, max = 200) final int flipAt)
    {
        final byte[] sealed = builtInOneGo(records, 3);
        final ByteBuffer file = ByteBuffer.wrap(Arrays.copyOf(sealed, sealed.length));
        file.putShort(ATTRIBUTES_OFFSET, (short)(file.getShort(ATTRIBUTES_OFFSET) | OPEN_FLAG_MASK));
        final int at = flipAt % sealed.length;
        if (at < RecordBatchLayout.RECORDS_OFFSET)
        {
            return; // the header; records are what this property damages
        }
        file.put(at, (byte)(file.get(at) ^ 0x10));
        assertThrows(CorruptRecordException.class, () -> new RecordBatch().wrap(file, 0).sealOpen(file.capacity()));
    }

    @Property(tries = 300)
    void recoverySealsWhatACrashLeavesAfterAnyRecord(@ForAll("records") final List<TestRecord> records, @ForAll @IntRange(min = 1, max = 40) final int kept)
    {
        final int count = Math.min(kept, records.size());
        final ByteBuffer buffer = ByteBuffer.allocate(CAPACITY);
        final RecordBatchBuilder builder = new RecordBatchBuilder().begin(buffer, 0, CAPACITY).baseOffset(7).partitionLeaderEpoch(0);
        int size = 0;
        for (int i = 0; i < count; i++)
        {
            builder.append(records.get(i).timestamp(), records.get(i).key(), records.get(i).value());
            size = builder.publishOpen();
        }
        if (count < records.size())
        {
            // the next record's bytes, written before the length could move over them
            final TestRecord next = records.get(count);
            builder.append(next.timestamp(), next.key(), next.value());
        }
        final ByteBuffer file = ByteBuffer.wrap(Arrays.copyOf(buffer.array(), buffer.capacity()));
        final RecordBatch view = new RecordBatch().wrap(file, 0);
        assertTrue(view.isOpen());
        assertEquals(size, view.sizeInBytes(), "the length stops before the record caught half way");
        view.sealOpen(file.capacity());
        view.validate(size, Integer.MAX_VALUE);
        final byte[] sealed = Arrays.copyOf(file.array(), size);
        assertArrayEquals(builtInOneGo(records.subList(0, count), 7), sealed);

        final MutableRecordBatch theirs = MemoryRecords.readableRecords(ByteBuffer.wrap(sealed)).batches().iterator().next();
        theirs.ensureValid();
        assertEquals(7 + count - 1, theirs.lastOffset());
    }
}
