package io.tidemark.log.record;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.RecordBatch;

import static io.tidemark.log.record.KafkaOracle.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Our record batch writer and reader against kafka-clients' own, the oracle for format v2:
 * what we write Kafka reads, what Kafka writes we read, and both write the same bytes.
 */
class RecordBatchKafkaOracleProperties
{
    record TestRecord(long timestamp, byte[] key, byte[] value, List<Header> headers)
    {
    }

    record TestBatch(long baseOffset, long producerId, short producerEpoch, int baseSequence,
                     boolean transactional, boolean logAppendTime, int leaderEpoch, List<TestRecord> records)
    {
    }

    @Property(tries = 300)
    void kafkaReadsWhatWeWrite(@ForAll("batches") final TestBatch batch)
    {
        final ByteBuffer ours = writeOurs(batch);
        final MemoryRecords records = MemoryRecords.readableRecords(ours);
        final Iterator<MutableRecordBatch> batches = records.batches().iterator();
        final MutableRecordBatch theirs = batches.next();
        assertFalse(batches.hasNext());

        theirs.ensureValid();
        assertEquals(RecordBatch.MAGIC_VALUE_V2, theirs.magic());
        assertEquals(batch.baseOffset(), theirs.baseOffset());
        assertEquals(batch.baseOffset() + batch.records().size() - 1, theirs.lastOffset());
        assertEquals(batch.producerId(), theirs.producerId());
        assertEquals(batch.producerEpoch(), theirs.producerEpoch());
        assertEquals(batch.baseSequence(), theirs.baseSequence());
        assertEquals(batch.transactional(), theirs.isTransactional());
        assertEquals(batch.leaderEpoch(), theirs.partitionLeaderEpoch());
        assertEquals(batch.records().size(), theirs.countOrNull());

        int i = 0;
        for (final org.apache.kafka.common.record.internal.Record record : theirs)
        {
            final TestRecord expected = batch.records().get(i);
            assertEquals(batch.baseOffset() + i, record.offset());
            if (!batch.logAppendTime())
            {
                assertEquals(expected.timestamp(), record.timestamp());
            }
            assertArrayEquals(expected.key(), bytes(record.key()));
            assertArrayEquals(expected.value(), bytes(record.value()));
            assertEquals(expected.headers().size(), record.headers().length);
            for (int h = 0; h < expected.headers().size(); h++)
            {
                assertEquals(expected.headers().get(h).key(), record.headers()[h].key());
                assertArrayEquals(expected.headers().get(h).value(), record.headers()[h].value());
            }
            i++;
        }
        assertEquals(batch.records().size(), i);
    }

    @Property(tries = 300)
    void weReadWhatKafkaWritesByteForByte(@ForAll("batches") final TestBatch batch)
    {
        final ByteBuffer theirs = writeKafka(batch);
        final ByteBuffer ours = writeOurs(batch);
        assertEquals(theirs, ours, "identical encoding");

        final io.tidemark.log.record.RecordBatch view = new io.tidemark.log.record.RecordBatch().wrap(theirs, 0);
        view.validate(theirs.remaining(), Integer.MAX_VALUE);
        assertEquals(theirs.remaining(), view.sizeInBytes());
        assertEquals(batch.baseOffset(), view.baseOffset());
        assertEquals(batch.producerId(), view.producerId());
        assertEquals(batch.producerEpoch(), view.producerEpoch());
        assertEquals(batch.baseSequence(), view.baseSequence());
        assertEquals(batch.transactional(), view.isTransactional());
        assertEquals(batch.logAppendTime() ? TimestampType.LOG_APPEND_TIME : TimestampType.CREATE_TIME, view.timestampType());
        assertEquals(batch.records().size(), view.recordCount());

        final Record record = view.records();
        for (int i = 0; i < batch.records().size(); i++)
        {
            assertTrue(record.next());
            final TestRecord expected = batch.records().get(i);
            assertEquals(batch.baseOffset() + i, record.offset());
            assertEquals(batch.logAppendTime() ? LOG_APPEND_TIME : expected.timestamp(), record.timestamp());
            assertArrayEquals(expected.key(), record.key());
            assertArrayEquals(expected.value(), record.value());
            assertEquals(expected.headers(), record.headers());
        }
        assertFalse(record.next());
    }

    private static final long LOG_APPEND_TIME = 1_700_000_000_123L;

    private static ByteBuffer writeOurs(final TestBatch batch)
    {
        final ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
        final RecordBatchBuilder builder = new RecordBatchBuilder().begin(buffer, 0, buffer.capacity())
            .baseOffset(batch.baseOffset())
            .producer(batch.producerId(), batch.producerEpoch(), batch.baseSequence())
            .transactional(batch.transactional())
            .partitionLeaderEpoch(batch.leaderEpoch());
        for (final TestRecord r : batch.records())
        {
            assertTrue(builder.append(r.timestamp(), r.key(), r.value(), r.headers().toArray(Header[]::new)));
        }
        final int size = builder.finish();
        if (batch.logAppendTime())
        {
            new io.tidemark.log.record.RecordBatch().wrap(buffer, 0).setLogAppendTime(LOG_APPEND_TIME);
        }
        return buffer.limit(size);
    }

    private static ByteBuffer writeKafka(final TestBatch batch)
    {
        final ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
        final MemoryRecordsBuilder builder = MemoryRecords.builder(buffer, RecordBatch.MAGIC_VALUE_V2, Compression.NONE,
            batch.logAppendTime() ? org.apache.kafka.common.record.TimestampType.LOG_APPEND_TIME
                : org.apache.kafka.common.record.TimestampType.CREATE_TIME,
            batch.baseOffset(), LOG_APPEND_TIME, batch.producerId(), batch.producerEpoch(), batch.baseSequence(),
            batch.transactional(), false, batch.leaderEpoch());
        long offset = batch.baseOffset();
        for (final TestRecord r : batch.records())
        {
            final org.apache.kafka.common.header.Header[] headers = r.headers().stream()
                .map(h -> new RecordHeader(h.key(), h.value())).toArray(org.apache.kafka.common.header.Header[]::new);
            builder.appendWithOffset(offset++, r.timestamp(), r.key(), r.value(), headers);
        }
        return builder.build().buffer();
    }

    @Provide
    Arbitrary<TestBatch> batches()
    {
        final Arbitrary<byte[]> nullableBytes = Arbitraries.bytes().array(byte[].class).ofMaxSize(300).injectNull(0.2);
        final Arbitrary<Header> header = Combinators.combine(
            Arbitraries.strings().ofMaxLength(20), Arbitraries.bytes().array(byte[].class).ofMaxSize(20).injectNull(0.2))
            .as(Header::new);
        final Arbitrary<TestRecord> record = Combinators.combine(
            Arbitraries.longs().between(0, 4_000_000_000_000L), nullableBytes, nullableBytes, header.list().ofMaxSize(3))
            .as(TestRecord::new);
        final Arbitrary<Boolean> withProducer = Arbitraries.of(true, false);
        return Combinators.combine(
            Arbitraries.longs().between(0, Long.MAX_VALUE / 2),
            withProducer,
            Arbitraries.longs().between(0, Long.MAX_VALUE / 2),
            Arbitraries.shorts().between((short)0, Short.MAX_VALUE),
            Arbitraries.integers().between(0, Integer.MAX_VALUE - 1000),
            Arbitraries.of(true, false),
            Arbitraries.integers().between(-1, 1000),
            record.list().ofMinSize(1).ofMaxSize(40))
            .as((baseOffset, producer, pid, epoch, seq, logAppend, leaderEpoch, records) -> new TestBatch(
                baseOffset,
                producer ? pid : RecordBatchLayout.NO_PRODUCER_ID,
                producer ? epoch : RecordBatchLayout.NO_PRODUCER_EPOCH,
                producer ? seq : RecordBatchLayout.NO_SEQUENCE,
                producer && seq % 2 == 0,
                logAppend,
                leaderEpoch,
                records));
    }
}
