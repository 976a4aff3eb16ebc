package io.tidemark.log.record;

import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

import static io.tidemark.log.record.RecordBatchLayout.*;

/**
 * Writes one record batch at a time into a buffer, in the layout drawn in
 * {@link RecordBatchLayout}: {@link #begin}, set the producer, flags and codec,
 * {@link #append} records while they fit, then {@link #finish} to write the header and the CRC.
 *
 * <p>Records are appended uncompressed, and the capacity bounds them so; with a codec,
 * {@link #finish} compresses them in place. Reusable, and allocation-free for uncompressed
 * records without headers. One thread at a time.
 */
public final class RecordBatchBuilder
{
    private final CRC32C crc = new CRC32C();
    /** The records copied out of the way while they are compressed back into the batch. */
    private final RecordsBuffer uncompressed = new RecordsBuffer();
    private CompressionCodec compression = CompressionCodec.NONE;
    /** The end of the records once compressed by {@link #finish}, -1 before. */
    private int compressedEnd;
    private byte[][] headerKeys = new byte[4][];
    private ByteBuffer source;
    private ByteBuffer buffer;
    private ByteBuffer crcView;
    private int start;
    private int limit;
    private int position;
    private int recordCount;
    private long baseOffset;
    private long baseTimestamp;
    private long maxTimestamp;
    private long producerId;
    private short producerEpoch;
    private int baseSequence;
    private int attributes;
    private int partitionLeaderEpoch;
    /** True once {@link #publishOpen} wrote the header of an open batch. */
    private boolean open;

    /**
     * Starts a new batch at {@code offset} in {@code buffer}, with no producer identity,
     * create-time timestamps, base offset 0, no flags and no compression.
     *
     * @param buffer the destination; its position and limit are not used or changed.
     * @param offset the absolute index where the batch starts.
     * @param capacity the most bytes the batch may take, header included.
     * @return this builder.
     * @throws IllegalArgumentException if the capacity cannot hold a header.
     */
    public RecordBatchBuilder begin(final ByteBuffer buffer, final int offset, final int capacity)
    {
        if (capacity < HEADER_SIZE || (long)offset + capacity > buffer.capacity())
        {
            throw new IllegalArgumentException("capacity " + capacity + " at " + offset + " does not fit a batch in a buffer of " + buffer.capacity());
        }
        if (buffer != source)
        {
            // Absolute puts are bounded by the limit: write through views that ignore the
            // caller's position and limit, so a buffer can be reused whatever they are.
            source = buffer;
            this.buffer = buffer.duplicate().clear();
            this.crcView = buffer.duplicate();
        }
        this.start = offset;
        this.limit = offset + capacity;
        this.position = offset + RECORDS_OFFSET;
        this.recordCount = 0;
        this.baseOffset = 0;
        this.baseTimestamp = NO_TIMESTAMP;
        this.maxTimestamp = NO_TIMESTAMP;
        this.producerId = NO_PRODUCER_ID;
        this.producerEpoch = NO_PRODUCER_EPOCH;
        this.baseSequence = NO_SEQUENCE;
        this.attributes = 0;
        this.partitionLeaderEpoch = NO_PARTITION_LEADER_EPOCH;
        this.compression = CompressionCodec.NONE;
        this.compressedEnd = -1;
        this.open = false;
        return this;
    }

    /**
     * Compresses the records with {@code codec} when the batch is finished. If incompressible
     * records that filled the capacity would outgrow it compressed, the batch is written
     * uncompressed, as they fit that way; readers take either.
     *
     * @param codec the codec; {@link CompressionCodec#NONE} to store the records as they are.
     * @return this builder.
     */
    public RecordBatchBuilder compression(final CompressionCodec codec)
    {
        this.compression = codec;
        return this;
    }

    /**
     * Sets the producer identity for idempotent or transactional writes.
     *
     * @param producerId the producer id.
     * @param producerEpoch the producer epoch.
     * @param baseSequence the sequence number of the first record.
     * @return this builder.
     */
    public RecordBatchBuilder producer(final long producerId, final short producerEpoch, final int baseSequence)
    {
        this.producerId = producerId;
        this.producerEpoch = producerEpoch;
        this.baseSequence = baseSequence;
        return this;
    }

    /**
     * @param baseOffset the offset of the first record (the log assigns its own on append).
     * @return this builder.
     */
    public RecordBatchBuilder baseOffset(final long baseOffset)
    {
        this.baseOffset = baseOffset;
        return this;
    }

    /**
     * @param epoch the partition leader epoch to write.
     * @return this builder.
     */
    public RecordBatchBuilder partitionLeaderEpoch(final int epoch)
    {
        this.partitionLeaderEpoch = epoch;
        return this;
    }

    /**
     * @param transactional whether the batch belongs to a transaction.
     * @return this builder.
     */
    public RecordBatchBuilder transactional(final boolean transactional)
    {
        return flag(TRANSACTIONAL_FLAG_MASK, transactional);
    }

    /**
     * @param control whether the batch holds control records (transaction markers).
     * @return this builder.
     */
    public RecordBatchBuilder control(final boolean control)
    {
        return flag(CONTROL_FLAG_MASK, control);
    }

    /**
     * @param type whose clock the timestamps come from.
     * @return this builder.
     */
    public RecordBatchBuilder timestampType(final TimestampType type)
    {
        return flag(TIMESTAMP_TYPE_MASK, type == TimestampType.LOG_APPEND_TIME);
    }

    /**
     * Appends a record without headers, if it fits.
     *
     * @param timestamp the record's timestamp.
     * @param key the key, or null.
     * @param value the value, or null.
     * @return false, writing nothing, if the record does not fit in the batch's capacity.
     */
    public boolean append(final long timestamp, final byte[] key, final byte[] value)
    {
        return append(timestamp, key, value, null);
    }

    /**
     * Appends a record, if it fits.
     *
     * @param timestamp the record's timestamp.
     * @param key the key, or null.
     * @param value the value, or null.
     * @param headers the headers, or null for none.
     * @return false, writing nothing, if the record does not fit in the batch's capacity.
     */
    public boolean append(final long timestamp, final byte[] key, final byte[] value, final Header[] headers)
    {
        if (recordCount == 0)
        {
            baseTimestamp = timestamp;
        }
        final long timestampDelta = timestamp - baseTimestamp;
        final int offsetDelta = recordCount;
        final int keyLength = key == null ? -1 : key.length;
        final int valueLength = value == null ? -1 : value.length;
        int bodySize = 1 + Varint.sizeOfVarlong(timestampDelta) + Varint.sizeOfVarint(offsetDelta) +
            Varint.sizeOfVarint(keyLength) + Math.max(keyLength, 0) +
            Varint.sizeOfVarint(valueLength) + Math.max(valueLength, 0);
        final int headerCount = headers == null ? 0 : headers.length;
        bodySize += Varint.sizeOfVarint(headerCount);
        if (headerCount > headerKeys.length)
        {
            headerKeys = new byte[headerCount][];
        }
        for (int i = 0; i < headerCount; i++)
        {
            headerKeys[i] = headers[i].key().getBytes(StandardCharsets.UTF_8);
            final int headerKeyLength = headerKeys[i].length;
            final byte[] headerValue = headers[i].value();
            final int headerValueLength = headerValue == null ? -1 : headerValue.length;
            bodySize += Varint.sizeOfVarint(headerKeyLength) + headerKeyLength +
                Varint.sizeOfVarint(headerValueLength) + Math.max(headerValueLength, 0);
        }
        if ((long)position + Varint.sizeOfVarint(bodySize) + bodySize > limit)
        {
            return false;
        }

        int i = Varint.putVarint(buffer, position, bodySize);
        buffer.put(i++, (byte)0);
        i = Varint.putVarlong(buffer, i, timestampDelta);
        i = Varint.putVarint(buffer, i, offsetDelta);
        i = putBytes(i, key);
        i = putBytes(i, value);
        i = Varint.putVarint(buffer, i, headerCount);
        for (int h = 0; h < headerCount; h++)
        {
            i = putBytes(i, headerKeys[h]);
            i = putBytes(i, headers[h].value());
        }
        position = i;
        recordCount++;
        if (timestamp > maxTimestamp)
        {
            maxTimestamp = timestamp;
        }
        return true;
    }

    /**
     * @return how many records were appended since {@link #begin}.
     */
    public int recordCount()
    {
        return recordCount;
    }

    /**
     * @return the size the batch has so far, header included, its records uncompressed.
     */
    public int sizeInBytes()
    {
        return position - start;
    }

    /**
     * Compresses the records if a codec is set, then writes the header and the CRC; the batch
     * is then complete in the buffer. Calling it again, after setting other producer fields
     * for a retry, rewrites the header and the CRC and leaves the records as they are.
     *
     * @return the size of the batch in bytes.
     * @throws IllegalStateException if no record was appended: an empty batch is not valid.
     */
    public int finish()
    {
        if (recordCount == 0)
        {
            throw new IllegalStateException("a record batch needs at least one record");
        }
        if (compression != CompressionCodec.NONE && compressedEnd < 0)
        {
            compressedEnd = compress();
        }
        final int end = compression == CompressionCodec.NONE ? position : compressedEnd;
        final int size = end - start;
        writeHeader(size, open ? attributes | OPEN_FLAG_MASK : attributes);
        // The attributes last, after the CRC that covers them: an open batch (publishOpen) is
        // sealed by this one store, so a crash in the middle leaves it open, as recovery expects.
        crc.reset();
        crc.update(attributes >>> 8);
        crc.update(attributes);
        crcView.limit(end).position(start + LAST_OFFSET_DELTA_OFFSET);
        crc.update(crcView);
        buffer.putInt(start + CRC_OFFSET, (int)crc.getValue());
        VarHandle.releaseFence();
        buffer.putShort(start + ATTRIBUTES_OFFSET, (short)attributes);
        open = false;
        return size;
    }

    /**
     * Makes the records appended so far a batch that is still open: the header is written with
     * {@link RecordBatchLayout#OPEN_FLAG_MASK} set and no CRC, and each later call only moves its
     * length over the records appended since, after their bytes. {@link #finish} seals it. A log
     * file may end with an open batch: if the process dies, recovery counts its records within
     * the length, writes its CRC and clears the flag ({@link RecordBatch#sealOpen}). Only for
     * uncompressed batches.
     *
     * @return the size of the batch in bytes.
     * @throws IllegalStateException if no record was appended, or the batch is to be compressed.
     */
    public int publishOpen()
    {
        if (recordCount == 0 || compression != CompressionCodec.NONE)
        {
            throw new IllegalStateException("an open batch needs at least one record and no compression");
        }
        final int size = position - start;
        if (!open)
        {
            open = true;
            buffer.putInt(start + CRC_OFFSET, 0);
            writeHeader(size, attributes | OPEN_FLAG_MASK);
        }
        else
        {
            // The length is what recovery trusts: it moves only once the record's bytes are in place.
            VarHandle.releaseFence();
            buffer.putInt(start + LENGTH_OFFSET, size - LOG_OVERHEAD);
        }
        return size;
    }

    private void writeHeader(final int size, final int headerAttributes)
    {
        buffer.putLong(start + BASE_OFFSET_OFFSET, baseOffset);
        buffer.putInt(start + LENGTH_OFFSET, size - LOG_OVERHEAD);
        buffer.putInt(start + PARTITION_LEADER_EPOCH_OFFSET, partitionLeaderEpoch);
        buffer.put(start + MAGIC_OFFSET, MAGIC);
        buffer.putShort(start + ATTRIBUTES_OFFSET, (short)headerAttributes);
        buffer.putInt(start + LAST_OFFSET_DELTA_OFFSET, recordCount - 1);
        buffer.putLong(start + BASE_TIMESTAMP_OFFSET, baseTimestamp);
        buffer.putLong(start + MAX_TIMESTAMP_OFFSET, maxTimestamp);
        buffer.putLong(start + PRODUCER_ID_OFFSET, producerId);
        buffer.putShort(start + PRODUCER_EPOCH_OFFSET, producerEpoch);
        buffer.putInt(start + BASE_SEQUENCE_OFFSET, baseSequence);
        buffer.putInt(start + RECORD_COUNT_OFFSET, recordCount);
    }

    /**
     * Replaces the records with their compressed form and sets the codec bits, or leaves them
     * as they are if that would not fit the capacity.
     *
     * @return the index after the batch's last byte.
     */
    private int compress()
    {
        final int recordsStart = start + RECORDS_OFFSET;
        final int length = position - recordsStart;
        uncompressed.clear();
        uncompressed.reserve(length);
        buffer.get(recordsStart, uncompressed.array(), 0, length);
        uncompressed.advance(length);
        final int end = compression.compress(uncompressed, buffer, recordsStart, limit);
        if (end < 0)
        {
            buffer.put(recordsStart, uncompressed.array(), 0, length);
            attributes &= ~COMPRESSION_CODEC_MASK;
            return position;
        }
        attributes = (attributes & ~COMPRESSION_CODEC_MASK) | compression.id();
        return end;
    }

    private RecordBatchBuilder flag(final int mask, final boolean set)
    {
        attributes = set ? attributes | mask : attributes & ~mask;
        return this;
    }

    private int putBytes(final int index, final byte[] bytes)
    {
        if (bytes == null)
        {
            return Varint.putVarint(buffer, index, -1);
        }
        final int i = Varint.putVarint(buffer, index, bytes.length);
        buffer.put(i, bytes);
        return i + bytes.length;
    }
}
