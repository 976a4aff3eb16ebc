package io.tidemark.log.record;

/**
 * The on-disk and on-wire layout of a record batch, Kafka's format v2 (magic 2). All integers
 * are big-endian. A batch is a fixed 61-byte header followed by {@code recordCount} records:
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                     Base Offset (int64)                       |  0
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |     Batch Length (int32): bytes after this field              |  8
 *  +---------------------------------------------------------------+
 *  |                 Partition Leader Epoch (int32)                |  12
 *  +---------------+-----------------------------------------------+
 *  | Magic (int8)  |              CRC32C (uint32) ...              |  16
 *  +---------------+---------------+-------------------------------+
 *  |     ... CRC   |  Attributes (int16)   | Last Offset Delta ... |  20
 *  +---------------------------------------------------------------+
 *  |  ... (int32)  |  Base Timestamp (int64) ...                   |  24
 *  |               |  Max Timestamp (int64) at 35 ...              |
 *  |               |  Producer Id (int64) at 43 ...                |
 *  |               |  Producer Epoch (int16) at 51                 |
 *  |               |  Base Sequence (int32) at 53                  |
 *  |               |  Record Count (int32) at 57                   |
 *  +---------------------------------------------------------------+
 *  |  Records ... from 61                                          |
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * The CRC covers everything from the attributes to the end of the batch, so the fields before
 * it (base offset, length, leader epoch) can be rewritten by the log without recomputing it.
 *
 * <p>Attributes: bits 0-2 compression codec (0 none), bit 3 timestamp type (0 create time,
 * 1 log-append time), bit 4 transactional, bit 5 control batch, bit 6 delete horizon set.
 *
 * <p>A record inside the batch, all variable-length integers zig-zag encoded:
 *
 * <pre>
 *  length: varint            (bytes after this field)
 *  attributes: int8          (unused, 0)
 *  timestampDelta: varlong   (from the batch's base timestamp)
 *  offsetDelta: varint       (from the batch's base offset)
 *  keyLength: varint         (-1 for a null key)
 *  key: byte[keyLength]
 *  valueLength: varint       (-1 for a null value)
 *  value: byte[valueLength]
 *  headerCount: varint
 *  headers: [headerKeyLength: varint, headerKey: UTF-8, headerValueLength: varint, value]
 * </pre>
 */
public final class RecordBatchLayout
{
    /** Offset of the first record's offset in the log. */
    public static final int BASE_OFFSET_OFFSET = 0;
    /** Offset of the length of the batch, counted after this field. */
    public static final int LENGTH_OFFSET = 8;
    /** Offset of the leader epoch of the partition when the batch was appended. */
    public static final int PARTITION_LEADER_EPOCH_OFFSET = 12;
    /** Offset of the magic byte, always {@link #MAGIC} here. */
    public static final int MAGIC_OFFSET = 16;
    /** Offset of the CRC32C of the bytes from {@link #ATTRIBUTES_OFFSET} to the end. */
    public static final int CRC_OFFSET = 17;
    /** Offset of the attribute bits. */
    public static final int ATTRIBUTES_OFFSET = 21;
    /** Offset of the offset delta of the last record. */
    public static final int LAST_OFFSET_DELTA_OFFSET = 23;
    /** Offset of the timestamp of the first record. */
    public static final int BASE_TIMESTAMP_OFFSET = 27;
    /** Offset of the largest timestamp in the batch (or the log-append time). */
    public static final int MAX_TIMESTAMP_OFFSET = 35;
    /** Offset of the producer id, -1 if none. */
    public static final int PRODUCER_ID_OFFSET = 43;
    /** Offset of the producer epoch, -1 if none. */
    public static final int PRODUCER_EPOCH_OFFSET = 51;
    /** Offset of the sequence number of the first record, -1 if none. */
    public static final int BASE_SEQUENCE_OFFSET = 53;
    /** Offset of the number of records. */
    public static final int RECORD_COUNT_OFFSET = 57;
    /** Offset of the first record; also the size of the header. */
    public static final int RECORDS_OFFSET = 61;
    /** Size of the header. */
    public static final int HEADER_SIZE = RECORDS_OFFSET;
    /** Bytes before the length field ends: base offset and length. */
    public static final int LOG_OVERHEAD = LENGTH_OFFSET + 4;

    /** The only magic value this layout describes. */
    public static final byte MAGIC = 2;

    /** Mask of the compression codec bits in the attributes. */
    public static final int COMPRESSION_CODEC_MASK = 0x07;
    /** Bit set when timestamps are log-append times. */
    public static final int TIMESTAMP_TYPE_MASK = 0x08;
    /** Bit set when the batch belongs to a transaction. */
    public static final int TRANSACTIONAL_FLAG_MASK = 0x10;
    /** Bit set when the batch holds control records (commit and abort markers). */
    public static final int CONTROL_FLAG_MASK = 0x20;
    /** Bit set when the base timestamp holds a delete horizon (compaction). */
    public static final int DELETE_HORIZON_FLAG_MASK = 0x40;
    /**
     * Bit set, in a log file only, on a batch still growing in place at the end of the active
     * segment, one record per append ({@link RecordBatchBuilder#publishOpen}): its length covers
     * the records appended so far, its CRC and counts are not written yet. The log seals it before
     * any reader sees it; after a crash, recovery seals it ({@link RecordBatch#sealOpen}). A batch
     * that arrives with it set is refused. Kafka leaves the bits above 6 unused.
     */
    public static final int OPEN_FLAG_MASK = 0x4000;

    /** Producer id, epoch and sequence of a batch written without a producer identity. */
    public static final long NO_PRODUCER_ID = -1L;
    /** See {@link #NO_PRODUCER_ID}. */
    public static final short NO_PRODUCER_EPOCH = -1;
    /** See {@link #NO_PRODUCER_ID}. */
    public static final int NO_SEQUENCE = -1;
    /** The leader epoch producers send; the log replaces it. */
    public static final int NO_PARTITION_LEADER_EPOCH = -1;
    /** A timestamp that is not set. */
    public static final long NO_TIMESTAMP = -1L;

    private RecordBatchLayout()
    {
    }

    /**
     * The total size in bytes of a batch whose length field holds {@code batchLength}.
     *
     * @param batchLength the value of the length field.
     * @return the size of the whole batch, header included.
     */
    public static int batchSize(final int batchLength)
    {
        return LOG_OVERHEAD + batchLength;
    }
}
