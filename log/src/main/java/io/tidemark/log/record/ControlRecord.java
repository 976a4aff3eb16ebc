package io.tidemark.log.record;

import java.nio.ByteBuffer;

/**
 * The one record of a transaction marker, Kafka's control record: its key is an int16 version
 * (0) and an int16 type ({@link #ABORT} or {@link #COMMIT}); its value an int16 version (0) and
 * the int32 epoch of the coordinator that wrote it. A control batch (transactional and control
 * flags, producer id and epoch, base sequence -1) holds exactly one.
 */
public final class ControlRecord
{
    /** The type of an abort marker. */
    public static final short ABORT = 0;
    /** The type of a commit marker. */
    public static final short COMMIT = 1;
    /** Room enough for a marker batch, header included: what {@link #writeMarker} needs. */
    public static final int MARKER_BATCH_SIZE = RecordBatchLayout.HEADER_SIZE + 32;

    private static final short VERSION = 0;
    private static final int KEY_SIZE = 4;
    private static final int VALUE_SIZE = 6;

    private ControlRecord()
    {
    }

    /**
     * Writes a marker batch at the start of {@code buffer}.
     *
     * @param builder the builder to write with.
     * @param buffer where to write; at least {@link #MARKER_BATCH_SIZE} bytes.
     * @param producerId the transaction's producer.
     * @param producerEpoch its epoch.
     * @param type {@link #ABORT} or {@link #COMMIT}.
     * @param coordinatorEpoch the epoch of the coordinator that ends the transaction.
     * @param timestamp the record's timestamp.
     * @return the size of the batch written.
     */
    public static int writeMarker(final RecordBatchBuilder builder, final ByteBuffer buffer, final long producerId,
        final short producerEpoch, final short type, final int coordinatorEpoch, final long timestamp)
    {
        final byte[] key = ByteBuffer.allocate(KEY_SIZE).putShort(VERSION).putShort(type).array();
        final byte[] value = ByteBuffer.allocate(VALUE_SIZE).putShort(VERSION).putInt(coordinatorEpoch).array();
        builder.begin(buffer, 0, MARKER_BATCH_SIZE)
            .producer(producerId, producerEpoch, RecordBatchLayout.NO_SEQUENCE)
            .transactional(true)
            .control(true)
            .append(timestamp, key, value);
        return builder.finish();
    }

    /**
     * Reads the type of a control record, the record a control batch's cursor stands on.
     *
     * @param record the record, after {@link Record#next()}.
     * @return the type: {@link #ABORT}, {@link #COMMIT}, or another one a newer format defines
     *         (a reader skips those).
     * @throws CorruptRecordException if the key is too short for a control record's.
     */
    public static short type(final Record record)
    {
        if (record.keyLength() < KEY_SIZE)
        {
            throw new CorruptRecordException("control record at offset " + record.offset() + " has a key of " + record.keyLength() +
                " bytes, fewer than " + KEY_SIZE);
        }
        return record.buffer().getShort(record.keyOffset() + 2);
    }

    /**
     * Reads the coordinator epoch a marker carries.
     *
     * @param record the record, after {@link Record#next()}.
     * @return the coordinator epoch.
     * @throws CorruptRecordException if the value is too short for a marker's.
     */
    public static int coordinatorEpoch(final Record record)
    {
        if (record.valueLength() < VALUE_SIZE)
        {
            throw new CorruptRecordException("control record at offset " + record.offset() + " has a value of " +
                record.valueLength() + " bytes, fewer than " + VALUE_SIZE);
        }
        return record.buffer().getInt(record.valueOffset() + 2);
    }

    /**
     * Reads the type of the marker a whole control batch holds.
     *
     * @param batch a control batch, its records in the buffer.
     * @return the type of its first record.
     * @throws CorruptRecordException if it holds no record or the record is malformed.
     */
    public static short type(final RecordBatch batch)
    {
        final Record record = batch.records();
        if (!record.next())
        {
            throw new CorruptRecordException("control batch at offset " + batch.baseOffset() + " holds no record");
        }
        return type(record);
    }
}
