package io.tidemark.log.record;

import java.nio.ByteBuffer;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.ShortRange;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.EndTransactionMarker;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Transaction markers byte for byte as Kafka's broker writes them, and each side reads the other's. */
class ControlRecordKafkaOracleProperties
{
    @Property(tries = 300)
    void ourMarkerIsKafkasMarker(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE) final long producerId,
        @ForAll @ShortRange(min = 0) final short producerEpoch, @ForAll final int coordinatorEpoch, @ForAll final boolean commit,
        @ForAll @LongRange(min = 0, max = 1L << 45) final long timestamp)
    {
        final ByteBuffer ours = ByteBuffer.allocate(ControlRecord.MARKER_BATCH_SIZE);
        ours.limit(ControlRecord.writeMarker(new RecordBatchBuilder(), ours, producerId, producerEpoch,
            commit ? ControlRecord.COMMIT : ControlRecord.ABORT, coordinatorEpoch, timestamp));
        final MemoryRecords theirs = MemoryRecords.withEndTransactionMarker(0, timestamp, RecordBatchLayout.NO_PARTITION_LEADER_EPOCH,
            producerId, producerEpoch, new EndTransactionMarker(commit ? ControlRecordType.COMMIT : ControlRecordType.ABORT, coordinatorEpoch));
        assertEquals(theirs.buffer(), ours, "identical bytes");

        final MutableRecordBatch read = MemoryRecords.readableRecords(ours.duplicate()).batches().iterator().next();
        assertTrue(read.isControlBatch() && read.isTransactional());
        final EndTransactionMarker marker = EndTransactionMarker.deserialize(read.iterator().next());
        assertEquals(coordinatorEpoch, marker.coordinatorEpoch());
        assertEquals(commit ? ControlRecordType.COMMIT : ControlRecordType.ABORT, marker.controlType());

        final RecordBatch batch = new RecordBatch().wrap(theirs.buffer(), 0);
        final Record record = batch.records();
        assertTrue(record.next());
        assertEquals(commit ? ControlRecord.COMMIT : ControlRecord.ABORT, ControlRecord.type(record));
        assertEquals(coordinatorEpoch, ControlRecord.coordinatorEpoch(record));
    }
}
