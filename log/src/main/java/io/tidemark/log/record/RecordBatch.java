package io.tidemark.log.record;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

import static io.tidemark.log.record.RecordBatchLayout.*;

/**
 * A reusable view of one record batch inside a buffer (a flyweight): wrap it over the bytes,
 * read the header fields, check it, and walk its records with {@link #records()}. The records
 * of an uncompressed batch are read where they lie: nothing is copied and nothing is allocated
 * per batch or per record. Those of a compressed batch are decompressed once per batch, into a
 * buffer the view owns and reuses, and read there.
 *
 * <p>The layout is drawn in {@link RecordBatchLayout}. A view is for one thread at a time; it
 * reads through its own duplicate of the wrapped buffer, so the buffer's position and limit
 * are never touched.
 */
public final class RecordBatch
{
    private final CRC32C crc = new CRC32C();
    private final Record record = new Record();
    /** The decompressed records of the wrapped batch, made on the first compressed batch. */
    private RecordsBuffer decompressed;
    /** Whether {@link #decompressed} holds the wrapped batch's records. */
    private boolean decoded;
    private ByteBuffer source;
    private ByteBuffer buffer;
    private int offset;

    /**
     * Points this view at the batch that starts at {@code offset} in {@code buffer}. Nothing is
     * checked here: call {@link #validate} before trusting the fields of unchecked bytes.
     *
     * @param buffer the bytes; only its content is read.
     * @param offset the absolute index of the batch's first byte.
     * @return this view.
     */
    public RecordBatch wrap(final ByteBuffer buffer, final int offset)
    {
        if (buffer != source)
        {
            source = buffer;
            this.buffer = buffer.duplicate().clear();
        }
        this.offset = offset;
        this.decoded = false;
        return this;
    }

    /**
     * The buffer this view reads, in big-endian order and with position 0 and limit at its
     * capacity; indexes given by this view and by {@link Record} are absolute in it.
     *
     * @return the buffer.
     */
    public ByteBuffer buffer()
    {
        return buffer;
    }

    /**
     * @return the absolute index of the batch's first byte.
     */
    public int offset()
    {
        return offset;
    }

    /**
     * @return the size of the whole batch, header included.
     */
    public int sizeInBytes()
    {
        return batchSize(buffer.getInt(offset + LENGTH_OFFSET));
    }

    /**
     * @return the offset of the first record.
     */
    public long baseOffset()
    {
        return buffer.getLong(offset + BASE_OFFSET_OFFSET);
    }

    /**
     * @return the offset of the last record.
     */
    public long lastOffset()
    {
        return baseOffset() + lastOffsetDelta();
    }

    /**
     * @return the offset of the last record minus the offset of the first.
     */
    public int lastOffsetDelta()
    {
        return buffer.getInt(offset + LAST_OFFSET_DELTA_OFFSET);
    }

    /**
     * @return the leader epoch stamped when the batch was appended.
     */
    public int partitionLeaderEpoch()
    {
        return buffer.getInt(offset + PARTITION_LEADER_EPOCH_OFFSET);
    }

    /**
     * @return the format version; 2 for every batch this view understands.
     */
    public byte magic()
    {
        return buffer.get(offset + MAGIC_OFFSET);
    }

    /**
     * @return the CRC32C stored in the batch, as an unsigned value.
     */
    public long storedCrc()
    {
        return buffer.getInt(offset + CRC_OFFSET) & 0xFFFF_FFFFL;
    }

    /**
     * @return the raw attribute bits.
     */
    public int attributes()
    {
        return buffer.getShort(offset + ATTRIBUTES_OFFSET);
    }

    /**
     * @return the compression codec id: 0 none, 1 gzip, 2 snappy, 3 lz4, 4 zstd; 5 to 7 name
     *         no codec.
     */
    public int compressionCodec()
    {
        return attributes() & COMPRESSION_CODEC_MASK;
    }

    /**
     * @return the codec the records are compressed with.
     * @throws UnsupportedCompressionException if the attributes name no codec.
     */
    public CompressionCodec compression()
    {
        return CompressionCodec.forId(compressionCodec(), baseOffset());
    }

    /**
     * @return whose clock the timestamps come from.
     */
    public TimestampType timestampType()
    {
        return (attributes() & TIMESTAMP_TYPE_MASK) == 0 ? TimestampType.CREATE_TIME : TimestampType.LOG_APPEND_TIME;
    }

    /**
     * @return true if the batch belongs to a transaction.
     */
    public boolean isTransactional()
    {
        return (attributes() & TRANSACTIONAL_FLAG_MASK) != 0;
    }

    /**
     * @return true if the batch holds control records (transaction markers).
     */
    public boolean isControl()
    {
        return (attributes() & CONTROL_FLAG_MASK) != 0;
    }

    /**
     * @return the timestamp the record timestamps are deltas from.
     */
    public long baseTimestamp()
    {
        return buffer.getLong(offset + BASE_TIMESTAMP_OFFSET);
    }

    /**
     * @return the largest record timestamp, or the log-append time for such batches.
     */
    public long maxTimestamp()
    {
        return buffer.getLong(offset + MAX_TIMESTAMP_OFFSET);
    }

    /**
     * @return the producer id, or {@link RecordBatchLayout#NO_PRODUCER_ID}.
     */
    public long producerId()
    {
        return buffer.getLong(offset + PRODUCER_ID_OFFSET);
    }

    /**
     * @return the producer epoch, or {@link RecordBatchLayout#NO_PRODUCER_EPOCH}.
     */
    public short producerEpoch()
    {
        return buffer.getShort(offset + PRODUCER_EPOCH_OFFSET);
    }

    /**
     * @return the sequence number of the first record, or {@link RecordBatchLayout#NO_SEQUENCE}.
     */
    public int baseSequence()
    {
        return buffer.getInt(offset + BASE_SEQUENCE_OFFSET);
    }

    /**
     * @return the sequence number of the last record, wrapping past Integer.MAX_VALUE as
     *         Kafka's do, or {@link RecordBatchLayout#NO_SEQUENCE}.
     */
    public int lastSequence()
    {
        final int base = baseSequence();
        if (base == NO_SEQUENCE)
        {
            return NO_SEQUENCE;
        }
        final long last = (long)base + lastOffsetDelta();
        return (int)(last > Integer.MAX_VALUE ? last - Integer.MAX_VALUE - 1 : last);
    }

    /**
     * @return how many records the batch holds.
     */
    public int recordCount()
    {
        return buffer.getInt(offset + RECORD_COUNT_OFFSET);
    }

    /**
     * Computes the CRC32C of the bytes the stored CRC covers.
     *
     * @return the checksum, as an unsigned value.
     */
    public long computeCrc()
    {
        final int end = offset + sizeInBytes();
        buffer.limit(end).position(offset + ATTRIBUTES_OFFSET);
        crc.reset();
        crc.update(buffer);
        buffer.clear();
        return crc.getValue();
    }

    /**
     * Checks that a whole, well-formed batch starts here: the length fits in the
     * {@code available} bytes and in {@code maxBatchSize}, the magic is 2, the record count
     * agrees with the last offset delta (a batch may hold none: the log cleaner keeps a
     * producer's emptied last batch for its sequences, as Kafka does), and the CRC matches.
     * Records themselves are checked as {@link #records()} walks them.
     *
     * @param available how many bytes from the batch's start are present.
     * @param maxBatchSize the largest batch accepted.
     * @throws CorruptRecordException describing the first problem found.
     */
    public void validate(final int available, final int maxBatchSize)
    {
        if (available < LOG_OVERHEAD)
        {
            throw new CorruptRecordException("truncated batch: " + available + " bytes, less than the " + LOG_OVERHEAD + "-byte log overhead");
        }
        final int length = buffer.getInt(offset + LENGTH_OFFSET);
        if (length < HEADER_SIZE - LOG_OVERHEAD)
        {
            throw new CorruptRecordException("batch length " + length + " is smaller than a batch header");
        }
        final long size = (long)LOG_OVERHEAD + length;
        if (size > maxBatchSize)
        {
            throw new CorruptRecordException("batch of " + size + " bytes exceeds the limit of " + maxBatchSize + " bytes");
        }
        if (size > available)
        {
            throw new CorruptRecordException("truncated batch: length says " + size + " bytes, only " + available + " present");
        }
        if (magic() != MAGIC)
        {
            throw new CorruptRecordException("unsupported magic " + magic() + " (only record batch format v2 is read)");
        }
        final long computed = computeCrc();
        if (computed != storedCrc())
        {
            throw new CorruptRecordException("CRC mismatch: stored " + storedCrc() + ", computed " + computed);
        }
        final int count = recordCount();
        if (count < 0 || (compressionCodec() == 0 && count - 1 > lastOffsetDelta()) || lastOffsetDelta() < 0)
        {
            throw new CorruptRecordException("record count " + count + " does not fit last offset delta " + lastOffsetDelta());
        }
    }

    /**
     * @return true if the batch is still open: growing in place at the end of a log file, its
     *         CRC and counts not yet written ({@link RecordBatchLayout#OPEN_FLAG_MASK}).
     */
    public boolean isOpen()
    {
        return (attributes() & OPEN_FLAG_MASK) != 0;
    }

    /**
     * Seals an open batch that a crash left at the end of a log file: its records are the whole
     * records within its length (the length moved only after each record's bytes were in
     * place), so they are walked and checked, and the record count, last offset delta, largest
     * timestamp and CRC written from them, then the flag cleared. An open batch has no CRC (0)
     * until it is sealed; one with a CRC is a seal the crash interrupted before clearing the
     * flag, which is then cleared if the CRC matches. The buffer must be writable.
     *
     * @param available the bytes from the batch's start to the end of what was read.
     * @throws CorruptRecordException if the length does not fit, the batch is compressed or
     *         carries a producer, or its records do not parse, do not fill the length or do not
     *         number 0, 1, 2 and on.
     */
    public void sealOpen(final int available)
    {
        final int length = buffer.getInt(offset + LENGTH_OFFSET);
        if (length < HEADER_SIZE - LOG_OVERHEAD || (long)LOG_OVERHEAD + length > available)
        {
            throw new CorruptRecordException("open batch length " + length + " does not fit the " + available + " bytes present");
        }
        if (magic() != MAGIC || compressionCodec() != 0 || producerId() != NO_PRODUCER_ID || isControl() || isTransactional())
        {
            throw new CorruptRecordException("an open batch must be of magic " + MAGIC + ", uncompressed and without producer");
        }
        final int sealedAttributes = attributes() & ~OPEN_FLAG_MASK;
        if (storedCrc() != 0)
        {
            // A seal the crash interrupted before its last store, the attributes: all the rest,
            // the CRC included, is written, and must match.
            buffer.putShort(offset + ATTRIBUTES_OFFSET, (short)sealedAttributes);
            if (computeCrc() != storedCrc())
            {
                throw new CorruptRecordException("open batch at offset " + baseOffset() + " has a CRC that does not match it sealed");
            }
            return;
        }
        final int end = offset + LOG_OVERHEAD + length;
        final long base = baseOffset();
        final long baseTimestamp = baseTimestamp();
        record.reset(buffer, offset + RECORDS_OFFSET, end, Integer.MAX_VALUE, base, baseTimestamp, NO_TIMESTAMP);
        int count = 0;
        long maxTimestamp = NO_TIMESTAMP;
        try
        {
            while (record.end() < end || count == 0)
            {
                record.next();
                if (record.offset() != base + count)
                {
                    throw new CorruptRecordException("its record " + count + " has offset delta " + (record.offset() - base));
                }
                maxTimestamp = Math.max(maxTimestamp, record.timestamp());
                count++;
            }
        }
        catch (final CorruptRecordException e)
        {
            throw new CorruptRecordException("open batch at offset " + base + ": " + e.getMessage());
        }
        buffer.putInt(offset + LAST_OFFSET_DELTA_OFFSET, count - 1);
        buffer.putLong(offset + MAX_TIMESTAMP_OFFSET, maxTimestamp);
        buffer.putInt(offset + RECORD_COUNT_OFFSET, count);
        buffer.putShort(offset + ATTRIBUTES_OFFSET, (short)sealedAttributes);
        buffer.putInt(offset + CRC_OFFSET, (int)computeCrc());
    }

    /**
     * Sets the offset of the first record; the CRC does not cover it.
     *
     * @param baseOffset the offset.
     */
    public void setBaseOffset(final long baseOffset)
    {
        buffer.putLong(offset + BASE_OFFSET_OFFSET, baseOffset);
    }

    /**
     * Sets the leader epoch; the CRC does not cover it.
     *
     * @param epoch the epoch.
     */
    public void setPartitionLeaderEpoch(final int epoch)
    {
        buffer.putInt(offset + PARTITION_LEADER_EPOCH_OFFSET, epoch);
    }

    /**
     * Marks the batch as stamped with the log-append time: sets the timestamp type and the max
     * timestamp, then recomputes the CRC, which covers both.
     *
     * @param logAppendTime the time of the append.
     */
    public void setLogAppendTime(final long logAppendTime)
    {
        buffer.putShort(offset + ATTRIBUTES_OFFSET, (short)(attributes() | TIMESTAMP_TYPE_MASK));
        buffer.putLong(offset + MAX_TIMESTAMP_OFFSET, logAppendTime);
        buffer.putInt(offset + CRC_OFFSET, (int)computeCrc());
    }

    /**
     * Positions the batch's record cursor before its first record. The cursor is owned by this
     * view and reused: it is valid until the view is wrapped again. The records of an
     * uncompressed batch are read in the wrapped buffer; those of a compressed one are
     * decompressed on the first call after {@link #wrap} and read in the view's own buffer,
     * which {@link Record#buffer()} then is.
     *
     * @return the cursor; call {@link Record#next()} to reach each record.
     * @throws UnsupportedCompressionException if the attributes name no codec.
     * @throws CorruptRecordException if the compressed records do not decompress.
     */
    public Record records()
    {
        final long logAppendTime = timestampType() == TimestampType.LOG_APPEND_TIME ? maxTimestamp() : NO_TIMESTAMP;
        if (compressionCodec() == 0)
        {
            record.reset(buffer, offset + RECORDS_OFFSET, offset + sizeInBytes(), recordCount(), baseOffset(), baseTimestamp(), logAppendTime);
            return record;
        }
        if (!decoded)
        {
            decompress();
        }
        record.reset(decompressed.readOnly(), 0, decompressed.size(), recordCount(), baseOffset(), baseTimestamp(), logAppendTime);
        return record;
    }

    private void decompress()
    {
        final CompressionCodec codec = compression();
        if (decompressed == null)
        {
            decompressed = new RecordsBuffer();
        }
        decompressed.clear();
        try
        {
            codec.decompress(buffer, offset + RECORDS_OFFSET, offset + sizeInBytes(), decompressed);
        }
        catch (final CorruptRecordException e)
        {
            throw new CorruptRecordException("record batch at offset " + baseOffset() + " is compressed with " + codec.kafkaName() +
                ": " + e.getMessage(), e.getCause());
        }
        decoded = true;
    }

    @Override
    public String toString()
    {
        return "RecordBatch{baseOffset=" + baseOffset() + ", lastOffset=" + lastOffset() + ", size=" + sizeInBytes() +
            ", records=" + recordCount() + ", producerId=" + producerId() + ", baseSequence=" + baseSequence() +
            ", transactional=" + isTransactional() + ", control=" + isControl() + '}';
    }
}
